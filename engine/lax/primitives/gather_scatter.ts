// gather and the scatter family, with XLA's general dimension numbers as JAX defines them.
//
// Dimension numbers are plain objects with JAX's field names (GatherDimensionNumbers /
// ScatterDimensionNumbers). As in JAX, the index vector is always the last dimension of the
// indices. `mode` is a string standing for JAX's GatherScatterMode:
//   'clip'              CLIP: start indices are clamped so the whole window is in bounds;
//   'fill'              FILL_OR_DROP: a gather window that is not wholly in bounds reads
//                       `fill_value` everywhere; a scatter window that is not wholly in bounds is
//                       dropped;
//   'promise_in_bounds' PROMISE_IN_BOUNDS: the caller promises in-bounds indices. What happens
//                       otherwise is what XLA does: gathers clamp (as 'clip'), scatters drop.
// Indices are used as given: negative indices are out of bounds (jnp normalizes them before).

import { ShapedArray } from '../../core/aval.js';
import { isInteger, type DType } from '../../core/dtype.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr, stridesOf } from '../../core/shape.js';
import { checkDTypeClass } from './rules.js';

export type GatherScatterMode = 'clip' | 'fill' | 'promise_in_bounds';

export type GatherDimensionNumbers = {
  /** Output dims that hold the slice (window) dims, sorted. */
  offset_dims: number[];
  /** Operand dims whose slice size is 1 and that are dropped from the output, sorted. */
  collapsed_slice_dims: number[];
  /** For each component of an index vector, the operand dim it is the start index of. */
  start_index_map: number[];
  /** Operand dims indexed by a batch coordinate of the indices rather than by an index vector, sorted. */
  operand_batching_dims: number[];
  /** The indices dims paired with operand_batching_dims. */
  start_indices_batching_dims: number[];
};

export type ScatterDimensionNumbers = {
  /** Update dims that are window dims, sorted. */
  update_window_dims: number[];
  /** Operand dims of window size 1 that are not present in the updates, sorted. */
  inserted_window_dims: number[];
  /** For each component of an index vector, the operand dim it is the start index of. */
  scatter_dims_to_operand_dims: number[];
  operand_batching_dims: number[];
  scatter_indices_batching_dims: number[];
};

export type GatherParams = {
  dimension_numbers: GatherDimensionNumbers;
  slice_sizes: number[];
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  /** The value read out of bounds in 'fill' mode; null there means JAX's default (NaN, int min, uint max, true). */
  fill_value: number | boolean | null;
};

export type ScatterParams = {
  dimension_numbers: ScatterDimensionNumbers;
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  /** JAX's combiner jaxpr and its consts; informational here (the primitive's name says how to combine). */
  update_jaxpr?: unknown;
  update_consts?: unknown[];
};

const MODES: GatherScatterMode[] = ['clip', 'fill', 'promise_in_bounds'];
function checkMode(prim: string, mode: unknown): void {
  if (!MODES.includes(mode as GatherScatterMode)) {
    throw new TypeError(`${prim}: unknown mode ${JSON.stringify(mode)}; use 'clip', 'fill' (FILL_OR_DROP) or 'promise_in_bounds'.`);
  }
}

/** JAX's fill value for a 'fill' gather without an explicit one. */
export function defaultFillValue(dtype: DType): number {
  switch (dtype) {
    case 'int32': return -2147483648;
    case 'uint32': return 4294967295;
    case 'bool': return 1;
    default: return NaN;
  }
}

// ---- the dimension-number checks of jax/_src/lax/slicing.py, with its messages -------------------
function isSorted(dims: number[], op: string, name: string) {
  for (let i = 1; i < dims.length; i++) if (dims[i] < dims[i - 1]) throw new TypeError(`${name} in ${op} op must be sorted; got ${shapeStr(dims)}`);
}
function dimsInRange(dims: number[], rank: number, op: string, name: string) {
  for (const d of dims) if (d < 0 || d >= rank) throw new TypeError(`Invalid ${name} set in ${op} op; valid range is [0, ${rank}); got: ${d}.`);
}
function noDuplicates(dims: number[], op: string, name: string) {
  if (new Set(dims).size !== dims.length) throw new TypeError(`${name} in ${op} op must not repeat; got: ${shapeStr(dims)}.`);
}
function disjoint(a: number[], b: number[], op: string, na: string, nb: string) {
  if (a.some((d) => b.includes(d))) throw new TypeError(`${na} and ${nb} in ${op} op must be disjoint; got: ${shapeStr(a)} and ${shapeStr(b)}.`);
}
/**
 * The checks of the indices' batching dims against operand_batching_dims that gather and scatter
 * share (`indicesName` names the field: start_indices_batching_dims or scatter_indices_batching_dims).
 * Returns the operand's batch shape.
 */
