// Reductions (sum mean max min prod all any argmax argmin var std) and cumulative reductions,
// with jnp's accumulation dtypes: sums and products of bools and small ints accumulate in int32,
// means and variances of integers are float32, float16 accumulates in float32.

import type { Array } from '../core/array.js';
import { type DType, checkDType, isBool, isFloat } from '../core/dtype.js';
import { normalizeAxes } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import { type ArrayLike, asArray, broadcastTo, toInexact } from './coerce.js';
import { alongAxis } from './shape_ops.js';
import { toBool, where } from './ufuncs.js';
import { stagedJnp } from './staged.js';

export type Axis = number | readonly number[] | null;

export interface ReductionOptions {
  /** Axis or axes to reduce; null/undefined reduces all. */
  axis?: Axis;
  keepdims?: boolean;
  /** Accumulate in, and return, this dtype. */
  dtype?: DType | null;
  /** Only elements where this mask holds take part. */
  where?: ArrayLike | null;
  /** A starting value folded into the reduction (required for max/min of empty arrays). */
  initial?: number | boolean | null;
}

/** The smallest and largest values of a dtype: the identities of max and min. */
function lowest(d: DType): number | boolean {
  return isFloat(d) ? -Infinity : d === 'int32' ? -2147483648 : d === 'uint32' ? 0 : false;
}
function highest(d: DType): number | boolean {
  return isFloat(d) ? Infinity : d === 'int32' ? 2147483647 : d === 'uint32' ? 4294967295 : true;
}

interface ReductionRule {
  name: string;
  /** The lax reduction for numeric and for bool computation dtypes. */
  op: (x: Array, axes: readonly number[]) => Array;
  boolOp: (x: Array, axes: readonly number[]) => Array;
  /** The value a masked-out element contributes; null when there is no identity (max, min). */
  identity: (d: DType) => number | boolean | null;
  /** The value of an empty reduction given `initial` (max/min use it). */
  emptyIdentity?: (d: DType) => number | boolean;
  upcastF16?: boolean;
  preproc?: (x: Array) => Array;
  /** How `initial` combines with the result. */
  combine: (a: Array, b: Array) => Array;
}

const castToNumeric = (x: Array): Array => (isBool(x.dtype) ? lax.convertElementType(x, 'int32') : x);

/** jnp's `_reduction`: the shared skeleton of every reduction. */
function reduction(rule: ReductionRule, x: ArrayLike, opts: ReductionOptions): Array {
  let a = asArray(x, {}, rule.name);
  if (rule.preproc) a = rule.preproc(a);
  const axes = normalizeAxes(opts.axis, a.ndim, rule.name);
  const hasInitial = opts.initial !== undefined && opts.initial !== null;
  if (rule.identity(a.dtype) === null && !hasInitial && opts.where === undefined && axes.some((d) => a.shape[d] === 0)) {
    throw new RangeError(`zero-size array to reduction operation ${rule.name} which has no identity; pass {initial: …} or reduce a non-empty axis.`);
  }
  // Every integer dtype here is already 32-bit, so jnp's integer promotion is only sum/prod's bool → int32 (preproc).
  const resultDtype: DType = opts.dtype ? checkDType(opts.dtype, rule.name) : a.dtype;
  const computeDtype: DType = rule.upcastF16 && resultDtype === 'float16' ? 'float32' : resultDtype;
  a = lax.convertElementType(a, computeDtype);
  const op = isBool(computeDtype) ? rule.boolOp : rule.op;
  if (opts.where !== undefined && opts.where !== null) {
    const init = rule.identity(computeDtype);
    if (init === null && !hasInitial) {
      throw new TypeError(`reduction operation ${rule.name} does not have an identity, so to use a where mask one has to specify 'initial'.`);
    }
    const fill = init ?? (rule.name === 'max' ? lowest(computeDtype) : highest(computeDtype));
    a = where(opts.where, a, scalarConstant(fill, computeDtype));
  }
  let result = op(a, axes);
  if (hasInitial) result = rule.combine(result, scalarConstant(opts.initial!, computeDtype));
  if (opts.keepdims) result = lax.expandDims(result, axes);
  return lax.convertElementType(result, resultDtype);
}

