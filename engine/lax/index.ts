// `lax`: every primitive by its lax name, in camelCase, as a thin function over `bind`.
//
// These are JAX's lax functions: no dtype promotion and no rank promotion (`lax.add` wants equal
// dtypes; size-1 dimensions and rank-0 operands broadcast inside the primitive). The one liberty
// taken: a JS number passed where an array goes becomes a weakly typed scalar of the dtype of the
// first array operand — JS cannot tell `2.0` from `2`, so JAX's rule (a Python float is f32, an int
// i32) would make `lax.mul(x, 2.0)` fail for float `x`.
//
// Keyword arguments of JAX are a trailing options object with camelCase keys; params are bound
// under JAX's snake_case names so that jaxprs print as JAX prints them.

import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { type DType, checkDType, scalarType } from '../core/dtype.js';
import { normalizeAxis, shapeStr } from '../core/shape.js';
import type { Params, Primitive } from '../core/primitive.js';
import { bind, bind1 } from '../core/trace.js';
import * as P from './primitives/index.js';
import type { DotDimensionNumbers } from './primitives/dot_general.js';
import type { GatherDimensionNumbers, GatherScatterMode, ScatterDimensionNumbers, ScatterParams } from './primitives/gather_scatter.js';
import { scalarConstant } from './constants.js';
import { map as treeMap } from '../tree/map.js';

export type { DotDimensionNumbers, GatherDimensionNumbers, ScatterDimensionNumbers, GatherScatterMode };
export { scalarConstant };

/** What a lax function accepts where an array goes: an array/tracer or a JS scalar. */
export type Operand = ArrayBase | number | boolean;

/**
 * Results are typed `Array`, the public type of every array value — as `jax.Array` also annotates
 * tracers: under a transformation the value is a tracer with the same ArrayBase interface.
 */
function bindOne<P extends Params>(prim: Primitive<P>, args: readonly ArrayBase[], params?: P): Array {
  return bind1(prim, [...args], params) as Array;
}

/** Turns JS scalars among `xs` into weak rank-0 arrays of the first array operand's dtype. */
function operands(xs: Operand[]): Array[] {
  const first = xs.find((x): x is Array => x instanceof ArrayBase);
  return xs.map((x) => {
    if (x instanceof ArrayBase) return x as Array;
    if (typeof x !== 'number' && typeof x !== 'boolean') {
      throw new TypeError(`lax functions take arrays or JS scalars, got ${describe(x)}; convert it with np.asarray first.`);
    }
    const t = first ? { dtype: first.dtype } : scalarType(x);
    return scalarConstant(x, t.dtype, true);
  });
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (globalThis.Array.isArray(x)) return 'a JS array';
  return typeof x === 'object' ? `an object (${(x as object).constructor?.name ?? 'Object'})` : `a ${typeof x}`;
}

const un = (prim: Primitive) => (x: Operand): Array => bindOne(prim, operands([x]));
const bin = (prim: Primitive) => (x: Operand, y: Operand): Array => bindOne(prim, operands([x, y]));

// ---- elementwise arithmetic --------------------------------------------------------------------
export const neg = un(P.neg);
export const sign = un(P.sign);
export const floor = un(P.floor);
export const ceil = un(P.ceil);
export const isFinite = un(P.is_finite);
export const exp = un(P.exp);
export const exp2 = un(P.exp2);
export const log = un(P.log);
export const expm1 = un(P.expm1);
export const log1p = un(P.log1p);
export const tanh = un(P.tanh);
export const logistic = un(P.logistic);
export const sin = un(P.sin);
export const cos = un(P.cos);
export const tan = un(P.tan);
export const asin = un(P.asin);
export const acos = un(P.acos);
export const atan = un(P.atan);
export const sinh = un(P.sinh);
export const cosh = un(P.cosh);
export const asinh = un(P.asinh);
export const acosh = un(P.acosh);
export const atanh = un(P.atanh);
export const sqrt = un(P.sqrt);
export const rsqrt = un(P.rsqrt);
export const cbrt = un(P.cbrt);
export const abs = un(P.abs);
export const square = un(P.square);
export const erf = un(P.erf);
export const erfInv = un(P.erf_inv);
export const clz = un(P.clz);
/** An explicit copy (a new buffer with the same values). */
export const copy = un(P.copy);
export const bitwiseNot = un(P.not);
export const populationCount = un(P.population_count);