function checkIndicesBatchingDims(op: 'gather' | 'scatter', operand: ShapedArray, indices: ShapedArray, operandBatchingDims: number[],
  indicesBatchingDims: number[], indicesName: string): number[] {
  const Op = op === 'gather' ? 'Gather' : 'Scatter';
  const ivd = indices.ndim - 1;
  noDuplicates(indicesBatchingDims, op, indicesName);
  dimsInRange(indicesBatchingDims, indices.ndim, op, indicesName);
  if (indicesBatchingDims.includes(ivd)) {
    throw new TypeError(`${Op} op cannot have the index vector dimension as a batching dimension; got ${shapeStr(indicesBatchingDims)}.`);
  }
  if (operandBatchingDims.length !== indicesBatchingDims.length) {
    throw new TypeError(`${Op} op requires equal numbers of operand_batching_dims and ${indicesName}, got ${shapeStr(operandBatchingDims)} and ${shapeStr(indicesBatchingDims)}.`);
  }
  const opBatch = operandBatchingDims.map((d) => operand.shape[d]);
  const idxBatch = indicesBatchingDims.map((d) => indices.shape[d]);
  if (opBatch.join() !== idxBatch.join()) {
    throw new TypeError(`${Op} op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${shapeStr(opBatch)} and ${shapeStr(idxBatch)}.`);
  }
  return opBatch;
}

function checkIndices(prim: string, indices: ShapedArray) {
  if (!isInteger(indices.dtype)) throw new TypeError(`${prim}: indices must have an integer type, got ${indices.strShort()}; convert them with astype('int32').`);
  if (indices.ndim === 0) throw new TypeError(`${prim}: indices must have rank at least 1 (the last dimension is the index vector), got a scalar; reshape it to (1,).`);
}

/**
 * How the windowed array (gather's output, scatter's updates) addresses the operand, as linear
 * index arithmetic shared by the cpu and webgpu kernels. For the element at coordinates c of the
 * windowed array:
 *  - its index vector starts at `sum_d c[d] * indicesStrides[d]` in the indices (the vector is the
 *    last, contiguous dim, component k at +k);
 *  - its operand element is at `sum_d c[d] * operandStrides[d] + sum_k start_k * startStrides[k]`,
 *    where start_k is component k of the index vector, in bounds when 0 <= start_k <= startMax[k]
 *    (clamped there by 'clip', or making the window out of bounds for 'fill').
 * Window dims move through the operand; batch dims move through the indices, and a batching dim
 * (operand_batching_dims) through both.
 */
export interface WindowIndexing {
  shape: number[];
  operandStrides: number[];
  indicesStrides: number[];
  startStrides: number[];
  startMax: number[];
}

function indexing(operand: ShapedArray, indices: ShapedArray, shape: readonly number[], windowDims: number[], droppedDims: number[],
  operandBatchingDims: number[], indicesBatchingDims: number[], startDims: number[], windowSizeOf: (operandDim: number) => number): WindowIndexing {
  const opStrides = stridesOf(operand.shape), idxStrides = stridesOf(indices.shape);
  const windowOperandDims = operand.shape.map((_, d) => d).filter((d) => !droppedDims.includes(d) && !operandBatchingDims.includes(d));
  const operandStrides: number[] = [], indicesStrides: number[] = [];
  let w = 0, b = 0;
  for (let d = 0; d < shape.length; d++) {
    if (windowDims.includes(d)) {
      operandStrides.push(opStrides[windowOperandDims[w++]]);
      indicesStrides.push(0);
    } else {
      // Batch dims of the windowed array are the indices dims before the index vector, in order.
      const k = indicesBatchingDims.indexOf(b);
      operandStrides.push(k >= 0 ? opStrides[operandBatchingDims[k]] : 0);
      indicesStrides.push(idxStrides[b++]);
    }
  }
  return {
    shape: [...shape], operandStrides, indicesStrides,
    startStrides: startDims.map((d) => opStrides[d]),
    startMax: startDims.map((d) => operand.shape[d] - windowSizeOf(d)),
  };
}

export function gatherIndexing(operand: ShapedArray, indices: ShapedArray, out: ShapedArray, { dimension_numbers: dn, slice_sizes }: GatherParams): WindowIndexing {
  return indexing(operand, indices, out.shape, dn.offset_dims, dn.collapsed_slice_dims, dn.operand_batching_dims,
    dn.start_indices_batching_dims, dn.start_index_map, (d) => slice_sizes[d]);
}