const SUM: ReductionRule = {
  name: 'sum', op: lax.reduceSum, boolOp: lax.reduceOr, identity: (d) => (isBool(d) ? false : 0),
  upcastF16: true, preproc: castToNumeric, combine: lax.add,
};
const PROD: ReductionRule = {
  name: 'prod', op: lax.reduceProd, boolOp: lax.reduceAnd, identity: (d) => (isBool(d) ? true : 1),
  upcastF16: true, preproc: castToNumeric, combine: lax.mul,
};
const MAX: ReductionRule = { name: 'max', op: lax.reduceMax, boolOp: lax.reduceOr, identity: () => null, combine: lax.max };
const MIN: ReductionRule = { name: 'min', op: lax.reduceMin, boolOp: lax.reduceAnd, identity: () => null, combine: lax.min };
const ALL: ReductionRule = { name: 'all', op: lax.reduceAnd, boolOp: lax.reduceAnd, identity: () => true, preproc: toBool, combine: lax.bitwiseAnd };
const ANY: ReductionRule = { name: 'any', op: lax.reduceOr, boolOp: lax.reduceOr, identity: () => false, preproc: toBool, combine: lax.bitwiseOr };

export const sum = (x: ArrayLike, opts: ReductionOptions = {}): Array => reduction(SUM, x, opts);
export const prod = (x: ArrayLike, opts: ReductionOptions = {}): Array => reduction(PROD, x, opts);
export const max = (x: ArrayLike, opts: ReductionOptions = {}): Array => reduction(MAX, x, opts);
export const min = (x: ArrayLike, opts: ReductionOptions = {}): Array => reduction(MIN, x, opts);
export const all = (x: ArrayLike, opts: Omit<ReductionOptions, 'dtype' | 'initial'> = {}): Array => reduction(ALL, x, opts);
export const any = (x: ArrayLike, opts: Omit<ReductionOptions, 'dtype' | 'initial'> = {}): Array => reduction(ANY, x, opts);
export const amax = max;
export const amin = min;

/** The number of elements a reduction over `axes` combines. */
function countOf(a: Array, axes: readonly number[]): number {
  return axes.reduce((n, d) => n * a.shape[d], 1);
}

/** The arithmetic mean; integers average in float32. */
export function mean(x: ArrayLike, opts: Omit<ReductionOptions, 'initial'> = {}): Array {
  const a = asArray(x, {}, 'mean');
  const axes = normalizeAxes(opts.axis, a.ndim, 'mean');
  const resultDtype = opts.dtype ? checkDType(opts.dtype, 'mean') : toInexact(a.dtype);
  const computeDtype: DType = resultDtype === 'float16' ? 'float32' : resultDtype;
  const total = sum(a, { axis: axes, dtype: computeDtype, keepdims: opts.keepdims, where: opts.where });
  let normalizer: Array;
  if (opts.where !== undefined && opts.where !== null) {
    const mask = broadcastTo(asArray(opts.where, {}, 'mean'), a.shape, 'mean');
    normalizer = sum(mask, { axis: axes, dtype: computeDtype, keepdims: opts.keepdims });
  } else {
    normalizer = scalarConstant(countOf(a, axes), computeDtype);
  }
  return lax.convertElementType(lax.div(total, normalizer), resultDtype);
}

export interface VarOptions extends Omit<ReductionOptions, 'initial' | 'where'> {
  /** Delta degrees of freedom: the divisor is N - ddof. */
  ddof?: number;
  /** Array API name for ddof. */
  correction?: number;
}

/** The variance, mean((x - x.mean())²) · N/(N - ddof); NaN when N - ddof ≤ 0. */
export function variance(x: ArrayLike, opts: VarOptions = {}): Array {
  const a = asArray(x, {}, 'var');
  const dtype = opts.dtype ? checkDType(opts.dtype, 'var') : null;
  return varStaged(a, opts.axis ?? null, dtype, opts.keepdims ?? false, { correction: opts.correction ?? opts.ddof ?? 0 });
}
export { variance as var };

