// Primitives that move data without arithmetic: broadcasting, reshaping, slicing, padding, iota.
// Params use JAX's names (snake_case), so jaxprs print exactly as JAX prints them. The ones that
// are a strided view of their operand also say here how (`stridedViewOf`), for both backends.

import { ShapedArray } from '../../core/aval.js';
import { type DType, checkDType, isInteger } from '../../core/dtype.js';
import { definePrimitive, type Params } from '../../core/primitive.js';
import { sizeOf, shapeStr, stridesOf } from '../../core/shape.js';
import { checkPermutation, tupleParam, allWeak } from './rules.js';

export const broadcast_in_dim = definePrimitive<{ shape: number[]; broadcast_dimensions: number[]; sharding?: null }>({
  name: 'broadcast_in_dim',
  abstractEval([x], { shape, broadcast_dimensions }) {
    const bd = tupleParam('broadcast_in_dim', 'broadcast_dimensions', broadcast_dimensions);
    if (bd.length !== x.ndim) {
      throw new TypeError(`broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions ${shapeStr(bd)} for operand ndim ${x.ndim}.`);
    }
    bd.forEach((d, i) => {
      if (d < 0 || d >= shape.length || (x.shape[i] !== 1 && x.shape[i] !== shape[d])) {
        throw new TypeError(`broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape ${shapeStr(x.shape)}, target broadcast shape ${shapeStr(shape)}, broadcast_dimensions ${shapeStr(bd)}.`);
      }
      if (i > 0 && d <= bd[i - 1]) throw new TypeError(`broadcast_in_dim broadcast_dimensions must be strictly increasing; got broadcast_dimensions ${shapeStr(bd)}.`);
    });
    return [new ShapedArray(shape, x.dtype, x.weakType)];
  },
});

export const reshape = definePrimitive<{ new_sizes: number[]; dimensions: null; sharding?: null }>({
  name: 'reshape',
  abstractEval([x], { new_sizes }) {
    if (sizeOf(new_sizes) !== x.size) {
      throw new TypeError(`reshape total size must be unchanged, got new_sizes ${shapeStr(new_sizes)} (size ${sizeOf(new_sizes)}) for shape ${shapeStr(x.shape)} (size ${x.size}).`);
    }
    return [new ShapedArray(new_sizes, x.dtype, x.weakType)];
  },
});

export const transpose = definePrimitive<{ permutation: number[] }>({
  name: 'transpose',
  abstractEval([x], { permutation }) {
    checkPermutation('transpose', permutation, x.ndim, x.shape);
    return [new ShapedArray(permutation.map((p) => x.shape[p]), x.dtype, x.weakType)];
  },
});

export const squeeze = definePrimitive<{ dimensions: number[] }>({
  name: 'squeeze',
  abstractEval([x], { dimensions }) {
    for (const d of dimensions) {
      if (d < 0 || d >= x.ndim || x.shape[d] !== 1) {
        throw new TypeError(`cannot select an axis to squeeze out which has size not equal to one, got shape=${shapeStr(x.shape)} and dimensions=${shapeStr(dimensions)}.`);
      }
    }
    return [new ShapedArray(x.shape.filter((_, i) => !dimensions.includes(i)), x.dtype, x.weakType)];
  },
});