export const add = bin(P.add);
export const sub = bin(P.sub);
export const mul = bin(P.mul);
export const div = bin(P.div);
export const rem = bin(P.rem);
export const pow = bin(P.pow);
export const max = bin(P.max);
export const min = bin(P.min);
export const atan2 = bin(P.atan2);
export const nextafter = bin(P.nextafter);
export const bitwiseAnd = bin(P.and);
export const bitwiseOr = bin(P.or);
export const bitwiseXor = bin(P.xor);
export const shiftLeft = bin(P.shift_left);
export const shiftRightArithmetic = bin(P.shift_right_arithmetic);
export const shiftRightLogical = bin(P.shift_right_logical);
export const eq = bin(P.eq);
export const ne = bin(P.ne);
export const lt = bin(P.lt);
export const le = bin(P.le);
export const gt = bin(P.gt);
export const ge = bin(P.ge);

/** JAX's RoundingMethod: 0 = AWAY_FROM_ZERO (lax.round's default), 1 = TO_NEAREST_EVEN (np.round). */
export const RoundingMethod = { AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const;
export function round(x: Operand, roundingMethod: 0 | 1 = RoundingMethod.AWAY_FROM_ZERO): Array {
  return bindOne(P.round, operands([x]), { rounding_method: roundingMethod });
}

/** x ** y for a static integer y, by repeated multiplication (exact for integers). */
export function integerPow(x: Operand, y: number): Array {
  if (!Number.isInteger(y)) throw new TypeError(`lax.integerPow: the exponent must be a JS integer, got ${y}; use lax.pow for other exponents.`);
  return bindOne(P.integer_pow, operands([x]), { y });
}

/** clamp(min, x, max), each bound a scalar or an array of x's shape. */
export function clamp(lo: Operand, x: Operand, hi: Operand): Array {
  const [xx] = operands([x]);
  const [l, h] = operands([xx, lo, hi]).slice(1);
  return bindOne(P.clamp, [l, xx, h]);
}

// ---- selection and conversion ------------------------------------------------------------------
/** `select_n(which, *cases)`: cases[which], with a bool `which` picking cases[0] when false. */
export function selectN(which: Operand, ...cases: Operand[]): Array {
  const cs = operands(cases);
  return bindOne(P.select_n, [...operands([which]), ...cs]);
}
/** `select(pred, onTrue, onFalse)` — lax.select, i.e. select_n(pred, onFalse, onTrue). */
export function select(pred: Operand, onTrue: Operand, onFalse: Operand): Array {
  const [f, t] = operands([onFalse, onTrue]);
  return bindOne(P.select_n, [...operands([pred]), f, t]);
}

/** Casts to `newDtype`; the result is weakly typed only when `weakType` says so (as in JAX). */
export function convertElementType(x: Operand, newDtype: DType, opts: { weakType?: boolean } = {}): Array {
  const [a] = operands([x]);
  const d = checkDType(newDtype, 'convert_element_type');
  const weak = opts.weakType ?? false;
  if (a.dtype === d && a.weakType === weak) return a;
  return bindOne(P.convert_element_type, [a], { new_dtype: d, weak_type: weak, sharding: null });
}

/** Reinterprets the bits of x as another 32-bit dtype. */
export function bitcastConvertType(x: Array, newDtype: DType): Array {
  return bindOne(P.bitcast_convert_type, [x], { new_dtype: checkDType(newDtype, 'bitcast_convert_type') });
}

// ---- shapes ------------------------------------------------------------------------------------
export function broadcastInDim(x: Operand, shape: readonly number[], broadcastDimensions: readonly number[]): Array {
  const [a] = operands([x]);
  if (a.ndim === shape.length && broadcastDimensions.every((d, i) => d === i) && a.shape.every((n, i) => n === shape[i])) return a;
  return bindOne(P.broadcast_in_dim, [a], { shape: [...shape], broadcast_dimensions: [...broadcastDimensions], sharding: null });
}

/** Adds leading dimensions `sizes` (lax.broadcast). */
export function broadcast(x: Operand, sizes: readonly number[]): Array {
  const [a] = operands([x]);
  if (sizes.length === 0) return a;
  const dims = a.shape.map((_, i) => i + sizes.length);
  return broadcastInDim(a, [...sizes, ...a.shape], dims);
}

/** Inserts size-1 dimensions at `dimensions` (positions in the result), via broadcast_in_dim as JAX does. */
export function expandDims(x: Operand, dimensions: readonly number[]): Array {
  const [a] = operands([x]);
  if (dimensions.length === 0) return a;
  const rank = a.ndim + dimensions.length;
  const dims = dimensions.map((d) => normalizeAxis(d, rank, 'expand_dims'));
  if (new Set(dims).size !== dims.length) throw new TypeError(`expand_dims: repeated dimension in ${shapeStr(dimensions)}.`);
  const shape: number[] = [];
  const bdims: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) {
    if (dims.includes(i)) shape.push(1);
    else { shape.push(a.shape[k++]); bdims.push(i); }
  }
  return broadcastInDim(a, shape, bdims);
}