export function scatterIndexing(operand: ShapedArray, indices: ShapedArray, updates: ShapedArray, { dimension_numbers: dn }: ScatterParams): WindowIndexing {
  // Window sizes: an update window dim's extent, or 1 for inserted and batching dims.
  const windowOperandDims = operand.shape.map((_, d) => d).filter((d) => !dn.inserted_window_dims.includes(d) && !dn.operand_batching_dims.includes(d));
  const sizeOf = (d: number) => {
    const w = windowOperandDims.indexOf(d);
    return w >= 0 ? updates.shape[dn.update_window_dims[w]] : 1;
  };
  return indexing(operand, indices, updates.shape, dn.update_window_dims, dn.inserted_window_dims, dn.operand_batching_dims,
    dn.scatter_indices_batching_dims, dn.scatter_dims_to_operand_dims, sizeOf);
}

// ---- gather --------------------------------------------------------------------------------------
export const gather = definePrimitive<GatherParams>({
  name: 'gather',
  abstractEval([operand, indices], { dimension_numbers: dn, slice_sizes, mode }) {
    checkIndices('gather', indices);
    checkMode('gather', mode);
    const { offset_dims, collapsed_slice_dims, start_index_map, operand_batching_dims, start_indices_batching_dims } = dn;
    const ivd = indices.ndim - 1;
    isSorted(offset_dims, 'gather', 'offset_dims');
    noDuplicates(offset_dims, 'gather', 'offset_dims');
    const outRank = offset_dims.length + indices.ndim - 1;
    offset_dims.forEach((d, i) => {
      if (d < 0 || d >= outRank) throw new TypeError(`Offset dimension ${i} in gather op is out of bounds; got ${d}, but should have been in [0, ${outRank})`);
    });
    if (start_index_map.length !== indices.shape[ivd]) {
      throw new TypeError(`Gather op has ${start_index_map.length} elements in start_index_map and the bound of dimension index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal.`);
    }
    start_index_map.forEach((d, i) => {
      if (d < 0 || d >= operand.ndim) throw new TypeError(`Invalid start_index_map; domain is [0, ${operand.ndim}), got: ${i}->${d}.`);
    });
    noDuplicates(start_index_map, 'gather', 'start_index_map');
    isSorted(collapsed_slice_dims, 'gather', 'collapsed_slice_dims');
    dimsInRange(collapsed_slice_dims, operand.ndim, 'gather', 'collapsed_slice_dims');
    noDuplicates(collapsed_slice_dims, 'gather', 'collapsed_slice_dims');
    noDuplicates(operand_batching_dims, 'gather', 'operand_batching_dims');
    isSorted(operand_batching_dims, 'gather', 'operand_batching_dims');
    dimsInRange(operand_batching_dims, operand.ndim, 'gather', 'operand_batching_dims');
    disjoint(collapsed_slice_dims, operand_batching_dims, 'gather', 'collapsed_slice_dims', 'operand_batching_dims');
    disjoint(start_index_map, operand_batching_dims, 'gather', 'start_index_map', 'operand_batching_dims');
    checkIndicesBatchingDims('gather', operand, indices, operand_batching_dims, start_indices_batching_dims, 'start_indices_batching_dims');
    if (slice_sizes.length !== operand.ndim) {
      throw new TypeError(`Gather op must have one slice size for every input dimension; got: len(slice_sizes)=${slice_sizes.length}, input_shape.rank=${operand.ndim}`);
    }
    if (slice_sizes.length !== offset_dims.length + collapsed_slice_dims.length + operand_batching_dims.length) {
      throw new TypeError(`All components of the offset index in a gather op must either be a offset dimension or explicitly collapsed/batching; got len(slice_sizes)=${slice_sizes.length}, output_slice_sizes=${shapeStr(offset_dims)}, collapsed_slice_dims=${shapeStr(collapsed_slice_dims)}, operand_batching_dims=${shapeStr(operand_batching_dims)}.`);
    }
    if (indices.size > 0) {
      slice_sizes.forEach((s, i) => {
        if (!(s >= 0 && operand.shape[i] >= s)) throw new TypeError(`Slice size at index ${i} in gather op is out of range, must be within [0, ${operand.shape[i]} + 1), got ${s}.`);
      });
    }
    collapsed_slice_dims.forEach((d, i) => {
      if (slice_sizes[d] !== 1) throw new TypeError(`Gather op can only collapse slice dims with bound 1, but bound is ${slice_sizes[d]} for index ${d} at position ${i}.`);
    });
    operand_batching_dims.forEach((d, i) => {
      if (slice_sizes[d] > 1) throw new TypeError(`Gather op can only have operand batching dims with bound 0/1, but bound is ${slice_sizes[d]} for index ${d} at position ${i}.`);
    });
    const sliceGen = slice_sizes.filter((_, i) => !collapsed_slice_dims.includes(i) && !operand_batching_dims.includes(i));
    const idxGen = indices.shape.slice(0, ivd);
    let s = 0, b = 0;
    const shape = [...Array(outRank).keys()].map((i) => (offset_dims.includes(i) ? sliceGen[s++] : idxGen[b++]));
    return [new ShapedArray(shape, operand.dtype, operand.weakType)];
  },
});