// jnp's `_var(a, axis, dtype, keepdims, correction)`: the correction (ddof) is a traced operand.
type Correction = { correction: number | Array };
const varStaged = stagedJnp('_var', (x: Array, axis: Axis, dtypeOpt: DType | null, keepdims: boolean, { correction }: Correction): Array => {
  let a = x;
  const axes = normalizeAxes(axis, a.ndim, 'var');
  let dtype: DType, computeDtype: DType;
  if (dtypeOpt) {
    dtype = dtypeOpt;
    computeDtype = dtype === 'float16' ? 'float32' : dtype;
  } else if (!isFloat(a.dtype)) {
    dtype = computeDtype = toInexact(a.dtype);
  } else {
    dtype = a.dtype;
    computeDtype = a.dtype === 'float16' ? 'float32' : a.dtype;
  }
  a = lax.convertElementType(a, computeDtype);
  const aMean = mean(a, { axis: axes, dtype: computeDtype, keepdims: true });
  const centered = lax.square(lax.sub(a, aMean));
  const normalizer = lax.sub(scalarConstant(countOf(a, axes), computeDtype), lax.convertElementType(correction, computeDtype));
  const total = sum(centered, { axis: axes, dtype: computeDtype, keepdims });
  const result = lax.convertElementType(lax.div(total, normalizer), dtype);
  return where(lax.gt(normalizer, scalarConstant(0, computeDtype)), result, NaN);
}, { staticArgnums: [1, 2, 3] });

/** The standard deviation, sqrt(var). */
export function std(x: ArrayLike, opts: VarOptions = {}): Array {
  const a = asArray(x, {}, 'std');
  const dtype = opts.dtype ? checkDType(opts.dtype, 'std') : null;
  return stdStaged(a, opts.axis ?? null, dtype, opts.keepdims ?? false, { correction: opts.correction ?? opts.ddof ?? 0 });
}
const stdStaged = stagedJnp('_std', (a: Array, axis: Axis, dtype: DType | null, keepdims: boolean, { correction }: Correction): Array =>
  lax.sqrt(varStaged(a, axis, dtype, keepdims, { correction })), { staticArgnums: [1, 2, 3] });

function argReduction(name: 'argmax' | 'argmin', x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean }): Array {
  const input = asArray(x, {}, name);
  const [a, axis] = alongAxis(input, opts.axis, name);
  if (a.shape[axis] === 0) throw new RangeError(`attempt to get ${name} of an empty sequence`);
  const result = name === 'argmax' ? lax.argmax(a, axis, 'int32') : lax.argmin(a, axis, 'int32');
  if (!opts.keepdims) return result;
  return lax.expandDims(result, opts.axis === undefined || opts.axis === null ? [...globalThis.Array(input.ndim).keys()] : [axis]);
}
/** The index of the largest value (the first one; NaN counts as largest); flattened when axis is omitted. */
export const argmax = (x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean } = {}): Array => argReduction('argmax', x, opts);
export const argmin = (x: ArrayLike, opts: { axis?: number | null; keepdims?: boolean } = {}): Array => argReduction('argmin', x, opts);

// ---- cumulative --------------------------------------------------------------------------------
/** A running reduction along an axis; bools accumulate in int32 unless a dtype is given. */
function cumulative(name: string, op: (x: Array, o: { axis: number; reverse?: boolean }) => Array) {
  const staged = stagedJnp(name, (x: Array, axisOpt: number | null, dtypeOpt: DType | null, reverse: boolean): Array => {
    const [a, axis] = alongAxis(x, axisOpt, name);
    const dtype = dtypeOpt ?? (isBool(a.dtype) ? 'int32' : null);
    return op(dtype ? lax.convertElementType(a, dtype) : a, reverse ? { axis, reverse } : { axis });
  }, { staticArgnums: [1, 2, 3] });
  return (x: ArrayLike, opts: { axis?: number | null; dtype?: DType | null; reverse?: boolean } = {}): Array =>
    staged(asArray(x, {}, name), opts.axis ?? null, opts.dtype ? checkDType(opts.dtype, name) : null, opts.reverse ?? false);
}
/** Running sums along an axis (the flattened array when axis is omitted). */
export const cumsum = cumulative('cumsum', lax.cumsum);
export const cumprod = cumulative('cumprod', lax.cumprod);
export const cumulativeSum = cumsum;
export const cumulativeProd = cumprod;