export function reshape(x: Operand, newSizes: readonly number[], dimensions: readonly number[] | null = null): Array {
  let [a] = operands([x]);
  if (dimensions && !dimensions.every((d, i) => d === i)) a = transpose(a, dimensions);
  if (a.ndim === newSizes.length && a.shape.every((n, i) => n === newSizes[i])) return a;
  return bindOne(P.reshape, [a], { new_sizes: [...newSizes], dimensions: null, sharding: null });
}

export function squeeze(x: Operand, dimensions: readonly number[]): Array {
  const [a] = operands([x]);
  const dims = dimensions.map((d) => normalizeAxis(d, a.ndim, 'squeeze'));
  if (dims.length === 0) return a;
  return bindOne(P.squeeze, [a], { dimensions: [...dims].sort((p, q) => p - q) });
}

export function transpose(x: Operand, permutation: readonly number[]): Array {
  const [a] = operands([x]);
  if (permutation.length === a.ndim && permutation.every((p, i) => p === i)) return a;
  return bindOne(P.transpose, [a], { permutation: [...permutation] });
}

export function rev(x: Operand, dimensions: readonly number[]): Array {
  const [a] = operands([x]);
  if (dimensions.length === 0) return a;
  return bindOne(P.rev, [a], { dimensions: [...dimensions] });
}

export function slice(x: Operand, startIndices: readonly number[], limitIndices: readonly number[], strides: readonly number[] | null = null): Array {
  const [a] = operands([x]);
  const st = strides && strides.some((s) => s !== 1) ? [...strides] : null;
  return bindOne(P.slice, [a], { start_indices: [...startIndices], limit_indices: [...limitIndices], strides: st });
}

/** lax.slice_in_dim(x, start, limit, stride, axis). */
export function sliceInDim(x: Operand, start: number, limit: number, stride = 1, axis = 0): Array {
  const [a] = operands([x]);
  const ax = normalizeAxis(axis, a.ndim, 'slice_in_dim');
  const starts = a.shape.map(() => 0), limits = [...a.shape], strides = a.shape.map(() => 1);
  starts[ax] = start; limits[ax] = limit; strides[ax] = stride;
  return slice(a, starts, limits, strides);
}

/**
 * dynamic_slice(x, startIndices, sliceSizes): a slice at run-time start positions. As in JAX,
 * negative starts count from the end, and starts are then clamped so the slice fits.
 */
export function dynamicSlice(x: Operand, startIndices: readonly Operand[], sliceSizes: readonly number[]): Array {
  const [a] = operands([x]);
  return bindOne(P.dynamic_slice, [a, ...startScalars(startIndices, a.shape)], { slice_sizes: [...sliceSizes] });
}