// ---- scatter family ------------------------------------------------------------------------------
function scatterAbstractEval(prim: string) {
  return ([operand, indices, updates]: ShapedArray[], { dimension_numbers: dn, mode }: ScatterParams): ShapedArray[] => {
    // Like add and mul themselves, scatter-add and scatter-mul reject bool.
    if (prim === 'scatter-add' || prim === 'scatter-mul') checkDTypeClass(prim, [operand], ['integer', 'floating']);
    checkIndices(prim, indices);
    checkMode(prim, mode);
    if (operand.dtype !== updates.dtype) {
      throw new TypeError(`lax.${prim} requires arguments to have the same dtypes, got ${operand.dtype}, ${updates.dtype}. ` +
        '(Tip: x.at[...] methods convert the updates for you.)');
    }
    const { update_window_dims, inserted_window_dims, scatter_dims_to_operand_dims, operand_batching_dims, scatter_indices_batching_dims } = dn;
    const ivd = indices.ndim - 1;
    const expectedRank = indices.ndim - 1 + update_window_dims.length;
    if (updates.ndim !== expectedRank) throw new TypeError(`Updates tensor must be of rank ${expectedRank}; got ${updates.ndim}.`);
    isSorted(update_window_dims, 'scatter', 'update_window_dims');
    noDuplicates(update_window_dims, 'scatter', 'update_window_dims');
    dimsInRange(update_window_dims, updates.ndim, 'scatter', 'update_window_dims');
    isSorted(inserted_window_dims, 'scatter', 'inserted_window_dims');
    noDuplicates(inserted_window_dims, 'scatter', 'inserted_window_dims');
    dimsInRange(inserted_window_dims, operand.ndim, 'scatter', 'inserted_window_dims');
    isSorted(operand_batching_dims, 'scatter', 'operand_batching_dims');
    noDuplicates(operand_batching_dims, 'scatter', 'operand_batching_dims');
    dimsInRange(operand_batching_dims, operand.ndim, 'scatter', 'operand_batching_dims');
    disjoint(inserted_window_dims, operand_batching_dims, 'scatter', 'inserted_window_dims', 'operand_batching_dims');
    disjoint(scatter_dims_to_operand_dims, operand_batching_dims, 'scatter', 'scatter_dims_to_operand_dims', 'operand_batching_dims');
    const opBatch = checkIndicesBatchingDims('scatter', operand, indices, operand_batching_dims, scatter_indices_batching_dims, 'scatter_indices_batching_dims');
    const updateScatterDims = [...Array(updates.ndim).keys()].filter((d) => !update_window_dims.includes(d));
    const updBatch = scatter_indices_batching_dims.map((d) => updates.shape[updateScatterDims[d]]);
    if (opBatch.join() !== updBatch.join()) {
      throw new TypeError(`Scatter op requires operand batching dimensions and updates batching dimensions to have the same shape, got ${shapeStr(opBatch)} and ${shapeStr(updBatch)}.`);
    }
    const windowSize = update_window_dims.length + inserted_window_dims.length + operand_batching_dims.length;
    if (operand.ndim !== windowSize) throw new TypeError(`Scatter op has window of size ${windowSize}; doesn't match operand of rank ${operand.ndim}.`);
    if (scatter_dims_to_operand_dims.length !== indices.shape[ivd]) {
      throw new TypeError(`Scatter op has ${scatter_dims_to_operand_dims.length} elements in scatter_dims_to_operand_dims and the bound of dimension index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal`);
    }
    scatter_dims_to_operand_dims.forEach((d, i) => {
      if (d < 0 || d >= operand.ndim) throw new TypeError(`Invalid scatter_dims_to_operand_dims mapping; domain is [0, ${operand.ndim}), got: ${i}->${d}.`);
    });
    noDuplicates(scatter_dims_to_operand_dims, 'scatter', 'scatter_dims_to_operand_dims');
    const maxSizes = operand.shape.filter((_, i) => !inserted_window_dims.includes(i) && !operand_batching_dims.includes(i));
    update_window_dims.forEach((d, i) => {
      if (maxSizes[i] < updates.shape[d]) {
        throw new TypeError(`Bounds of the window dimensions of updates must not exceed the bounds of the corresponding dimensions of operand. For dimension ${d}, updates bound is ${updates.shape[d]}, operand bound is ${maxSizes[i]}.`);
      }
    });
    updateScatterDims.forEach((d, k) => {
      if (updates.shape[d] !== indices.shape[k]) {
        throw new TypeError(`Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding dimensions of scatter indices. For scatter dimension ${d}, updates bound is ${updates.shape[d]}, indices bound is ${indices.shape[k]}.`);
      }
    });
    return [new ShapedArray(operand.shape, operand.dtype, operand.weakType)];
  };
}

