// NumPy indexing, `x.index(...idx)` = JAX's `x[idx]`, lowered as jnp lowers it (jax/_src/numpy/
// indexing.py): static ints and slices become slice/rev/squeeze; scalar integer arrays with unit
// slices become dynamic_slice; everything else (integer arrays, strided slices among them) becomes
// one gather, whose dimension numbers `indexToGather` computes — the same plan serves the scatters
// of `x.at(...idx)`. Negative array indices are wrapped with select_n; out-of-bounds gathers clamp.

import { Array as ConcreteArray } from '../core/array.js';
import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { isBool, isInteger } from '../core/dtype.js';
import { IndexError, NonConcreteBooleanIndexError } from '../core/errors.js';
import { shapeStr, sizeOf } from '../core/shape.js';
import * as lax from '../lax/index.js';
import type { GatherDimensionNumbers, GatherScatterMode } from '../lax/index.js';
import { arrayFromValues, scalarConstant } from '../lax/constants.js';
import { type ArrayLike, type Indexable, asArray, broadcastTo } from './coerce.js';
import { ravel } from './shape_ops.js';
import { stagedJnp } from './staged.js';
import { add, less, where } from './ufuncs.js';
import { broadcastShapes } from '../core/shape.js';

/** One index: a number, a slice string (':', '1:3', '::-1'), '...', null (new axis), an integer or boolean array. */
export type Index = number | string | null | Array | boolean | readonly unknown[];

interface Slice { start: number | null; stop: number | null; step: number | null }

export type Parsed =
  | { kind: 'int'; value: number; axis: number }
  | { kind: 'slice'; value: Slice; axis: number }
  | { kind: 'none' }
  | { kind: 'ellipsis'; axes: number[] }
  | { kind: 'array'; value: Array; axis: number };

const range = (n: number): number[] => [...globalThis.Array(n).keys()];

/** Parses "start:stop:step" (each part optional) or "...". */
function parseSliceString(s: string): Slice | 'ellipsis' {
  const t = s.trim();
  if (t === '...') return 'ellipsis';
  const parts = t.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new IndexError(`Index string ${JSON.stringify(s)} is not a slice; use NumPy slice syntax like ':', '2:', '1:5', '::2', '::-1' or '...'.`);
  }
  const num = (p: string): number | null => {
    const q = p.trim();
    if (q === '') return null;
    if (!/^[-+]?\d+$/.test(q)) {
      throw new IndexError(`Slice ${JSON.stringify(s)}: '${q}' is not an integer; slice entries must be static integers.`);
    }
    return Number(q);
  };
  const slice = { start: num(parts[0]), stop: num(parts[1]), step: parts.length === 3 ? num(parts[2]) : null };
  if (slice.step === 0) throw new IndexError(`Slice ${JSON.stringify(s)}: slice step cannot be zero.`);
  return slice;
}

/** Python's slice.indices(n): the first index, the step and the number of elements. */
export function canonicalizeSlice(s: Slice, n: number): { start: number; step: number; size: number; stop: number } {
  const step = s.step ?? 1;
  const clamp = (i: number) => (i >= 0 ? (step > 0 ? Math.min(n, i) : Math.min(n - 1, i)) : (step > 0 ? Math.max(0, n + i) : Math.max(-1, n + i)));
  const start = s.start === null ? (step > 0 ? 0 : n - 1) : clamp(s.start);
  const stop = s.stop === null ? (step > 0 ? n : -1) : clamp(s.stop);
  const gap = Math.abs(step);
  const distance = step > 0 ? stop - start : start - stop;
  return { start, step, stop, size: Math.max(0, Math.floor((distance + gap - 1) / gap)) };
}

/**
 * Host values of a boolean mask, when they can be had without waiting (JAX's "concrete"): a cached
 * host copy, or a synchronous read from a host-memory (cpu) device. Tracers and unread GPU arrays
 * have none.
 */