/** dynamic_update_slice(x, update, startIndices): x with `update` written at run-time start positions. */
export function dynamicUpdateSlice(x: Operand, update: Operand, startIndices: readonly Operand[]): Array {
  const [a, u] = operands([x, update]);
  return bindOne(P.dynamic_update_slice, [a, u, ...startScalars(startIndices, a.shape)]);
}

/**
 * Start indices of dynamic slices with negative ones wrapped (JAX's allow_negative_indices): JS
 * numbers on the host, arrays with select_n(i < 0, i, i + n).
 */
function startScalars(xs: readonly Operand[], shape: readonly number[]): ArrayBase[] {
  // dynamic_slice wants one index dtype; JAX converts them all to int32 when there are several.
  return xs.map((i, d) => {
    if (!(i instanceof ArrayBase)) {
      const v = typeof i === 'boolean' ? +i : i;
      return scalarConstant(v < 0 ? v + shape[d] : v, 'int32', true);
    }
    if (i.dtype === 'uint32') return i;
    const idx = xs.length > 1 ? convertElementType(i, 'int32') : i;
    return select(lt(i, scalarConstant(0, i.dtype)), add(idx, scalarConstant(shape[d], idx.dtype)), idx);
  });
}

export function concatenate(operandsList: readonly Operand[], dimension: number): Array {
  const xs = operands([...operandsList]);
  if (xs.length === 1) return xs[0];
  return bindOne(P.concatenate, xs, { dimension: normalizeAxis(dimension, xs[0].ndim, 'concatenate') });
}

/** pad(x, paddingValue, [[lo, hi, interior], …]); negative lo/hi crop. */
export function pad(x: Operand, paddingValue: Operand, paddingConfig: readonly (readonly [number, number, number])[]): Array {
  const [a, v] = operands([x, paddingValue]);
  return bindOne(P.pad, [a, v], { padding_config: paddingConfig.map((c): [number, number, number] => [c[0], c[1], c[2]]) });
}

/** lax.iota(dtype, size): [0, 1, …, size-1]. */
export function iota(dtype: DType, size: number): Array {
  return broadcastedIota(dtype, [size], 0);
}
export function broadcastedIota(dtype: DType, shape: readonly number[], dimension: number): Array {
  return bindOne(P.iota, [], { dtype: checkDType(dtype, 'iota'), shape: [...shape], dimension, sharding: null });
}

/**
 * lax.full(shape, fillValue, dtype?): a scalar broadcast to `shape`. Without a dtype the result is
 * as weakly typed as the fill value (a JS number is weak), as in JAX.
 */
export function full(shape: readonly number[], fillValue: Operand, dtype?: DType): Array {
  const v = fillValue instanceof ArrayBase
    ? (dtype ? convertElementType(fillValue, dtype) : fillValue)
    : scalarConstant(fillValue, dtype ?? scalarType(fillValue).dtype, dtype === undefined && typeof fillValue === 'number');
  if (v.ndim !== 0) throw new TypeError(`lax.full: fill value must be a scalar, got shape ${shapeStr(v.shape)}.`);
  return broadcast(v, shape);
}

/** lax.full_like(x, fillValue, dtype?, shape?): weakly typed when x is and no dtype is given. */
export function fullLike(x: Array, fillValue: Operand, dtype?: DType, shape?: readonly number[]): Array {
  const d = dtype ?? x.dtype;
  const weakType = dtype === undefined && x.weakType;
  const v = fillValue instanceof ArrayBase ? convertElementType(fillValue, d, { weakType }) : scalarConstant(fillValue, d, weakType);
  return full(shape ?? x.shape, v);
}
export const zerosLike = (x: Array): Array => fullLike(x, 0);

// ---- contractions and reductions ---------------------------------------------------------------
/**
 * dot_general(lhs, rhs, [[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]]): result dims are
 * (batch…, lhs free…, rhs free…).
 */