function scatterPrimitive(name: string) {
  return definePrimitive<ScatterParams>({ name, abstractEval: scatterAbstractEval(name) });
}
/** scatter: replaces; with duplicate indices one of the updates wins (unspecified which, as in JAX). */
export const scatter = scatterPrimitive('scatter');
export const scatter_add = scatterPrimitive('scatter-add');
export const scatter_mul = scatterPrimitive('scatter-mul');
export const scatter_min = scatterPrimitive('scatter-min');
export const scatter_max = scatterPrimitive('scatter-max');


// ---- batching rules ----------------------------------------------------------------------------
// JAX 0.10's _gather_batching_rule / _scatter_batching_rule: a batched operand becomes a window
// dim (indices unbatched) or an operand batching dim paired with the indices' batch dim.
import { type BatchRule, defineBatch } from '../../core/primitive.js';
import { bind1 as bindPrim } from '../../core/trace.js';
import { batchSize, bdimAtFront, moveaxis } from '../../interpreters/batching_util.js';

const plus1 = (ds: number[]) => ds.map((d) => d + 1);

export const gatherBatchRule: BatchRule<GatherParams> = ([operand, indices], [operandDim, indicesDim], params) => {
  const dn = params.dimension_numbers;
  if (operandDim !== null && indicesDim === null) {
    const op = moveaxis(operand, operandDim, 0);
    const dnums: GatherDimensionNumbers = {
      offset_dims: [0, ...plus1(dn.offset_dims)],
      collapsed_slice_dims: plus1(dn.collapsed_slice_dims),
      start_index_map: plus1(dn.start_index_map),
      operand_batching_dims: plus1(dn.operand_batching_dims),
      start_indices_batching_dims: dn.start_indices_batching_dims,
    };
    return [[bindPrim(gather, [op, indices], { ...params, dimension_numbers: dnums, slice_sizes: [op.shape[0], ...params.slice_sizes] })], [0]];
  }
  if (operandDim === null && indicesDim !== null) {
    const idx = moveaxis(indices, indicesDim, 0);
    const dnums: GatherDimensionNumbers = {
      ...dn, offset_dims: plus1(dn.offset_dims), start_indices_batching_dims: plus1(dn.start_indices_batching_dims),
    };
    return [[bindPrim(gather, [operand, idx], { ...params, dimension_numbers: dnums, unique_indices: false, indices_are_sorted: false })], [0]];
  }
  const op = moveaxis(operand, operandDim!, 0);
  const idx = moveaxis(indices, indicesDim!, 0);
  const dnums: GatherDimensionNumbers = {
    offset_dims: plus1(dn.offset_dims),
    collapsed_slice_dims: plus1(dn.collapsed_slice_dims),
    start_index_map: plus1(dn.start_index_map),
    operand_batching_dims: [0, ...plus1(dn.operand_batching_dims)],
    start_indices_batching_dims: [0, ...plus1(dn.start_indices_batching_dims)],
  };
  const sliceSizes = [op.shape[0] === 0 ? 0 : 1, ...params.slice_sizes];
  return [[bindPrim(gather, [op, idx], { ...params, dimension_numbers: dnums, slice_sizes: sliceSizes })], [0]];
};
defineBatch(gather, gatherBatchRule);

