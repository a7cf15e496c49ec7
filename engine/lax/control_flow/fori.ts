// lax.fori (JAX's fori_loop): `for (let i = lower; i < upper; i++) val = bodyFun(i, val)`. With
// bounds known on the host (JS numbers, or arrays whose values the host holds) it is a scan of
// length upper - lower over an int32 counter carry, as JAX lowers it; otherwise a while loop over
// (i, upper, val).

import { Array } from '../../core/array.js';
import { ArrayBase } from '../../core/array_base.js';
import { type DType, isSignedInt, scalarType } from '../../core/dtype.js';
import { add, convertElementType, lt } from '../index.js';
import { scalarConstant } from '../constants.js';
import { ValueError } from '../../tree/errors.js';
import { scan } from './scan.js';
import type { AsArrays } from './tracing.js';
import { whileLoop } from './while_loop.js';

export interface ForiOptions {
  /** Steps per rolled loop iteration; only with bounds known on the host (see lax.scan). */
  unroll?: number | boolean;
}

/** A bound: an integer scalar array, or a JS integer (a weakly typed int32). */
export type Bound = ArrayBase | number;

const dtypeOf = (b: Bound): DType => (b instanceof ArrayBase ? b.dtype : scalarType(b).dtype);
const isWeak = (b: Bound): boolean => (b instanceof ArrayBase ? b.weakType : true);

/** The value of a bound when the host knows it now (a JS number, or a concrete array read synchronously). */
function concreteBound(b: Bound): number | null {
  if (typeof b === 'number') return Number.isInteger(b) ? b : null;
  if (!(b instanceof Array) || b.ndim !== 0) return null;
  const host = b.hostValuesSync();
  return host ? Number(host[0]) : null;
}

/** `lax.fori(lower, upper, bodyFun, initVal, {unroll})` — JAX's `fori_loop`. */
export function fori<const T>(lower: Bound, upper: Bound, bodyFun: (i: Array, val: AsArrays<T>) => unknown, initVal: T,
  opts: ForiOptions = {}): AsArrays<T> {
  if (typeof bodyFun !== 'function') throw new TypeError('lax.fori_loop: body_fun argument should be callable.');
  const lowerDtype = dtypeOf(lower), upperDtype = dtypeOf(upper);
  let dtype: DType | null = lowerDtype === upperDtype ? lowerDtype : null;
  if (dtype === null && isSignedInt(lowerDtype) && isSignedInt(upperDtype)) {
    // Weak integers (JS numbers) take the other bound's type.
    if (isWeak(lower) && !isWeak(upper)) dtype = upperDtype;
    else if (!isWeak(lower) && isWeak(upper)) dtype = lowerDtype;
  }
  if (dtype === null) {
    throw new TypeError(`lower and upper arguments to fori_loop must have equal types, got ${lowerDtype} and ${upperDtype}`);
  }
  const lo = concreteBound(lower), hi = concreteBound(upper);
  if (lo !== null && hi !== null) {
    const length = Math.max(hi - lo, 0);
    // The counter starts at the host value of `lower`, a weakly typed int32 (JAX's `int(lower)`).
    const start = lo;
    const scannedFun = (loop_carry: [Array, AsArrays<T>], _: null): [unknown, null] => {
      const [i, x] = loop_carry;
      return [[add(i, 1), bodyFun(i, x)], null];
    };
    const [[, result]] = scan(scannedFun, [start, initVal] as [number, T], null, { length, unroll: opts.unroll ?? false });
    return result as AsArrays<T>;
  }
  if (opts.unroll !== undefined && opts.unroll !== false && opts.unroll !== 1) {
    throw new ValueError('Can only use `unroll` in `fori_loop` if the loop bounds are statically known.');
  }
  const asBound = (b: Bound, d: DType): ArrayBase => {
    if (b instanceof ArrayBase) return b.dtype === d ? b : convertElementType(b, d);
    return d === 'int32' ? scalarConstant(b, 'int32', true) : scalarConstant(b, d, false);
  };
  const condFun = ([i, up]: [Array, Array, AsArrays<T>]) => lt(i, up);
  const whileBodyFun = ([i, up, x]: [Array, Array, AsArrays<T>]) => [add(i, scalarConstant(1, i.dtype, false)), up, bodyFun(i, x)];
  const [, , result] = whileLoop(condFun, whileBodyFun, [asBound(lower, dtype), asBound(upper, dtype), initVal] as [ArrayBase, ArrayBase, T]);
  return result as AsArrays<T>;
}