export function dotGeneral(lhs: Operand, rhs: Operand, dimensionNumbers: DotDimensionNumbers, opts: { preferredElementType?: DType | null } = {}): Array {
  const [a, b] = operands([lhs, rhs]);
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  return bindOne(P.dot_general, [a, b], {
    dimension_numbers: [[[...lc], [...rc]], [[...lb], [...rb]]],
    precision: null,
    preferred_element_type: opts.preferredElementType ?? null,
    out_sharding: null,
  });
}

/** lax.dot: vector·vector, matrix·vector or matrix·matrix (contracts lhs's last dim with rhs's first). */
export function dot(lhs: Operand, rhs: Operand, opts: { preferredElementType?: DType | null } = {}): Array {
  const [a, b] = operands([lhs, rhs]);
  if (a.ndim < 1 || a.ndim > 2 || b.ndim < 1 || b.ndim > 2) {
    throw new TypeError(`lax.dot requires lhs and rhs of rank 1 or 2, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}; use lax.dotGeneral or np.matmul.`);
  }
  return dotGeneral(a, b, [[[a.ndim - 1], [0]], [[], []]], opts);
}

const reducer = (prim: Primitive<{ axes: number[]; out_sharding?: null }>, withSharding: boolean) => (x: Operand, axes: readonly number[]): Array => {
  const [a] = operands([x]);
  const ax = axes.map((d) => normalizeAxis(d, a.ndim, prim.name));
  return bindOne(prim, [a], withSharding ? { axes: ax, out_sharding: null } : { axes: ax });
};
export const reduceSum = reducer(P.reduce_sum, true);
export const reduceProd = reducer(P.reduce_prod, false);
export const reduceMax = reducer(P.reduce_max, false);
export const reduceMin = reducer(P.reduce_min, false);
export const reduceAnd = reducer(P.reduce_and, false);
export const reduceOr = reducer(P.reduce_or, false);

/** lax.argmax(x, axis, indexDtype): the first index of the largest value (NaN counts as largest). */
export function argmax(x: Operand, axis: number, indexDtype: DType = 'int32'): Array {
  const [a] = operands([x]);
  return bindOne(P.argmax, [a], { axes: [normalizeAxis(axis, a.ndim, 'argmax')], index_dtype: indexDtype });
}
export function argmin(x: Operand, axis: number, indexDtype: DType = 'int32'): Array {
  const [a] = operands([x]);
  return bindOne(P.argmin, [a], { axes: [normalizeAxis(axis, a.ndim, 'argmin')], index_dtype: indexDtype });
}

const cumulative = (prim: Primitive<{ axis: number; reverse: boolean }>) => (x: Operand, opts: { axis?: number; reverse?: boolean } = {}): Array => {
  const [a] = operands([x]);
  return bindOne(prim, [a], { axis: normalizeAxis(opts.axis ?? 0, a.ndim, prim.name), reverse: opts.reverse ?? false });
};
export const cumsum = cumulative(P.cumsum);
export const cumprod = cumulative(P.cumprod);
export const cummax = cumulative(P.cummax);
export const cummin = cumulative(P.cummin);