function scatterBatchRule(p: typeof scatter): BatchRule<ScatterParams> {
  return (args, dims, params) => {
    const [operand, indices, updates] = args;
    const [operandDim, indicesDim, updatesDim] = dims;
    const dn = params.dimension_numbers;
    const size = batchSize(args, dims);
    const op = bdimAtFront(operand, operandDim, size);
    const upd = bdimAtFront(updates, updatesDim, size);
    if (indicesDim === null) {
      const dnums: ScatterDimensionNumbers = {
        update_window_dims: [0, ...plus1(dn.update_window_dims)],
        inserted_window_dims: plus1(dn.inserted_window_dims),
        scatter_dims_to_operand_dims: plus1(dn.scatter_dims_to_operand_dims),
        operand_batching_dims: plus1(dn.operand_batching_dims),
        scatter_indices_batching_dims: dn.scatter_indices_batching_dims,
      };
      return [[bindPrim(p, [op, indices, upd], { ...params, dimension_numbers: dnums })], [0]];
    }
    const idx = bdimAtFront(indices, indicesDim, size);
    const dnums: ScatterDimensionNumbers = {
      update_window_dims: plus1(dn.update_window_dims),
      inserted_window_dims: plus1(dn.inserted_window_dims),
      scatter_dims_to_operand_dims: plus1(dn.scatter_dims_to_operand_dims),
      operand_batching_dims: [0, ...plus1(dn.operand_batching_dims)],
      scatter_indices_batching_dims: [0, ...plus1(dn.scatter_indices_batching_dims)],
    };
    return [[bindPrim(p, [op, idx, upd], { ...params, dimension_numbers: dnums })], [0]];
  };
}
export const scatterBatchRules = new Map([scatter, scatter_add, scatter_mul, scatter_min, scatter_max].map((p) => [p, scatterBatchRule(p)]));
for (const [p, rule] of scatterBatchRules) defineBatch(p, rule);

// ---- JVP and transpose rules -------------------------------------------------------------------
// JAX's rules (slicing.py): gather is linear in its operand and transposes to a scatter-add of the
// cotangent into zeros; scatter-add is linear in operand and updates (the updates' cotangent is the
// gather of the cotangent); scatter's JVP scatters ids to find which update wins each element, then
// scatter-adds the masked primals and tangents, so it needs no transpose rule of its own.
import { UndefinedPrimal as AdUndefined, Zero as AdZero, isZero as isAdZero } from '../../core/ad_util.js';
import { defineJvp as defineJvpRule, defineTranspose as defineTransposeRule } from '../../core/primitive.js';
import type { ArrayBase as AdArray } from '../../core/array_base.js';
import { bind1 as bindAd } from '../../core/trace.js';
import { ShapedArray as AdAval } from '../../core/aval.js';
import { instantiateZeros, primitiveNamed, zerosLikeAval } from '../../interpreters/jvp.js';
import { scalarConstant } from '../constants.js';

const toGatherDnums = (dn: ScatterDimensionNumbers): GatherDimensionNumbers => ({
  offset_dims: dn.update_window_dims,
  collapsed_slice_dims: dn.inserted_window_dims,
  start_index_map: dn.scatter_dims_to_operand_dims,
  operand_batching_dims: dn.operand_batching_dims,
  start_indices_batching_dims: dn.scatter_indices_batching_dims,
});
const toScatterDnums = (dn: GatherDimensionNumbers): ScatterDimensionNumbers => ({
  update_window_dims: dn.offset_dims,
  inserted_window_dims: dn.collapsed_slice_dims,
  scatter_dims_to_operand_dims: dn.start_index_map,
  operand_batching_dims: dn.operand_batching_dims,
  scatter_indices_batching_dims: dn.start_indices_batching_dims,
});
/** The slice sizes of the gather that reads back what a scatter with `dn` wrote (JAX's loop). */
function inverseSliceSizes(operandRank: number, updatesShape: readonly number[], dn: ScatterDimensionNumbers): number[] {
  const sizes: number[] = [];
  let pos = 0;
  for (let i = 0; i < operandRank; i++) {
    if (dn.inserted_window_dims.includes(i) || dn.operand_batching_dims.includes(i)) sizes.push(1);
    else sizes.push(updatesShape[dn.update_window_dims[pos++]]);
  }
  return sizes;
}
const scatterParams = (p: ScatterParams): ScatterParams => ({ ...p, update_consts: [], update_jaxpr: null });

defineJvpRule(gather, ([operand, indices], [g], params) => {
  const out = bindAd(gather, [operand, indices], params);
  if (isAdZero(g)) return [[out], [new AdZero(out.aval)]];
  return [[out], [bindAd(gather, [g, indices], { ...params, fill_value: params.mode === 'fill' ? 0 : params.fill_value })]];
});
defineTransposeRule(gather, ([ct], [operand, indices], params) => {
  const a = (operand as AdUndefined).aval;
  if (isAdZero(ct)) return [new AdZero(a), null];
  const zeros = zerosLikeAval(new AdAval(a.shape, ct.dtype, ct.weakType));
  return [bindAd(scatter_add, [zeros, indices as AdArray, ct], {
    dimension_numbers: toScatterDnums(params.dimension_numbers), indices_are_sorted: params.indices_are_sorted,
    unique_indices: params.unique_indices, mode: params.mode, update_consts: [], update_jaxpr: null,
  }), null];
});