export const expand_dims = definePrimitive<{ dimensions: number[] }>({
  name: 'expand_dims',
  abstractEval([x], { dimensions }) {
    const out = [...x.shape];
    for (const d of [...dimensions].sort((a, b) => a - b)) {
      if (d < 0 || d > out.length) throw new TypeError(`expand_dims: dimension ${d} out of range for result rank ${x.ndim + dimensions.length}.`);
      out.splice(d, 0, 1);
    }
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

export const rev = definePrimitive<{ dimensions: number[] }>({
  name: 'rev',
  abstractEval([x], { dimensions }) {
    if (dimensions.some((d) => d < 0 || d >= x.ndim) || new Set(dimensions).size !== dimensions.length) {
      throw new TypeError(`rev dimensions must be unique and in range for operand of shape ${shapeStr(x.shape)}, got ${shapeStr(dimensions)}.`);
    }
    return [x];
  },
});

export const slice = definePrimitive<{ start_indices: number[]; limit_indices: number[]; strides: number[] | null }>({
  name: 'slice',
  abstractEval([x], { start_indices, limit_indices, strides }) {
    const st = strides ?? x.shape.map(() => 1);
    if (start_indices.length !== x.ndim || limit_indices.length !== x.ndim || st.length !== x.ndim) {
      throw new TypeError(`slice start_indices, limit_indices and strides must have length equal to the operand rank ${x.ndim}, got ${shapeStr(start_indices)}, ${shapeStr(limit_indices)}, ${shapeStr(st)}.`);
    }
    const out = x.shape.map((n, i) => {
      const s = start_indices[i], l = limit_indices[i];
      if (s < 0 || l > n || s > l || st[i] < 1) {
        throw new TypeError(`slice start_indices ${shapeStr(start_indices)} and limit_indices ${shapeStr(limit_indices)} must satisfy 0 <= start <= limit <= shape for operand shape ${shapeStr(x.shape)}.`);
      }
      return Math.ceil((l - s) / st[i]);
    });
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

function checkIndexScalars(prim: string, idx: ShapedArray[], ndim: number) {
  if (idx.length !== ndim) throw new TypeError(`${prim}: got ${idx.length} start indices for an operand of rank ${ndim}; pass one index per dimension.`);
  for (const i of idx) {
    if (i.ndim !== 0 || !isInteger(i.dtype)) throw new TypeError(`${prim}: start indices must be integer scalars, got ${i.strShort()}.`);
  }
}

/** dynamic_slice(operand, *start_indices)[slice_sizes]: starts are clamped so the slice fits, as XLA does. */
export const dynamic_slice = definePrimitive<{ slice_sizes: number[] }>({
  name: 'dynamic_slice',
  abstractEval([x, ...idx], { slice_sizes }) {
    checkIndexScalars('dynamic_slice', idx, x.ndim);
    if (slice_sizes.length !== x.ndim || slice_sizes.some((s, i) => s < 0 || s > x.shape[i])) {
      throw new TypeError(`dynamic_slice slice_sizes must be non-negative and no larger than the operand shape, got slice_sizes ${shapeStr(slice_sizes)} for operand shape ${shapeStr(x.shape)}.`);
    }
    return [new ShapedArray(slice_sizes, x.dtype, x.weakType)];
  },
});

export const dynamic_update_slice = definePrimitive({
  name: 'dynamic_update_slice',
  abstractEval([x, update, ...idx]) {
    checkIndexScalars('dynamic_update_slice', idx, x.ndim);
    if (update.ndim !== x.ndim || update.shape.some((s, i) => s > x.shape[i])) {
      throw new TypeError(`dynamic_update_slice update shape ${shapeStr(update.shape)} must be no larger than operand shape ${shapeStr(x.shape)} and of the same rank.`);
    }
    if (update.dtype !== x.dtype) throw new TypeError(`dynamic_update_slice update dtype ${update.dtype} must match operand dtype ${x.dtype}.`);
    return [x.withWeak(x.weakType)];
  },
});

export const concatenate = definePrimitive<{ dimension: number }>({
  name: 'concatenate',
  abstractEval(xs, { dimension }) {
    if (xs.length === 0) throw new TypeError('concatenate requires at least one operand.');
    const r = xs[0].ndim;
    if (dimension < 0 || dimension >= r) throw new TypeError(`concatenate dimension out of bounds: dimension ${dimension} for shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
    for (const x of xs) {
      if (x.ndim !== r || x.shape.some((n, i) => i !== dimension && n !== xs[0].shape[i])) {
        throw new TypeError(`Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${dimension} for shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
      }
      if (x.dtype !== xs[0].dtype) throw new TypeError(`concatenate requires arguments to have the same dtypes, got ${xs.map((x) => x.dtype).join(', ')}.`);
    }
    const out = [...xs[0].shape];
    out[dimension] = xs.reduce((s, x) => s + x.shape[dimension], 0);
    return [new ShapedArray(out, xs[0].dtype, allWeak(xs))];
  },
});

/** pad(operand, padding_value)[padding_config = [[lo, hi, interior], …]]; negative lo/hi crop. */
export const pad = definePrimitive<{ padding_config: [number, number, number][] }>({
  name: 'pad',
  abstractEval([x, v], { padding_config }) {
    if (v.ndim !== 0) throw new TypeError(`pad padding_value must be a scalar, got shape ${shapeStr(v.shape)}.`);
    if (v.dtype !== x.dtype) throw new TypeError(`pad operand and padding_value must be same dtype: got ${x.dtype} and ${v.dtype}.`);
    if (padding_config.length !== x.ndim) throw new TypeError(`pad: padding_config has ${padding_config.length} entries for an operand of rank ${x.ndim}; give one (lo, hi, interior) per dimension.`);
    const out = x.shape.map((n, i) => {
      const [lo, hi, interior] = padding_config[i];
      if (interior < 0) throw new TypeError(`pad: interior padding must be non-negative, got ${interior}.`);
      const r = lo + hi + n + Math.max(0, n - 1) * interior;
      if (r < 0) throw new TypeError(`Dimension size after padding is not at least 0, got result shape with ${r} in dimension ${i}.`);
      return r;
    });
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

export const iota = definePrimitive<{ dtype: DType; shape: number[]; dimension: number; sharding?: null }>({
  name: 'iota',
  abstractEval(_, { dtype, shape, dimension }) {
    const d = checkDType(dtype, 'iota');
    if (d === 'bool') throw new TypeError('iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.');
    if (dimension < 0 || dimension >= shape.length) throw new TypeError(`iota dimension must be in range [0, ${shape.length}), got dimension=${dimension}.`);
    return [new ShapedArray(shape, d, false)];
  },
});

/** The primitives whose output is a strided view of their operand (see `stridedViewOf`). */
export const STRIDED_VIEW_PRIMITIVES = ['broadcast_in_dim', 'transpose', 'rev', 'slice'] as const;

/**
 * How one of STRIDED_VIEW_PRIMITIVES reads its operand (of `shape`), for the kernels of every
 * backend: output element at multi-index i is operand[offset + Σ i[d]·strides[d]] — broadcast is
 * stride 0, transpose permutes the strides, rev negates them, slice offsets and scales them.
 */
export function stridedViewOf(prim: (typeof STRIDED_VIEW_PRIMITIVES)[number], shape: readonly number[], params: Params): { strides: number[]; offset: number } {
  const xs = stridesOf(shape);
  switch (prim) {
    case 'broadcast_in_dim': {
      const strides = (params.shape as number[]).map(() => 0);
      (params.broadcast_dimensions as number[]).forEach((d, i) => { if (shape[i] !== 1) strides[d] = xs[i]; });
      return { strides, offset: 0 };
    }
    case 'transpose': return { strides: (params.permutation as number[]).map((p) => xs[p]), offset: 0 };
    case 'rev': {
      let offset = 0;
      for (const d of params.dimensions as number[]) {
        offset += (shape[d] - 1) * xs[d];
        xs[d] = -xs[d];
      }
      return { strides: xs, offset };
    }
    case 'slice': {
      const start = params.start_indices as number[];
      const steps = (params.strides as number[] | null) ?? start.map(() => 1);
      return { strides: xs.map((s, d) => s * steps[d]), offset: start.reduce((acc, s, d) => acc + s * xs[d], 0) };
    }
  }
}

export const copy = definePrimitive({ name: 'copy', abstractEval([x]) { return [x]; } });
export const copy_p = definePrimitive({ name: 'copy_p', abstractEval([x]) { return [x]; } });

// ---- batching rules ----------------------------------------------------------------------------
// JAX's rules (lax.py, slicing.py): most move the batch dim to the front and shift their dims by
// one; dynamic_slice / dynamic_update_slice become gather / scatter (batched start indices).
import { defineBatch } from '../../core/primitive.js';
import { bind1 as bindPrim } from '../../core/trace.js';
import type { ArrayBase } from '../../core/array_base.js';
import {
  type BDim, batchSize, bdimAtFront, broadcastAt, broadcastInDim, concatenateAlong, moveaxis, scalar, vectorizedBatcher,
} from '../../interpreters/batching_util.js';
import { gatherBatchRule, scatterBatchRules, scatter as scatterPrim } from './gather_scatter.js';
import { select_n } from './elementwise.js';

defineBatch(broadcast_in_dim, ([x], [d], params) => {
  const op = moveaxis(x, d!, 0);
  return [[bindPrim(broadcast_in_dim, [op], {
    ...params, shape: [op.shape[0], ...params.shape], broadcast_dimensions: [0, ...params.broadcast_dimensions.map((b) => b + 1)],
  })], [0]];
});

defineBatch(reshape, ([x], [d], params) => {
  const op = moveaxis(x, d!, 0);
  const newSizes = [op.shape[0], ...params.new_sizes];
  if (newSizes.join() === op.shape.join()) return [[op], [0]];
  return [[bindPrim(reshape, [op], { ...params, new_sizes: newSizes })], [0]];
});

defineBatch(transpose, ([x], [d], { permutation }) => {
  const b = d!;
  const perm = [b, ...permutation.map((i) => (i < b ? i : i + 1))];
  return [[bindPrim(transpose, [x], { permutation: perm })], [0]];
});

defineBatch(squeeze, ([x], [d], { dimensions }) => {
  const op = moveaxis(x, d!, 0);
  return [[bindPrim(squeeze, [op], { dimensions: dimensions.map((i) => i + 1) })], [0]];
});

defineBatch(expand_dims, ([x], [d], { dimensions }) => {
  const op = moveaxis(x, d!, 0);
  return [[bindPrim(expand_dims, [op], { dimensions: dimensions.map((i) => i + 1) })], [0]];
});

defineBatch(rev, ([x], [d], { dimensions }) => {
  const b = d!;
  return [[bindPrim(rev, [x], { dimensions: dimensions.map((i) => (i >= b ? i + 1 : i)) })], [b]];
});

defineBatch(slice, ([x], [d], { start_indices, limit_indices, strides }) => {
  const b = d!;
  const ins = <T>(xs: readonly T[], v: T) => { const out = [...xs]; out.splice(b, 0, v); return out; };
  return [[bindPrim(slice, [x], {
    start_indices: ins(start_indices, 0), limit_indices: ins(limit_indices, x.shape[b]), strides: strides === null ? null : ins(strides, 1),
  })], [b]];
});

/** JAX's _batch_dynamic_slice_indices: the start scalars as one index vector, [n] or [B, n]. */
function batchDynamicSliceIndices(indices: ArrayBase[], dims: BDim[]): [ArrayBase, BDim] {
  if (indices.length === 0) return [bindPrim(iota, [], { dtype: 'int32', shape: [0], dimension: 0, sharding: null }), null];
  const k = dims.findIndex((d) => d !== null);
  if (k < 0) return [concatenateAlong(indices.map((i) => broadcastInDim(i, [1], [])), 0), null];
  const size = indices[k].shape[dims[k]!];
  return [concatenateAlong(indices.map((x, i) => broadcastInDim(x, [size, 1], dims[i] === null ? [] : [0])), 1), 0];
}

defineBatch(dynamic_slice, ([operand, ...starts], [operandDim, ...startDims], { slice_sizes }) => {
  const ndims = operand.ndim - (operandDim === null ? 0 : 1);
  const dims = [...Array(ndims).keys()];
  const [index, indexDim] = batchDynamicSliceIndices(starts, startDims);
  return gatherBatchRule([operand, index], [operandDim, indexDim], {
    dimension_numbers: { offset_dims: dims, collapsed_slice_dims: [], start_index_map: dims, operand_batching_dims: [], start_indices_batching_dims: [] },
    slice_sizes, unique_indices: true, indices_are_sorted: true, mode: 'clip', fill_value: null,
  });
});

defineBatch(dynamic_update_slice, (args, argDims) => {
  const [operand, update, ...starts] = args;
  const [operandDim, updateDim, ...startDims] = argDims;
  const ndims = update.ndim - (updateDim === null ? 0 : 1);
  const dims = [...Array(ndims).keys()];
  const [index, indexDim] = batchDynamicSliceIndices(starts, startDims);
  const size = batchSize(args, argDims);
  // As JAX: vmap of scatter with out_axes 0 (the operand is made batched even when only indices are).
  const [[out], [d]] = scatterBatchRules.get(scatterPrim)!([operand, index, update], [operandDim, indexDim, updateDim], {
    dimension_numbers: { update_window_dims: dims, inserted_window_dims: [], scatter_dims_to_operand_dims: dims, operand_batching_dims: [], scatter_indices_batching_dims: [] },
    indices_are_sorted: true, unique_indices: true, mode: 'clip', update_jaxpr: null, update_consts: [],
  });
  return [[d === 0 ? out : bdimAtFront(out, d, size)], [0]];
});

defineBatch(concatenate, (args, dims, { dimension }) => {
  const size = batchSize(args, dims);
  const ops = args.map((x, i) => bdimAtFront(x, dims[i], size));
  return [[bindPrim(concatenate, ops, { dimension: dimension + 1 })], [0]];
});

defineBatch(pad, ([operand, value], [operandDim, valueDim], { padding_config }) => {
  let op = operand, b = operandDim;
  if (b === null) { b = 0; op = broadcastAt(operand, value.shape[valueDim!], 0); }
  const config = [...padding_config];
  config.splice(b, 0, [0, 0, 0]);
  if (valueDim === null) return [[bindPrim(pad, [op, value], { padding_config: config })], [b]];
  const x = bindPrim(pad, [op, scalar(0, op.dtype)], { padding_config: config });
  const mask = bindPrim(pad, [broadcastInDim(scalar(true, 'bool'), op.shape, []), scalar(false, 'bool')], { padding_config: config });
  const fill = broadcastInDim(value, x.shape, [b]);
  return [[bindPrim(select_n, [mask, fill, x])], [b]];
});

defineBatch(copy, vectorizedBatcher(copy));
defineBatch(copy_p, vectorizedBatcher(copy_p));

// ---- JVP and transpose rules -------------------------------------------------------------------
// JAX's rules (lax.py, slicing.py): every primitive here is linear in its array operands, so its JVP
// applies it to the tangents; the transposes reduce/pad/scatter the cotangent back to the operand.
import { UndefinedPrimal, Zero as AdZero } from '../../core/ad_util.js';
import { defineJvp as defineJvpRule, defineTranspose as defineTransposeRule } from '../../core/primitive.js';
import { bind1 as bindAd } from '../../core/trace.js';
import { defLinear, instantiateZeros, isZero as isAdZero, primitiveNamed, zerosLikeAval } from '../../interpreters/jvp.js';
import { ShapedArray as AdAval } from '../../core/aval.js';

const avalOfArg = (x: ArrayBase | UndefinedPrimal): AdAval => (x instanceof UndefinedPrimal ? x.aval : x.aval);
const range = (n: number) => [...Array(n).keys()];

/** lax.broadcast_in_dim, skipping the identity (JAX forwards it without an equation). */
export function broadcastInDimAd(x: ArrayBase, shape: readonly number[], dims: readonly number[]): ArrayBase {
  if (x.ndim === shape.length && dims.every((d, i) => d === i) && x.shape.every((n, i) => n === shape[i])) return x;
  return bindAd(broadcast_in_dim, [x], { shape: [...shape], broadcast_dimensions: [...dims], sharding: null });
}
/** lax.expand_dims: broadcast_in_dim inserting size-1 dims. */
function expandDimsAd(x: ArrayBase, dims: number[]): ArrayBase {
  if (dims.length === 0) return x;
  const shape = [...x.shape];
  for (const d of [...dims].sort((a, b) => a - b)) shape.splice(d, 0, 1);
  return broadcastInDimAd(x, shape, range(shape.length).filter((i) => !dims.includes(i)));
}
/** lax.reduce_sum (JAX binds it with `out_sharding=None`). */
export function reduceSumAd(x: ArrayBase, axes: number[]): ArrayBase {
  if (axes.length === 0) return x;
  return bindAd(primitiveNamed('reduce_sum'), [x], { axes, out_sharding: null });
}
/** lax.full(shape, 0, dtype): broadcast_in_dim of a scalar zero. */
const zerosAd = (shape: readonly number[], dtype: ArrayBase['dtype']) => zerosLikeAval(new AdAval(shape, dtype, false));

defLinear(broadcast_in_dim, (ct, [operand], { broadcast_dimensions }) => {
  const a = avalOfArg(operand);
  const unitDims = range(a.ndim).filter((i) => a.shape[i] === 1);
  const bdims = broadcast_dimensions.filter((_, i) => !unitDims.includes(i));
  const axes = range(ct.ndim).filter((d) => !bdims.includes(d));
  return [expandDimsAd(reduceSumAd(ct, axes), unitDims)];
});

defLinear(reshape, (ct, [operand], params) => {
  const a = avalOfArg(operand);
  if (ct.shape.join() === a.shape.join()) return [ct];
  return [bindAd(reshape, [ct], { ...params, new_sizes: [...a.shape], dimensions: null })];
});

defLinear(transpose, (ct, _args, { permutation }) => {
  const inv = permutation.map((_, i) => permutation.indexOf(i));
  if (inv.every((p, i) => p === i)) return [ct];
  return [bindAd(transpose, [ct], { permutation: inv })];
});

defLinear(squeeze, (ct, _args, { dimensions }) => [expandDimsAd(ct, dimensions)]);

defLinear(expand_dims, (ct, _args, { dimensions }) => [bindAd(squeeze, [ct], { dimensions: [...dimensions].sort((a, b) => a - b) })]);

defLinear(rev, (ct, _args, { dimensions }) => [bindAd(rev, [ct], { dimensions })]);

defLinear(slice, (ct, [operand], { start_indices, limit_indices, strides }) => {
  const shape = avalOfArg(operand).shape;
  let config: [number, number, number][];
  if (strides === null || strides.every((s) => s === 1)) {
    config = start_indices.map((s, i) => [s, shape[i] - limit_indices[i], 0]);
  } else {
    config = start_indices.map((s, i) => {
      const realLimit = s + (ct.shape[i] === 0 ? 0 : 1 + (ct.shape[i] - 1) * strides[i]);
      return [s, shape[i] - realLimit, strides[i] - 1];
    });
  }
  return [bindAd(pad, [ct, scalarZero(ct)], { padding_config: config })];
});

function scalarZero(like: ArrayBase): ArrayBase { return zerosLikeAval(new AdAval([], like.dtype, false)); }

defineJvpRule(dynamic_slice, ([x, ...idx], [tx], params) => {
  const out = bindAd(dynamic_slice, [x, ...idx], params);
  return [[out], [isAdZero(tx) ? new AdZero(out.aval) : bindAd(dynamic_slice, [tx, ...idx], params)]];
});
defineTransposeRule(dynamic_slice, ([ct], [operand, ...idx]) => {
  const a = avalOfArg(operand);
  const rest = idx.map(() => null);
  if (isAdZero(ct)) return [new AdZero(a), ...rest];
  return [bindAd(dynamic_update_slice, [zerosAd(a.shape, a.dtype), ct, ...(idx as ArrayBase[])]), ...rest];
});

defineJvpRule(dynamic_update_slice, ([x, u, ...idx], [tx, tu]) => {
  const out = bindAd(dynamic_update_slice, [x, u, ...idx]);
  if (isAdZero(tx) && isAdZero(tu)) return [[out], [new AdZero(out.aval)]];
  return [[out], [bindAd(dynamic_update_slice, [instantiateZeros(tx), instantiateZeros(tu), ...idx])]];
});
defineTransposeRule(dynamic_update_slice, ([ct], [operand, update, ...idx]) => {
  const rest = idx.map(() => null);
  const opLinear = operand instanceof UndefinedPrimal, upLinear = update instanceof UndefinedPrimal;
  const uAval = avalOfArg(update);
  if (isAdZero(ct)) return [opLinear ? new AdZero(operand.aval) : null, upLinear ? new AdZero(uAval) : null, ...rest];
  const ix = idx as ArrayBase[];
  return [
    opLinear ? bindAd(dynamic_update_slice, [ct, zerosLikeAval(new AdAval(uAval.shape, ct.dtype, ct.weakType)), ...ix]) : null,
    upLinear ? bindAd(dynamic_slice, [ct, ...ix], { slice_sizes: [...uAval.shape] }) : null,
    ...rest,
  ];
});

defLinear(concatenate, (ct, args, { dimension }) => {
  let offset = 0;
  return args.map((x: ArrayBase | UndefinedPrimal) => {
    const a = avalOfArg(x);
    const start = offset;
    offset += a.shape[dimension];
    if (!(x instanceof UndefinedPrimal)) return null;
    const starts = ct.shape.map((_, d) => (d === dimension ? start : 0));
    const limits = ct.shape.map((n, d) => (d === dimension ? start + a.shape[dimension] : n));
    return bindAd(slice, [ct], { start_indices: starts, limit_indices: limits, strides: null });
  });
});

defLinear(pad, (ct, [operand, padValue], { padding_config }) => {
  const total = (x: ArrayBase) => reduceSumAd(x, range(x.ndim));
  let tOperand: ArrayBase | null = null;
  if (operand instanceof UndefinedPrimal || padValue instanceof UndefinedPrimal) {
    const unpadded = bindAd(pad, [ct, scalarZero(ct)], { padding_config: padding_config.map(([lo, hi]): [number, number, number] => [-lo, -hi, 0]) });
    tOperand = bindAd(slice, [unpadded], {
      start_indices: unpadded.shape.map(() => 0), limit_indices: unpadded.shape, strides: padding_config.map(([, , interior]) => interior + 1),
    });
  }
  return [
    operand instanceof UndefinedPrimal ? tOperand : null,
    padValue instanceof UndefinedPrimal ? bindAd(primitiveNamed('sub'), [total(ct), total(tOperand!)]) : null,
  ];
});

defLinear(copy, (ct) => [bindAd(copy, [ct])]);
defLinear(copy_p, (ct) => [bindAd(copy_p, [ct])]);
