// Whole-array comparisons: isclose, allclose, arrayEqual, arrayEquiv — tolerances as NumPy defines
// them (|a - b| <= atol + rtol·|b|), results as bool arrays (await .item() for a JS boolean).

import type { Array } from '../core/array.js';
import { isFloat } from '../core/dtype.js';
import { shapeStr } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import { type ArrayLike, asArray, promoteArgs, promoteArgsInexact } from './coerce.js';
import { all } from './reductions.js';
import { broadcastShapes } from '../core/shape.js';

export interface CloseOptions { rtol?: number; atol?: number; equalNan?: boolean }

/** Elementwise |a - b| <= atol + rtol·|b| (infinities must match exactly; NaNs are equal only with equalNan). */
export function isclose(x: ArrayLike, y: ArrayLike, opts: CloseOptions = {}): Array {
  let [a, b] = promoteArgs('isclose', x, y);
  if (!isFloat(a.dtype)) return lax.eq(a, b);
  [a, b] = promoteArgsInexact('isclose', a, b);
  const rtol = scalarConstant(opts.rtol ?? 1e-5, a.dtype), atol = scalarConstant(opts.atol ?? 1e-8, a.dtype);
  const inRange = lax.le(lax.abs(lax.sub(a, b)), lax.add(atol, lax.mul(rtol, lax.abs(b))));
  const out = lax.bitwiseOr(lax.eq(a, b), lax.bitwiseAnd(lax.isFinite(b), inRange));
  if (!opts.equalNan) return out;
  return lax.bitwiseOr(out, lax.bitwiseAnd(lax.ne(a, a), lax.ne(b, b)));
}

/** True when every element is close (a bool scalar array). */
export function allclose(x: ArrayLike, y: ArrayLike, opts: CloseOptions = {}): Array {
  return all(isclose(x, y, opts));
}

/** True when the shapes are equal and every element is equal (a bool scalar array). */
export function arrayEqual(x: ArrayLike, y: ArrayLike, opts: { equalNan?: boolean } = {}): Array {
  const a = asArray(x, {}, 'array_equal'), b = asArray(y, {}, 'array_equal');
  if (shapeStr(a.shape) !== shapeStr(b.shape)) return scalarConstant(false, 'bool');
  let eq = promoteArgs('array_equal', a, b).reduce((p, q) => lax.eq(p, q));
  if (opts.equalNan) eq = lax.bitwiseOr(eq, lax.bitwiseAnd(lax.ne(a, a), lax.ne(b, b)));
  return all(eq);
}

/** True when the arrays broadcast together and are equal everywhere. */
export function arrayEquiv(x: ArrayLike, y: ArrayLike): Array {
  const a = asArray(x, {}, 'array_equiv'), b = asArray(y, {}, 'array_equiv');
  try { broadcastShapes('array_equiv', a.shape, b.shape); } catch { return scalarConstant(false, 'bool'); }
  const [p, q] = promoteArgs('array_equiv', a, b);
  return all(lax.eq(p, q));
}