defineJvpRule(scatter_add, ([operand, indices, updates], [gOperand, , gUpdates], params) => {
  const out = bindAd(scatter_add, [operand, indices, updates], params);
  if (isAdZero(gOperand) && isAdZero(gUpdates)) return [[out], [new AdZero(out.aval)]];
  return [[out], [bindAd(scatter_add, [instantiateZeros(gOperand), indices, instantiateZeros(gUpdates)], params)]];
});
defineTransposeRule(scatter_add, ([ct], [operand, indices, updates], params) => {
  const opLinear = operand instanceof AdUndefined, upLinear = updates instanceof AdUndefined;
  if (isAdZero(ct)) return [opLinear ? new AdZero(operand.aval) : null, null, upLinear ? new AdZero(updates.aval) : null];
  const dn = params.dimension_numbers;
  let updT: AdArray | null = null;
  if (upLinear) {
    updT = bindAd(gather, [ct, indices as AdArray], {
      dimension_numbers: toGatherDnums(dn), slice_sizes: inverseSliceSizes(ct.ndim, updates.aval.shape, dn),
      indices_are_sorted: params.indices_are_sorted, unique_indices: params.unique_indices, mode: params.mode,
      fill_value: params.mode === 'fill' ? 0 : null,
    });
  }
  return [opLinear ? ct : null, null, updT];
});

defineJvpRule(scatter, ([operand, indices, updates], [gOperand, , gUpdates], params) => {
  const dn = params.dimension_numbers;
  if (isAdZero(gOperand) && isAdZero(gUpdates)) {
    const out = bindAd(scatter, [operand, indices, updates], params);
    return [[out], [new AdZero(out.aval)]];
  }
  const gOp = instantiateZeros(gOperand), gUp = instantiateZeros(gUpdates);
  if (params.unique_indices) {
    return [[bindAd(scatter, [operand, indices, updates], params)], [bindAd(scatter, [gOp, indices, gUp], params)]];
  }
  const P = primitiveNamed;
  // a) a positive id per update, scattered like the updates
  const idsShape = updates.shape.map((n, d) => (dn.update_window_dims.includes(d) ? 1 : n));
  const numIds = idsShape.reduce((p, n) => p * n, 1);
  const iotaIds = bindAd(P('iota'), [], { dtype: 'uint32', shape: [numIds], dimension: 0, sharding: null });
  const reshapedIds = numIds === 0 || idsShape.join() === [numIds].join() ? iotaIds : bindAd(P('reshape'), [iotaIds], { new_sizes: idsShape, dimensions: null, sharding: null });
  const updateIds = bindAd(P('add'), [bindAd(P('broadcast_in_dim'), [reshapedIds], { shape: [...updates.shape], broadcast_dimensions: idsShape.map((_, d) => d), sharding: null }), uintOne()]);
  const zerosIds = zerosLikeAval(new AdAval(operand.shape, 'uint32', false));
  const scatteredIds = bindAd(scatter, [zerosIds, indices, updateIds], scatterParams(params));
  // b) the inverse gather of the scattered ids
  const gathered = bindAd(gather, [scatteredIds, indices], {
    dimension_numbers: toGatherDnums(dn), slice_sizes: inverseSliceSizes(operand.ndim, updates.shape, dn),
    indices_are_sorted: false, unique_indices: false, mode: 'fill', fill_value: null,
  });
  // c) mask the elements that do not reach the output
  const keepOperand = bindAd(P('eq'), [scatteredIds, zerosLikeAval(new AdAval([], 'uint32', false))]);
  const keepUpdate = bindAd(P('eq'), [updateIds, gathered]);
  const mask = (pred: AdArray, x: AdArray) => bindAd(P('select_n'), [pred, zerosLikeAval(new AdAval(x.shape, x.dtype, x.weakType)), x]);
  // d) scatter-add the masked values
  const addParams = scatterParams(params);
  const out = bindAd(scatter_add, [mask(keepOperand, operand), indices, mask(keepUpdate, updates)], addParams);
  const tOut = bindAd(scatter_add, [mask(keepOperand, gOp), indices, mask(keepUpdate, gUp)], addParams);
  return [[out], [tOut]];
});

function uintOne(): AdArray { return scalarConstant(1, 'uint32', false); }