function hostMask(x: ArrayBase): Uint8Array | null {
  if (!(x instanceof ConcreteArray)) return null;
  const host = x.hostValuesSync();
  return host ? Uint8Array.from(host, (v) => (v ? 1 : 0)) : null;
}

/** np.nonzero of a host mask of `shape`: one int32 index array per dimension. */
function nonzero(mask: Indexable<number>, shape: readonly number[]): Array[] {
  const coords: number[][] = shape.map(() => []);
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
  for (let flat = 0; flat < mask.length; flat++) {
    if (!mask[flat]) continue;
    shape.forEach((_, d) => coords[d].push(Math.floor(flat / strides[d]) % shape[d]));
  }
  return coords.map((c) => arrayFromValues(c, [c.length], 'int32'));
}

function booleanIndexError(mask: Array): NonConcreteBooleanIndexError {
  const why = mask instanceof ConcreteArray
    ? `its values are on the ${mask.device.platform} device and not read yet`
    : 'it is a traced value';
  return new NonConcreteBooleanIndexError(
    `Array boolean indices must be concrete; got ${mask.aval} (${why}). The shape of x[mask] depends on the mask's ` +
    'values, which cannot be known here. Keep the shape static with the three-argument where: np.where(mask, x, 0) ' +
    '(or np.sum(x, {where: mask}) for reductions); or, outside transformations, read the mask first: after ' +
    '`await mask.data()` its values are on the host and x.index(mask) works.');
}

/**
 * Normalizes a user index tuple against a shape: classifies every entry, expands boolean masks
 * (host-known ones only) into integer arrays, and checks counts and ellipses. Static integers out
 * of range are not errors: like JAX (without jax_check_static_indices), reads clamp them and
 * updates drop them.
 */
