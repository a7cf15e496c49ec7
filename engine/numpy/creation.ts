// Array creation: from JS values (array, asarray) and from shapes (zeros, ones, full, arange,
// linspace, eye, …). Shapes and counts are static JS numbers; values come from iota and broadcast,
// as in jnp, so a created array is one small kernel rather than an upload.

import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { type DType, checkDType, defaultFloat, isInteger } from '../core/dtype.js';
import { checkShape, normalizeAxis, shapeStr } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import { type ArrayLike, type AsArrayOptions, asArray, broadcastTo, convertTo, isScalar, resultType, toInexact } from './coerce.js';
import { ravel } from './shape_ops.js';
import { multiply, power, subtract } from './ufuncs.js';

export type ShapeLike = number | readonly number[];
const shapeOf = (s: ShapeLike, fn: string): number[] => checkShape(typeof s === 'number' ? [s] : [...s], fn);
const userDtype = (d: DType | null | undefined, fn: string): DType | null => (d ? checkDType(d, fn) : null);

/** An array from JS data: numbers, booleans, nested JS arrays, typed arrays or arrays. */
export function array(x: ArrayLike, opts: AsArrayOptions = {}): Array { return asArray(x, opts, 'array'); }
/** Like `array`; arrays of the right dtype pass through unchanged. */
export function asarray(x: ArrayLike, opts: AsArrayOptions = {}): Array { return asArray(x, opts, 'asarray'); }

/** An array of `shape` filled with `fillValue` (a scalar, or an array broadcast to the shape). */
export function full(shape: ShapeLike, fillValue: ArrayLike, opts: { dtype?: DType | null } = {}): Array {
  const s = shapeOf(shape, 'full');
  const dtype = userDtype(opts.dtype, 'full') ?? undefined;
  if (isScalar(fillValue) || (fillValue instanceof ArrayBase && fillValue.ndim === 0)) return lax.full(s, fillValue, dtype);
  return broadcastTo(asArray(fillValue, { dtype }, 'full'), s, 'full');
}
export function zeros(shape: ShapeLike, opts: { dtype?: DType | null } = {}): Array {
  return lax.full(shapeOf(shape, 'zeros'), 0, userDtype(opts.dtype, 'zeros') ?? defaultFloat());
}
export function ones(shape: ShapeLike, opts: { dtype?: DType | null } = {}): Array {
  return lax.full(shapeOf(shape, 'ones'), 1, userDtype(opts.dtype, 'ones') ?? defaultFloat());
}
/** Arrays are never uninitialized here: empty is zeros, as in jnp. */
export function empty(shape: ShapeLike, opts: { dtype?: DType | null } = {}): Array {
  return zeros(shape, opts);
}