// ---- gather, scatter, sort ---------------------------------------------------------------------
export interface GatherOptions {
  mode?: GatherScatterMode;
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

/** lax.gather with JAX's GatherDimensionNumbers; `mode` defaults to 'promise_in_bounds' (clamps). */
export function gather(operand: Array, startIndices: Array, dimensionNumbers: Partial<GatherDimensionNumbers> & Pick<GatherDimensionNumbers, 'offset_dims' | 'collapsed_slice_dims' | 'start_index_map'>,
  sliceSizes: readonly number[], opts: GatherOptions = {}): Array {
  const dn: GatherDimensionNumbers = {
    offset_dims: [...dimensionNumbers.offset_dims],
    collapsed_slice_dims: [...dimensionNumbers.collapsed_slice_dims],
    start_index_map: [...dimensionNumbers.start_index_map],
    operand_batching_dims: [...(dimensionNumbers.operand_batching_dims ?? [])],
    start_indices_batching_dims: [...(dimensionNumbers.start_indices_batching_dims ?? [])],
  };
  return bindOne(P.gather, [operand, startIndices], {
    dimension_numbers: dn,
    fill_value: opts.fillValue ?? null,
    indices_are_sorted: opts.indicesAreSorted ?? false,
    mode: opts.mode ?? 'promise_in_bounds',
    slice_sizes: [...sliceSizes],
    unique_indices: opts.uniqueIndices ?? false,
  });
}

export interface ScatterOptions {
  mode?: GatherScatterMode;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

const scatterer = (prim: Primitive<ScatterParams>) => (operand: Array, scatterIndices: Array, updates: Operand,
  dimensionNumbers: Partial<ScatterDimensionNumbers> & Pick<ScatterDimensionNumbers, 'update_window_dims' | 'inserted_window_dims' | 'scatter_dims_to_operand_dims'>,
  opts: ScatterOptions = {}): Array => {
  const [, u] = operands([operand, updates]);
  const dn: ScatterDimensionNumbers = {
    update_window_dims: [...dimensionNumbers.update_window_dims],
    inserted_window_dims: [...dimensionNumbers.inserted_window_dims],
    scatter_dims_to_operand_dims: [...dimensionNumbers.scatter_dims_to_operand_dims],
    operand_batching_dims: [...(dimensionNumbers.operand_batching_dims ?? [])],
    scatter_indices_batching_dims: [...(dimensionNumbers.scatter_indices_batching_dims ?? [])],
  };
  return bindOne(prim, [operand, scatterIndices, u], {
    dimension_numbers: dn,
    indices_are_sorted: opts.indicesAreSorted ?? false,
    // Scatters default to FILL_OR_DROP, as JAX's .at[] updates do: out-of-bounds updates are dropped.
    mode: opts.mode ?? 'fill',
    unique_indices: opts.uniqueIndices ?? false,
    update_consts: [],
    update_jaxpr: null,
  });
};
export const scatter = scatterer(P.scatter);
export const scatterAdd = scatterer(P.scatter_add);
export const scatterMul = scatterer(P.scatter_mul);
export const scatterMin = scatterer(P.scatter_min);
export const scatterMax = scatterer(P.scatter_max);

/**
 * lax.sort(operand | operands, {dimension = -1, isStable = true, numKeys = 1}): one array sorted,
 * or several same-shaped arrays permuted together by the lexicographic order of the first numKeys.
 */
export function sort(operand: Array, opts?: { dimension?: number; isStable?: boolean; numKeys?: number }): Array;
export function sort(operand: readonly Array[], opts?: { dimension?: number; isStable?: boolean; numKeys?: number }): Array[];
export function sort(operand: Array | readonly Array[], opts: { dimension?: number; isStable?: boolean; numKeys?: number } = {}): Array | Array[] {
  const xs = operand instanceof ArrayBase ? [operand] : [...operand];
  if (xs.length === 0) throw new TypeError('lax.sort requires at least one operand.');
  const params = {
    dimension: normalizeAxis(opts.dimension ?? -1, xs[0].ndim, 'sort'),
    is_stable: opts.isStable ?? true,
    num_keys: opts.numKeys ?? 1,
  };
  const outs = bind(P.sort, xs, params) as Array[];
  return operand instanceof ArrayBase ? outs[0] : outs;
}

// ---- control flow --------------------------------------------------------------------------------
// cond / switch (cond_p), whileLoop (while_p), fori (scan or while), scan (scan_p): see ./control_flow.
/** `lax.stopGradient(x)`: x unchanged, but a constant to differentiation; maps over a pytree. */
export function stopGradient<T>(x: T): T {
  return treeMap((leaf: unknown) => (leaf instanceof ArrayBase ? bindOne(P.stop_gradient, [leaf]) : leaf), x) as T;
}

export { cond, switch, whileLoop, fori, scan, cond_p, while_p, scan_p, JaxprTypeError } from './control_flow/index.js';
export type { AsArrays, Bound, CondParams, ForiOptions, Scalar, ScanOptions, ScanParams, WhileParams } from './control_flow/index.js';