export function parseIndices(shape: readonly number[], idx: readonly Index[], opts: { fn?: string } = {}): Parsed[] {
  const fn = opts.fn ?? 'index';
  // Boolean masks consume as many axes as they have dims and become that many integer arrays.
  const entries: ({ kind: 'int'; value: number } | { kind: 'slice'; value: Slice } | { kind: 'none' } | { kind: 'ellipsis' } | { kind: 'array'; value: Array } | { kind: 'mask'; value: Array; host: Uint8Array })[] = [];
  idx.forEach((i, pos) => {
    if (i === null) entries.push({ kind: 'none' });
    else if (typeof i === 'number') {
      if (!Number.isInteger(i)) throw new TypeError(`Indexer must have integer or boolean type, got indexer ${i} (a float) at position ${pos}; use Math.floor or an integer.`);
      entries.push({ kind: 'int', value: i });
    } else if (typeof i === 'string') {
      const s = parseSliceString(i);
      entries.push(s === 'ellipsis' ? { kind: 'ellipsis' } : { kind: 'slice', value: s });
    } else if (typeof i === 'boolean') {
      throw new IndexError(`${fn}: a scalar boolean index (${i}) is not supported; use null to add an axis.`);
    } else {
      const a = i instanceof ArrayBase ? i : asArray(i as ArrayLike, {}, fn);
      if (isBool(a.dtype)) {
        if (a.ndim === 0) throw new IndexError(`${fn}: a scalar boolean array index is not supported; use null to add an axis.`);
        const host = hostMask(a);
        if (!host) throw booleanIndexError(a);
        entries.push({ kind: 'mask', value: a, host });
      } else if (isInteger(a.dtype)) entries.push({ kind: 'array', value: a });
      else throw new TypeError(`Indexer must have integer or boolean type, got indexer with type ${a.dtype} at position ${pos}.`);
    }
  });
  const consumed = entries.map((e) => (e.kind === 'none' || e.kind === 'ellipsis' ? 0 : e.kind === 'mask' ? e.value.ndim : 1));
  const ellipses = entries.filter((e) => e.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const total = consumed.reduce((p, q) => p + q, 0);
  if (total > shape.length) throw new IndexError(`Too many indices: array is ${shape.length}-dimensional, but ${total} were indexed`);

  const out: Parsed[] = [];
  let axis = 0;
  entries.forEach((e, pos) => {
    switch (e.kind) {
      case 'none': out.push({ kind: 'none' }); break;
      case 'ellipsis': {
        const n = shape.length - total;
        out.push({ kind: 'ellipsis', axes: range(n).map((k) => axis + k) });
        axis += n;
        break;
      }
      case 'int': {
        const size = shape[axis];
        if (size === 0) throw new IndexError(`index ${e.value} is out of bounds for axis ${axis} with size 0`);
        out.push({ kind: 'int', value: e.value, axis: axis++ });
        break;
      }
      case 'slice': out.push({ kind: 'slice', value: e.value, axis: axis++ }); break;
      case 'array': out.push({ kind: 'array', value: e.value, axis: axis++ }); break;
      case 'mask': {
        const want = shape.slice(axis, axis + e.value.ndim);
        if (e.value.shape.some((n, i) => n !== want[i] && n !== 0)) {
          throw new IndexError(`boolean index did not match shape of indexed array in index ${pos}: got ${shapeStr(e.value.shape)}, expected ${shapeStr(want)}`);
        }
        for (const a of nonzero(e.host, e.value.shape)) out.push({ kind: 'array', value: a, axis: axis++ });
        break;
      }
    }
  });
  return out;
}

/** Replaces the ellipsis and the implicit trailing axes by ':' slices. */
function expandEllipsis(parsed: Parsed[], ndim: number): Parsed[] {
  const out: Parsed[] = [];
  let used = 0;
  for (const p of parsed) {
    if (p.kind === 'ellipsis') for (const axis of p.axes) { out.push({ kind: 'slice', value: { start: null, stop: null, step: null }, axis }); used++; }
    else { out.push(p); if (p.kind !== 'none') used++; }
  }
  for (let axis = used; axis < ndim; axis++) out.push({ kind: 'slice', value: { start: null, stop: null, step: null }, axis });
  return out;
}

const isScalarArray = (p: Parsed) => p.kind === 'array' && p.value.ndim === 0;

// ---- static and dynamic slices -----------------------------------------------------------------
/** x[ints, slices, None, ...] with static slice + rev + squeeze + expand_dims. */
function staticSlice(x: Array, parsed: Parsed[]): Array {
  const starts: number[] = [], limits: number[] = [], strides: number[] = [];
  const revAxes: number[] = [], squeezeAxes: number[] = [], newaxisDims: number[] = [];
  for (const p of expandEllipsis(parsed, x.ndim)) {
    if (p.kind === 'none') newaxisDims.push(starts.length - squeezeAxes.length + newaxisDims.length);
    else if (p.kind === 'int') {
      // Out-of-range static indices clamp, as every other out-of-bounds read does in JAX.
      const n = x.shape[p.axis];
      const i = Math.min(Math.max(p.value < 0 ? p.value + n : p.value, 0), n - 1);
      starts.push(i); limits.push(i + 1); strides.push(1); squeezeAxes.push(p.axis);
    } else if (p.kind === 'slice') {
      const n = x.shape[p.axis];
      const { start, stop, step } = canonicalizeSlice(p.value, n);
      if (step < 0) {
        const newStart = Math.min(n, stop + 1 + (Math.abs(start - stop - 1) % Math.abs(step)));
        starts.push(newStart); limits.push(Math.max(newStart, start + 1)); strides.push(-step); revAxes.push(p.axis);
      } else {
        starts.push(start); limits.push(Math.max(start, stop)); strides.push(step);
      }
    }
  }
  const unit = strides.every((s) => s === 1);
  const trivial = unit && starts.every((s, i) => s === 0 && limits[i] === x.shape[i]);
  let y = trivial ? x : lax.slice(x, starts, limits, unit ? null : strides);
  y = lax.rev(y, revAxes);
  y = lax.squeeze(y, squeezeAxes);
  return lax.expandDims(y, newaxisDims);
}

/** Wraps negative entries of an integer index array: select_n(i < 0, i, i + n), as jnp normalizes. */
function normalizeIndexArray(i: Array, n: number): Array {
  if (i.dtype === 'uint32') return i;
  return lax.select(lax.lt(i, scalarConstant(0, i.dtype)), lax.add(i, scalarConstant(n, i.dtype)), i);
}

/** x[scalar int arrays, ints, unit slices, None, ...] with dynamic_slice (start indices clamp). */
function dynamicSlice(x: Array, parsed: Parsed[]): Array {
  const starts: (Array | number)[] = [], sizes: number[] = [];
  const revAxes: number[] = [], squeezeAxes: number[] = [], newaxisDims: number[] = [];
  for (const p of expandEllipsis(parsed, x.ndim)) {
    if (p.kind === 'none') newaxisDims.push(starts.length - squeezeAxes.length + newaxisDims.length);
    else if (p.kind === 'int' || p.kind === 'array') {
      const n = x.shape[p.axis];
      if (n === 0) throw new IndexError(`index is out of bounds for axis ${p.axis} with size 0`);
      // lax.dynamicSlice wraps negative starts and clamps, as JAX's dynamic_slice does for x[i].
      starts.push(p.value);
      sizes.push(1); squeezeAxes.push(p.axis);
    } else if (p.kind === 'slice') {
      const { start, stop, step } = canonicalizeSlice(p.value, x.shape[p.axis]);
      if (step < 0) {
        const newStart = stop + 1;
        starts.push(newStart); sizes.push(Math.max(0, start + 1 - newStart)); revAxes.push(p.axis);
      } else {
        starts.push(start); sizes.push(Math.max(0, stop - start));
      }
    }
  }
  let y = lax.dynamicSlice(x, starts, sizes);
  y = lax.rev(y, revAxes);
  y = lax.squeeze(y, squeezeAxes);
  return lax.expandDims(y, newaxisDims);
}

// ---- gather plans ------------------------------------------------------------------------------
/** How x[idx] reads x as one gather, and how x.at[idx] writes it as one scatter. */
export interface GatherIndexer {
  /** Shape of x[idx]. */
  sliceShape: number[];
  /** slice_sizes of the gather. */
  gatherSliceShape: number[];
  /** The int32 index array (last dim = index vector), or null when no gather is needed. */
  gatherIndices: Array | null;
  dnums: GatherDimensionNumbers;
  /** True when there are no advanced (array) indices, so indices are unique and sorted. */
  uniqueIndices: boolean;
  indicesAreSorted: boolean;
  /** Result dims to reverse after the gather (negative-step slices). */
  reversedYDims: number[];
  /** Result dims added by None. */
  newaxisDims: number[];
}

/** jnp's `_index_to_gather`. Static ints are validated in parseIndices; negative array entries are wrapped here. */
export function indexToGather(shape: readonly number[], parsedIn: Parsed[]): GatherIndexer {
  // Whether the advanced indices are next to each other is decided before the ellipsis expands, as in NumPy.
  const advancedPositions = parsedIn.map((p, i) => (p.kind === 'array' || p.kind === 'int' ? i : -1)).filter((i) => i >= 0);
  const contiguous = advancedPositions.every((p, i) => i === 0 || p - advancedPositions[i - 1] === 1);
  const parsed = expandEllipsis(parsedIn, shape.length);

  const isAdvancedIndexer = parsed.some((p) => p.kind === 'array' && p.value.ndim > 0);
  const advanced: { arr: Array; pos: number; xAxis: number }[] = [];
  if (isAdvancedIndexer) {
    let j = 0;
    parsed.forEach((p, pos) => {
      if (p.kind === 'none') return;
      if (p.kind === 'array') advanced.push({ arr: normalizeIndexArray(p.value, shape[p.axis]), pos, xAxis: j });
      else if (p.kind === 'int') {
        const v = p.value < 0 ? p.value + shape[p.axis] : p.value;
        advanced.push({ arr: scalarConstant(v, 'int32', true), pos, xAxis: j });
      }
      j++;
    });
  }
  const advancedIdxPositions = advanced.map((a) => a.pos);

  let xAxis = 0, yAxis = 0, collapsedYAxis = 0;
  const offsetDims: number[] = [], collapsedSliceDims: number[] = [], startIndexMap: number[] = [];
  const gatherIndices: [Array, number][] = [];
  const gatherIndicesShape: number[] = [];
  const sliceShape: number[] = [], newaxisDims: number[] = [], reversedYDims: number[] = [], gatherSliceShape: number[] = [];

  parsed.forEach((p, pos) => {
    if (advanced.length && ((contiguous && pos === advancedIdxPositions[0]) || (!contiguous && pos === 0))) {
      const bshape = broadcastShapes('index', ...advanced.map((a) => a.arr.shape));
      const startDim = gatherIndicesShape.length;
      for (const a of advanced) gatherIndices.push([lax.convertElementType(broadcastTo(a.arr, bshape, 'index'), 'int32'), startDim]);
      gatherIndicesShape.push(...bshape);
      startIndexMap.push(...advanced.map((a) => a.xAxis));
      collapsedSliceDims.push(...advanced.map((a) => a.xAxis));
      sliceShape.push(...bshape);
      yAxis += bshape.length;
      collapsedYAxis += bshape.length;
    }
    if (advancedIdxPositions.includes(pos)) {
      xAxis++;
      gatherSliceShape.push(1);
      return;
    }
    if (p.kind === 'int' || (p.kind === 'array' && p.value.ndim === 0)) {
      if (shape[xAxis] === 0) throw new IndexError(`index is out of bounds for axis ${xAxis} with size 0`);
      const i = p.kind === 'int'
        ? scalarConstant(p.value < 0 ? p.value + shape[xAxis] : p.value, 'int32')
        : lax.convertElementType(normalizeIndexArray(p.value, shape[xAxis]), 'int32');
      gatherIndices.push([i, gatherIndicesShape.length]);
      collapsedSliceDims.push(xAxis);
      gatherSliceShape.push(1);
      startIndexMap.push(xAxis);
      xAxis++;
    } else if (p.kind === 'none') {
      sliceShape.push(1);
      newaxisDims.push(yAxis);
      yAxis++;
    } else if (p.kind === 'slice') {
      const { start, step, size } = canonicalizeSlice(p.value, shape[xAxis]);
      sliceShape.push(size);
      if (step === 1) {
        // A unit-step slice is a window of the gather; it needs a start index only when partial.
        if (size !== shape[xAxis]) {
          gatherIndices.push([scalarConstant(start, 'int32'), gatherIndicesShape.length]);
          startIndexMap.push(xAxis);
        }
        gatherSliceShape.push(size);
        offsetDims.push(collapsedYAxis);
      } else {
        let indices = lax.add(scalarConstant(start, 'int32'), lax.mul(scalarConstant(step, 'int32'), lax.iota('int32', size)));
        if (step < 0) {
          reversedYDims.push(collapsedYAxis);
          indices = lax.rev(indices, [0]);
        }
        gatherSliceShape.push(1);
        gatherIndices.push([indices, gatherIndicesShape.length]);
        startIndexMap.push(xAxis);
        gatherIndicesShape.push(size);
        collapsedSliceDims.push(xAxis);
      }
      collapsedYAxis++;
      yAxis++;
      xAxis++;
    }
  });

  let indicesArray: Array | null;
  if (gatherIndices.length === 0) indicesArray = null;
  else if (gatherIndices.length === 1) {
    const [g] = gatherIndices[0];
    indicesArray = lax.expandDims(g, [g.ndim]);
  } else {
    const lastDim = gatherIndicesShape.length;
    const target = [...gatherIndicesShape, 1];
    indicesArray = lax.concatenate(gatherIndices.map(([g, i]) => lax.broadcastInDim(g, target, range(g.ndim).map((k) => i + k))), lastDim);
  }
  return {
    sliceShape,
    gatherSliceShape,
    gatherIndices: indicesArray,
    dnums: {
      offset_dims: offsetDims,
      collapsed_slice_dims: [...collapsedSliceDims].sort((a, b) => a - b),
      start_index_map: startIndexMap,
      operand_batching_dims: [],
      start_indices_batching_dims: [],
    },
    uniqueIndices: advanced.length === 0,
    indicesAreSorted: advanced.length === 0,
    reversedYDims,
    newaxisDims,
  };
}

export interface GetOptions {
  /** 'promise_in_bounds' (default: out-of-bounds indices clamp), 'clip', or 'fill' (out of bounds reads fillValue). */
  mode?: GatherScatterMode;
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

/** x[idx] (jnp's rewriting_take). */
export function getItem(x: Array, idx: readonly Index[], opts: GetOptions = {}): Array {
  const mode = opts.mode ?? 'promise_in_bounds';
  const parsed = parseIndices(x.shape, idx);
  const sliceable = mode !== 'fill';
  if (sliceable && parsed.every((p) => p.kind !== 'array')) return staticSlice(x, parsed);
  if (sliceable && parsed.every((p) => p.kind !== 'array' || isScalarArray(p))
    && parsed.every((p) => p.kind !== 'slice' || p.value.step === null || Math.abs(p.value.step) === 1)) {
    return dynamicSlice(x, parsed);
  }
  const indexer = indexToGather(x.shape, parsed);
  if (sizeOf(indexer.sliceShape) === 0) return lax.fullLike(x, 0, undefined, indexer.sliceShape);
  let y = x;
  if (indexer.gatherIndices && sizeOf(indexer.gatherIndices.shape) > 0) {
    y = lax.gather(x, indexer.gatherIndices, indexer.dnums, indexer.gatherSliceShape, {
      mode,
      fillValue: opts.fillValue ?? null,
      indicesAreSorted: indexer.indicesAreSorted || !!opts.indicesAreSorted,
      uniqueIndices: indexer.uniqueIndices || !!opts.uniqueIndices,
    });
  }
  y = lax.rev(y, indexer.reversedYDims);
  return lax.expandDims(y, indexer.newaxisDims);
}

// ---- take --------------------------------------------------------------------------------------
export interface TakeOptions {
  axis?: number | null;
  /** 'fill' (default, as jnp.take: out-of-bounds reads fillValue, NaN for floats), 'clip' or 'wrap'. */
  mode?: 'fill' | 'clip' | 'wrap' | 'promise_in_bounds';
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

/** Elements of x at the given positions along an axis (of the flattened array when axis is omitted). */
export function take(x: ArrayLike, indices: ArrayLike, opts: TakeOptions = {}): Array {
  const a = asArray(x, {}, 'take');
  const idx = asArray(indices, {}, 'take');
  if (!isInteger(idx.dtype)) throw new TypeError(`take: indices must be integers, got dtype ${idx.dtype}.`);
  return takeStaged(a, idx, opts.axis ?? null, opts.mode ?? null, opts.uniqueIndices ?? false, opts.indicesAreSorted ?? false, opts.fillValue ?? null);
}
// jnp's `_take(a, indices, axis, mode, unique_indices, indices_are_sorted, fill_value)`.
const takeStaged = stagedJnp('_take', (x: Array, indices: Array, axisOpt: number | null, modeOpt: TakeOptions['mode'] | null,
  uniqueIndices: boolean, indicesAreSorted: boolean, fillValue: TakeOptions['fillValue'] | null): Array => {
  let a = x;
  let idx = indices;
  let axis: number;
  if (axisOpt === null) {
    a = ravel(a);
    axis = 0;
  } else axis = axisOpt < 0 ? axisOpt + a.ndim : axisOpt;
  if (axis < 0 || axis >= a.ndim) throw new RangeError(`take: axis ${axisOpt} is out of bounds for array of dimension ${a.ndim}.`);
  const n = a.shape[axis];
  const mode = modeOpt ?? 'fill';
  const opts = { fillValue, uniqueIndices, indicesAreSorted };
  let gatherMode: GatherScatterMode;
  if (mode === 'fill') { gatherMode = 'fill'; idx = where(less(idx, 0), add(idx, n), idx); }
  else if (mode === 'wrap') {
    gatherMode = 'promise_in_bounds';
    const m = scalarConstant(n, idx.dtype);
    const r = lax.rem(idx, m);
    idx = lax.select(lax.bitwiseAnd(lax.ne(lax.lt(r, scalarConstant(0, idx.dtype)), lax.lt(m, scalarConstant(0, idx.dtype))), lax.ne(r, scalarConstant(0, idx.dtype))), lax.add(r, m), r);
  } else if (mode === 'clip') gatherMode = 'clip';
  else gatherMode = 'promise_in_bounds';
  if (n === 0) {
    if (idx.size !== 0) throw new IndexError('Cannot do a non-empty np.take() from an empty axis.');
    return a;
  }
  const outShape = [...a.shape.slice(0, axis), ...idx.shape, ...a.shape.slice(axis + 1)];
  if (idx.size === 0) return lax.fullLike(a, 0, undefined, outShape);
  const sliceSizes = [...a.shape];
  sliceSizes[axis] = 1;
  const k = idx.ndim;
  return lax.gather(a, lax.expandDims(idx, [k]), {
    offset_dims: [...range(axis), ...range(a.ndim - 1 - axis).map((i) => axis + k + i)],
    collapsed_slice_dims: [axis],
    start_index_map: [axis],
  }, sliceSizes, { mode: gatherMode, fillValue: opts.fillValue ?? null, uniqueIndices: opts.uniqueIndices, indicesAreSorted: opts.indicesAreSorted });
}, { staticArgnums: [2, 3, 4, 5, 6] });

/** arr[..., indices, ...] pairing each position of `indices` with the same position of arr along the other axes. */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike, axis: number | null, opts: { mode?: GatherScatterMode; fillValue?: number | null } = {}): Array {
  let a = asArray(x, {}, 'take_along_axis');
  let idx = asArray(indices, {}, 'take_along_axis');
  if (!isInteger(idx.dtype)) throw new TypeError(`take_along_axis: indices must be integers, got dtype ${idx.dtype}.`);
  if (axis === null) { a = lax.reshape(a, [a.size]); idx = lax.reshape(idx, [idx.size]); axis = 0; }
  const ax = axis < 0 ? axis + a.ndim : axis;
  if (idx.ndim !== a.ndim) {
    throw new TypeError(`take_along_axis: indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${a.ndim}.`);
  }
  const outShape = broadcastShapes('take_along_axis', a.shape.map((n, d) => (d === ax ? 1 : n)), idx.shape.map((n, d) => (d === ax ? 1 : n)));
  outShape[ax] = idx.shape[ax];
  // One integer array per axis: the positions along `axis`, and iotas for the others.
  const index: Index[] = a.shape.map((n, d) => {
    if (d === ax) return broadcastTo(idx, outShape, 'take_along_axis');
    return n === 1 ? lax.full(outShape, 0, 'int32') : lax.broadcastedIota('int32', outShape, d);
  });
  return getItem(a, index, { mode: opts.mode ?? 'fill', fillValue: opts.fillValue ?? null });
}