type LikeOptions = { dtype?: DType | null; shape?: ShapeLike };
function likeImpl(fn: string, x: ArrayLike, fill: ArrayLike, opts: LikeOptions): Array {
  const a = asArray(x, {}, fn);
  const dtype = userDtype(opts.dtype, fn) ?? undefined;
  const shape = opts.shape === undefined ? undefined : shapeOf(opts.shape, fn);
  if (isScalar(fill)) return lax.fullLike(a, fill, dtype, shape);
  const v = asArray(fill, {}, fn);
  if (v.ndim === 0) return lax.fullLike(a, v, dtype, shape);
  return broadcastTo(convertTo(v, dtype ?? a.dtype, false), shape ?? a.shape, fn);
}
export const zerosLike = (x: ArrayLike, opts: LikeOptions = {}): Array => likeImpl('zeros_like', x, 0, opts);
export const onesLike = (x: ArrayLike, opts: LikeOptions = {}): Array => likeImpl('ones_like', x, 1, opts);
export const emptyLike = (x: ArrayLike, opts: LikeOptions = {}): Array => likeImpl('empty_like', x, 0, opts);
export const fullLike = (x: ArrayLike, fillValue: ArrayLike, opts: LikeOptions = {}): Array => likeImpl('full_like', x, fillValue, opts);

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop)`,
 * `arange(start, stop, step)`, with the dtype of the arguments (int32 for integers) unless given.
 */
export function arange(start: number, stop?: number | null | { dtype?: DType | null }, step?: number | null | { dtype?: DType | null },
  opts: { dtype?: DType | null } = {}): Array {
  // The options object may come in any trailing position: arange(5, {dtype}), arange(0, 5, {dtype}).
  if (stop !== null && typeof stop === 'object') { opts = stop; stop = undefined; }
  if (step !== null && typeof step === 'object') { opts = step; step = undefined; }
  const args = [start, stop, step].filter((v): v is number => typeof v === 'number');
  for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new TypeError(`arange: ${name} must be a finite JS number, got ${String(v)}; arange needs static bounds (use lax.iota inside transformations).`);
    }
  }
  if (step === 0) throw new RangeError('arange: step must not be zero.');
  const dtype = userDtype(opts.dtype, 'arange') ?? resultType(...args).dtype;
  let lo = start, hi: number;
  if (stop === undefined || stop === null) { lo = 0; hi = start; } else hi = stop;
  if (step !== undefined && step !== null) {
    const working: DType = dtype === 'float16' ? 'float32' : dtype;
    const size = Math.max(0, Math.ceil((hi - lo) / step));
    return lax.convertElementType(
      lax.add(scalarConstant(lo, working), lax.mul(scalarConstant(step, working), lax.broadcastedIota(working, [size], 0))), dtype);
  }
  const size = Math.max(0, Math.ceil(hi - lo));
  if (lo === 0) return lax.broadcastedIota(dtype, [size], 0);
  return lax.add(scalarConstant(lo, dtype), lax.broadcastedIota(dtype, [size], 0));
}

export interface LinspaceOptions { endpoint?: boolean; dtype?: DType | null; axis?: number }

/** `num` evenly spaced values from start to stop (inclusive unless endpoint is false), computed as jnp does. */
export function linspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: LinspaceOptions = {}): Array {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`Number of samples, ${num}, must be non-negative.`);
  const endpoint = opts.endpoint ?? true;
  const dtype = userDtype(opts.dtype, 'linspace') ?? toInexact(resultType(start, stop).dtype);
  const compute = toInexact(dtype);
  const s0 = convertTo(start, compute, false), s1 = convertTo(stop, compute, false);
  const shape = broadcastBounds(s0, s1);
  const bs = broadcastTo(s0, shape, 'linspace'), be = broadcastTo(s1, shape, 'linspace');
  const axis = opts.axis === undefined ? 0 : normalizeAxis(opts.axis, shape.length + 1, 'linspace');
  const withAxis = [...shape];
  withAxis.splice(axis, 0, 1);
  const div = endpoint ? num - 1 : num;
  let out: Array;
  if (num > 1) {
    const iotaShape = withAxis.map(() => 1);
    iotaShape[axis] = div;
    const step = lax.div(lax.reshape(lax.iota(compute, div), iotaShape), scalarConstant(div, compute));
    out = lax.add(
      multiply(lax.reshape(bs, withAxis), subtract(scalarConstant(1, compute, true), step)),
      multiply(lax.reshape(be, withAxis), step));
    if (endpoint) out = lax.concatenate([out, lax.expandDims(be, [axis])], axis);
  } else if (num === 1) {
    out = lax.reshape(bs, withAxis);
  } else {
    const emptyShape = [...shape];
    emptyShape.splice(axis, 0, 0);
    return zeros(emptyShape, { dtype });
  }
  if (isInteger(dtype) && !isInteger(out.dtype)) out = lax.floor(out);
  return lax.convertElementType(out, dtype);
}

function broadcastBounds(a: Array, b: Array): number[] {
  const rank = Math.max(a.ndim, b.ndim);
  const pad = (s: number[]) => [...new globalThis.Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a.shape), sb = pad(b.shape);
  return sa.map((n, i) => (n === 1 ? sb[i] : n));
}

/** base ** linspace(start, stop, num). */
export function logspace(start: ArrayLike, stop: ArrayLike, num = 50, opts: LinspaceOptions & { base?: number } = {}): Array {
  const dtype = userDtype(opts.dtype, 'logspace') ?? toInexact(resultType(start, stop).dtype);
  const lin = linspace(start, stop, num, { endpoint: opts.endpoint, axis: opts.axis, dtype: toInexact(dtype) });
  return lax.convertElementType(power(scalarConstant(opts.base ?? 10, lin.dtype), lin), dtype);
}

/** A 2-D array with ones on the k-th diagonal and zeros elsewhere. */
export function eye(N: number, M?: number | null | { k?: number; dtype?: DType | null }, opts: { k?: number; dtype?: DType | null } = {}): Array {
  if (M !== null && typeof M === 'object') { opts = M; M = undefined; }
  const cols = M ?? N;
  checkShape([N, cols], 'eye');
  const dtype = userDtype(opts.dtype, 'eye') ?? defaultFloat();
  const k = opts.k ?? 0;
  const rows = lax.broadcastedIota('int32', [N, cols], 0);
  const colsIota = lax.broadcastedIota('int32', [N, cols], 1);
  return lax.convertElementType(lax.eq(lax.add(rows, scalarConstant(k, 'int32', true)), colsIota), dtype);
}
/** The n×n identity matrix. */
export function identity(n: number, opts: { dtype?: DType | null } = {}): Array { return eye(n, n, opts); }

/** Ones at and below the k-th diagonal of an N×M matrix. */
export function tri(N: number, M?: number | null, opts: { k?: number; dtype?: DType | null } = {}): Array {
  const cols = M ?? N;
  const dtype = userDtype(opts.dtype, 'tri') ?? defaultFloat();
  const rows = lax.broadcastedIota('int32', [N, cols], 0), c = lax.broadcastedIota('int32', [N, cols], 1);
  return lax.convertElementType(lax.ge(lax.add(rows, scalarConstant(opts.k ?? 0, 'int32', true)), c), dtype);
}

function triMask(a: Array, k: number, lower: boolean): Array {
  if (a.ndim < 2) throw new TypeError(`${lower ? 'tril' : 'triu'}: input array must be at least 2-d, got shape ${shapeStr(a.shape)}.`);
  const [n, m] = a.shape.slice(-2);
  const rows = lax.broadcastedIota('int32', [n, m], 0), cols = lax.broadcastedIota('int32', [n, m], 1);
  const diff = lax.sub(cols, rows);
  const keep = lower ? lax.le(diff, scalarConstant(k, 'int32')) : lax.ge(diff, scalarConstant(k, 'int32'));
  return lax.broadcastInDim(keep, a.shape, [a.ndim - 2, a.ndim - 1]);
}
/** The lower triangle (at and below the k-th diagonal); the rest is zero. */
export function tril(x: ArrayLike, opts: { k?: number } = {}): Array {
  const a = asArray(x, {}, 'tril');
  return lax.select(triMask(a, opts.k ?? 0, true), a, lax.fullLike(a, 0));
}
/** The upper triangle (at and above the k-th diagonal); the rest is zero. */
export function triu(x: ArrayLike, opts: { k?: number } = {}): Array {
  const a = asArray(x, {}, 'triu');
  return lax.select(triMask(a, opts.k ?? 0, false), a, lax.fullLike(a, 0));
}

/** Coordinate grids from 1-D coordinate vectors ('xy' indexing by default, as NumPy). */
export function meshgrid(...args: (ArrayLike | { indexing?: 'xy' | 'ij' })[]): Array[] {
  let indexing: 'xy' | 'ij' = 'xy';
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !(last instanceof ArrayBase) && !globalThis.Array.isArray(last) && !ArrayBuffer.isView(last)) {
    indexing = (last as { indexing?: 'xy' | 'ij' }).indexing ?? 'xy';
    args = args.slice(0, -1);
  }
  const vs = (args as ArrayLike[]).map((x) => ravel(asArray(x, {}, 'meshgrid')));
  const shape = vs.map((v) => v.size);
  if (indexing === 'xy' && vs.length > 1) [shape[0], shape[1]] = [shape[1], shape[0]];
  return vs.map((v, i) => {
    let dim = i;
    if (indexing === 'xy' && vs.length > 1 && i < 2) dim = 1 - i;
    return lax.broadcastInDim(v, shape, [dim]);
  });
}

/** np.result_type: the dtype these values promote to. */
export function resultDtype(...xs: ArrayLike[]): DType { return resultType(...xs).dtype; }