// scatter-mul (JAX's rules, for unique indices): linear in the operand (scaled by the updates), and
// the updates' tangent multiplies the operand by the scattered-added tangents.
const SCATTER_MUL_UNIQUE = 'scatter_mul gradients are only implemented if `unique_indices=True`';
defineJvpRule(scatter_mul, ([x, i, y], [gx, , gy], params) => {
  const out = bindAd(scatter_mul, [x, i, y], params);
  let t: AdArray | null = null;
  if (!isAdZero(gx)) t = bindAd(scatter_mul, [gx, i, y], params);
  if (!isAdZero(gy)) {
    if (!params.unique_indices) throw new Error(SCATTER_MUL_UNIQUE);
    const zeros = zerosLikeAval(new AdAval(x.shape, x.dtype, x.weakType));
    const ty = bindAd(primitiveNamed('mul'), [x, bindAd(scatter_add, [zeros, i, gy], scatterParams(params))]);
    t = t ? bindAd(primitiveNamed('add_any'), [t, ty]) : ty;
  }
  return [[out], [t ?? new AdZero(out.aval)]];
});
defineTransposeRule(scatter_mul, ([ct], [operand, indices, updates], params) => {
  if (!params.unique_indices) throw new Error(SCATTER_MUL_UNIQUE);
  const opLinear = operand instanceof AdUndefined, upLinear = updates instanceof AdUndefined;
  if (isAdZero(ct)) return [opLinear ? new AdZero(operand.aval) : null, null, upLinear ? new AdZero(updates.aval) : null];
  const dn = params.dimension_numbers;
  return [
    opLinear ? bindAd(scatter_mul, [ct, indices as AdArray, updates as AdArray], params) : null,
    null,
    upLinear ? bindAd(gather, [bindAd(primitiveNamed('mul'), [ct, operand as AdArray]), indices as AdArray], {
      dimension_numbers: toGatherDnums(dn), slice_sizes: inverseSliceSizes(ct.ndim, updates.aval.shape, dn),
      indices_are_sorted: params.indices_are_sorted, unique_indices: params.unique_indices, mode: params.mode, fill_value: params.mode === 'fill' ? 0 : null,
    }) : null,
  ];
});

// scatter-min / scatter-max: JAX's _scatter_extremal_jvp. An element's tangent comes from the
// updates that won it (and the operand, if it kept its value), averaged over ties.
for (const p of [scatter_min, scatter_max]) {
  defineJvpRule(p, ([operand, indices, updates], [gOperandIn, , gUpdatesIn], params) => {
    const out = bindAd(p, [operand, indices, updates], params);
    if (isAdZero(gOperandIn) && isAdZero(gUpdatesIn)) return [[out], [new AdZero(out.aval)]];
    const gOperand = instantiateZeros(gOperandIn), gUpdates = instantiateZeros(gUpdatesIn);
    const P = primitiveNamed;
    const dn = params.dimension_numbers;
    const gatherParams: GatherParams = {
      dimension_numbers: toGatherDnums(dn), slice_sizes: inverseSliceSizes(operand.ndim, updates.shape, dn),
      indices_are_sorted: false, unique_indices: false, mode: params.mode, fill_value: null,
    };
    const gatherAt = (x: AdArray) => bindAd(gather, [x, indices], gatherParams);
    const scatterAdd = (x: AdArray, u: AdArray) => bindAd(scatter_add, [x, indices, u], scatterParams(params));
    const full = (like: AdArray, v: number) => bindAd(P('add'), [zerosLikeAval(new AdAval(like.shape, like.dtype, false)), scalarConstant(v, like.dtype, false)]);
    const select = (pred: AdArray, onTrue: AdArray, onFalse: AdArray) => bindAd(P('select_n'), [pred, onFalse, onTrue]);
    const div = (a: AdArray, b: AdArray) => bindAd(P('div'), [a, b]);
    const add = (a: AdArray, b: AdArray) => bindAd(P('add'), [a, b]);
    const mul = (a: AdArray, b: AdArray) => bindAd(P('mul'), [a, b]);
    const initialVals = gatherAt(operand);
    const targetVals = gatherAt(out);
    const successful = bindAd(P('eq'), [updates, targetVals]);
    const retained = bindAd(P('eq'), [initialVals, targetVals]);
    const zerosOperand = full(operand, 0), onesUpdates = full(updates, 1), zerosUpdates = full(updates, 0);
    const numUpdates = gatherAt(scatterAdd(zerosOperand, select(successful, onesUpdates, zerosUpdates)));
    const numRefs = gatherAt(scatterAdd(zerosOperand, onesUpdates));
    const one = full(numUpdates, 1);
    const updatesNormalizer = select(retained, div(one, add(numUpdates, one)), div(one, numUpdates));
    const updatesCoef = select(successful, updatesNormalizer, zerosUpdates);
    const operandNormalizer = select(retained, div(one, add(numUpdates, one)), full(numUpdates, 0));
    const operandCoef = div(add(full(numUpdates, -1), operandNormalizer), numRefs);
    const targetTangents = gatherAt(gOperand);
    const tangentUpdates = add(mul(targetTangents, operandCoef), mul(gUpdates, updatesCoef));
    return [[out], [bindAd(scatter_add, [gOperand, indices, tangentUpdates], scatterParams(params))]];
  });
}
