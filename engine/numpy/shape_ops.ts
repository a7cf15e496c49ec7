// Shape manipulation: reshape, transposes, adding and removing axes, joining and splitting,
// broadcasting, flipping, tiling, repeating, padding. All static in shape, so each is a fixed
// sequence of layout primitives.

import type { Array } from '../core/array.js';
import type { DType } from '../core/dtype.js';
import { broadcastShapes as broadcastShapesOf, normalizeAxes, normalizeAxis, shapeStr, sizeOf } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { arrayFromValues } from '../lax/constants.js';
import { type ArrayLike, asArray, broadcastTo as broadcastArrayTo, checkArrayLike, convertTo, resultType } from './coerce.js';
import { stagedJnp } from './staged.js';

const range = (n: number): number[] => [...globalThis.Array(n).keys()];

/** Resolves one -1 in a requested shape, with NumPy's errors. */
function resolveShape(fn: string, size: number, shape: readonly number[], from: readonly number[]): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new TypeError(`${fn}: can only specify one unknown dimension (-1), got shape ${shapeStr(shape)}.`);
  if (shape.some((d) => !Number.isInteger(d) || d < -1)) throw new TypeError(`${fn}: shape must hold non-negative integers or one -1, got ${shapeStr(shape)}.`);
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (unknown) {
    if (known === 0 || size % known !== 0) {
      throw new TypeError(`cannot reshape array of shape ${shapeStr(from)} (size ${size}) into shape ${shapeStr(shape)}: the unknown dimension cannot be inferred.`);
    }
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  if (known !== size) {
    throw new TypeError(`cannot reshape array of shape ${shapeStr(from)} (size ${size}) into shape ${shapeStr(shape)} (size ${known}).`);
  }
  return [...shape];
}

/** Gives the array a new shape with the same size; one dimension may be -1 (inferred). */
export function reshape(x: ArrayLike, shape: number | readonly number[]): Array {
  const a = asArray(x, {}, 'reshape');
  const want = typeof shape === 'number' ? [shape] : shape;
  return lax.reshape(a, resolveShape('reshape', a.size, want, a.shape));
}

/** The array as 1-D, in row-major order. */
export function ravel(x: ArrayLike): Array {
  const a = asArray(x, {}, 'ravel');
  return a.ndim === 1 ? a : lax.reshape(a, [a.size]);
}

/**
 * The array and the axis a function of one axis works along: NumPy's axis=None (null or omitted)
 * means the flattened array, along axis 0.
 */
export function alongAxis(a: Array, axis: number | null | undefined, fn: string): [Array, number] {
  if (axis === undefined || axis === null) return [ravel(a), 0];
  return [a, normalizeAxis(axis, a.ndim, fn)];
}

/** Permutes axes; reverses them when `axes` is omitted. */
export function transpose(x: ArrayLike, axes?: readonly number[] | null): Array {
  const a = asArray(x, {}, 'transpose');
  if (axes === undefined || axes === null) return lax.transpose(a, range(a.ndim).reverse());
  if (axes.length !== a.ndim) throw new TypeError(`transpose: axes ${shapeStr(axes)} don't match array of dimension ${a.ndim}; give one entry per axis.`);
  const perm = normalizeAxes(axes, a.ndim, 'transpose');
  return lax.transpose(a, perm);
}
/** The matrix transpose of the last two axes. */
export function matrixTranspose(x: ArrayLike): Array {
  const a = asArray(x, {}, 'matrix_transpose');
  if (a.ndim < 2) throw new TypeError(`matrix_transpose: x must be at least two-dimensional, got shape ${shapeStr(a.shape)}.`);
  const perm = range(a.ndim);
  [perm[a.ndim - 2], perm[a.ndim - 1]] = [perm[a.ndim - 1], perm[a.ndim - 2]];
  return lax.transpose(a, perm);
}

export function swapaxes(x: ArrayLike, axis1: number, axis2: number): Array {
  const a = asArray(x, {}, 'swapaxes');
  const perm = range(a.ndim);
  const i = normalizeAxis(axis1, a.ndim, 'swapaxes'), j = normalizeAxis(axis2, a.ndim, 'swapaxes');
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return lax.transpose(a, perm);
}

/** Moves axes to new positions, keeping the others in order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): Array {
  const a = asArray(x, {}, 'moveaxis');
  const src = normalizeAxes(typeof source === 'number' ? [source] : source, a.ndim, 'moveaxis');
  const dst = normalizeAxes(typeof destination === 'number' ? [destination] : destination, a.ndim, 'moveaxis');
  if (src.length !== dst.length) {
    throw new TypeError(`moveaxis: source and destination must have the same number of elements, got ${shapeStr(src)} and ${shapeStr(dst)}.`);
  }
  const perm = range(a.ndim).filter((i) => !src.includes(i));
  [...dst.keys()].sort((p, q) => dst[p] - dst[q]).forEach((k) => perm.splice(dst[k], 0, src[k]));
  return lax.transpose(a, perm);
}

/** Inserts size-1 axes at the given positions of the result. */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): Array {
  const a = asArray(x, {}, 'expand_dims');
  const axes = typeof axis === 'number' ? [axis] : [...axis];
  return lax.expandDims(a, normalizeAxes(axes, a.ndim + axes.length, 'expand_dims'));
}

type AxisArg = number | readonly number[] | null | undefined;
/** An axis given positionally or as {axis}. */
const axisArg = (v: AxisArg | { axis?: AxisArg }): AxisArg =>
  (v !== null && typeof v === 'object' && !globalThis.Array.isArray(v) ? (v as { axis?: AxisArg }).axis : (v as AxisArg));

/** Removes size-1 axes: all of them, or the ones named (which must have size 1): squeeze(x, 0) or squeeze(x, {axis: 0}). */
export function squeeze(x: ArrayLike, axisOrOpts?: AxisArg | { axis?: AxisArg }): Array {
  const axis = axisArg(axisOrOpts);
  const a = asArray(x, {}, 'squeeze');
  const axes = axis === undefined || axis === null
    ? range(a.ndim).filter((i) => a.shape[i] === 1)
    : normalizeAxes(axis, a.ndim, 'squeeze');
  const bad = axes.filter((d) => a.shape[d] !== 1);
  if (bad.length) {
    throw new TypeError(`cannot select an axis to squeeze out which has size not equal to one, got shape=${shapeStr(a.shape)} and dimensions=${shapeStr(axes)}.`);
  }
  return lax.squeeze(a, axes);
}

export function atleast1d(x: ArrayLike): Array {
  const a = asArray(x, {}, 'atleast_1d');
  return a.ndim >= 1 ? a : lax.reshape(a, [1]);
}
export function atleast2d(x: ArrayLike): Array {
  const a = asArray(x, {}, 'atleast_2d');
  return a.ndim >= 2 ? a : lax.expandDims(a, a.ndim === 0 ? [0, 1] : [0]);
}
export function atleast3d(x: ArrayLike): Array {
  const a = asArray(x, {}, 'atleast_3d');
  if (a.ndim === 0) return lax.expandDims(a, [0, 1, 2]);
  if (a.ndim === 1) return lax.expandDims(a, [0, 2]);
  if (a.ndim === 2) return lax.expandDims(a, [2]);
  return a;
}

/** Arrays converted to their common dtype (jnp's promote_dtypes for a sequence). */
function commonDtype(fn: string, xs: readonly ArrayLike[], dtype?: DType | null): Array[] {
  if (!globalThis.Array.isArray(xs) && !(xs as unknown instanceof globalThis.Array)) throw new TypeError(`${fn} takes a list of arrays.`);
  checkArrayLike(fn, ...xs);
  if (xs.length === 0) throw new TypeError(`${fn}: need at least one array to ${fn === 'stack' ? 'stack' : 'concatenate'}.`);
  const t = resultType(...xs);
  const d = dtype ?? t.dtype;
  return xs.map((x) => convertTo(x, d, dtype ? false : t.weakType));
}

/** Joins arrays along an existing axis (axis null: flattened first). */
export function concatenate(arrays: readonly ArrayLike[], opts: { axis?: number | null; dtype?: DType | null } = {}): Array {
  let xs = commonDtype('concatenate', arrays, opts.dtype);
  let axis = opts.axis === undefined ? 0 : opts.axis;
  if (axis === null) { xs = xs.map(ravel); axis = 0; }
  if (xs.some((x) => x.ndim === 0)) throw new TypeError('Zero-dimensional arrays cannot be concatenated; use np.stack or reshape them to (1,).');
  const ndim = xs[0].ndim;
  if (xs.some((x) => x.ndim !== ndim)) {
    throw new TypeError(`concatenate: all the input arrays must have the same number of dimensions, got shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
  }
  return lax.concatenate(xs, normalizeAxis(axis, ndim, 'concatenate'));
}
export const concat = concatenate;

/** Joins same-shaped arrays along a new axis. */
export function stack(arrays: readonly ArrayLike[], opts: { axis?: number; dtype?: DType | null } = {}): Array {
  const xs = commonDtype('stack', arrays, opts.dtype);
  const shape0 = xs[0].shape;
  if (xs.some((x) => shapeStr(x.shape) !== shapeStr(shape0))) {
    throw new TypeError(`stack: all input arrays must have the same shape, got ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
  }
  const axis = normalizeAxis(opts.axis ?? 0, shape0.length + 1, 'stack');
  return lax.concatenate(xs.map((x) => lax.expandDims(x, [axis])), axis);
}

/** Joins along axis 1 (axis 0 for 1-D arrays). */
export function hstack(arrays: readonly ArrayLike[], opts: { dtype?: DType | null } = {}): Array {
  const xs = arrays.map(atleast1d);
  return concatenate(xs, { axis: xs[0].ndim === 1 ? 0 : 1, dtype: opts.dtype });
}
/** Joins along axis 0, treating 1-D arrays as rows. */
export function vstack(arrays: readonly ArrayLike[], opts: { dtype?: DType | null } = {}): Array {
  return concatenate(arrays.map(atleast2d), { axis: 0, dtype: opts.dtype });
}
export const rowStack = vstack;
/** Joins along axis 2. */
export function dstack(arrays: readonly ArrayLike[], opts: { dtype?: DType | null } = {}): Array {
  return concatenate(arrays.map(atleast3d), { axis: 2, dtype: opts.dtype });
}
/** 1-D arrays become columns of a 2-D array. */
export function columnStack(arrays: readonly ArrayLike[]): Array {
  return concatenate(arrays.map((x) => {
    const a = asArray(x, {}, 'column_stack');
    return a.ndim < 2 ? lax.reshape(a, [a.size, 1]) : a;
  }), { axis: 1 });
}

/**
 * Splits into equal sections (a number) or at the given indices (a list), along an axis. With
 * `unequal` (np.array_split) a number of sections need not divide the axis.
 */
function splitImpl(fn: string, x: ArrayLike, indicesOrSections: number | readonly number[], axis: number, unequal: boolean): Array[] {
  const a = asArray(x, {}, fn);
  const ax = normalizeAxis(axis, a.ndim, fn);
  const n = a.shape[ax];
  let cuts: number[];
  if (typeof indicesOrSections === 'number') {
    const k = indicesOrSections;
    if (!Number.isInteger(k) || k <= 0) throw new RangeError(`${fn}: number sections must be a positive integer, got ${k}.`);
    if (!unequal && n % k !== 0) throw new RangeError(`array split does not result in an equal division: axis ${ax} of size ${n} into ${k} sections.`);
    const base = Math.floor(n / k), extra = n % k;
    cuts = [];
    let at = 0;
    for (let i = 0; i < k - 1; i++) { at += base + (i < extra ? 1 : 0); cuts.push(at); }
  } else {
    cuts = indicesOrSections.map((i) => Math.min(n, Math.max(0, i < 0 ? i + n : i)));
  }
  const bounds = [0, ...cuts, n];
  return bounds.slice(1).map((end, i) => {
    const start = Math.min(bounds[i], n);
    const stop = Math.max(start, end);
    return lax.sliceInDim(a, start, stop, 1, ax);
  });
}
export function split(x: ArrayLike, indicesOrSections: number | readonly number[], opts: { axis?: number } = {}): Array[] {
  return splitImpl('split', x, indicesOrSections, opts.axis ?? 0, false);
}
export function arraySplit(x: ArrayLike, indicesOrSections: number | readonly number[], opts: { axis?: number } = {}): Array[] {
  return splitImpl('array_split', x, indicesOrSections, opts.axis ?? 0, true);
}
export const hsplit = (x: ArrayLike, s: number | readonly number[]): Array[] => {
  const a = asArray(x, {}, 'hsplit');
  return splitImpl('hsplit', a, s, a.ndim === 1 ? 0 : 1, false);
};
export const vsplit = (x: ArrayLike, s: number | readonly number[]): Array[] => splitImpl('vsplit', x, s, 0, false);

/** Broadcasts an array to a shape (NumPy rules: align trailing axes; size-1 axes stretch). */
export function broadcastTo(x: ArrayLike, shape: number | readonly number[]): Array {
  return broadcastArrayTo(asArray(x, {}, 'broadcast_to'), typeof shape === 'number' ? [shape] : shape);
}

/** The shape NumPy broadcasting gives these shapes. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  return broadcastShapesOf('broadcast_shapes', ...shapes);
}

/** Broadcasts arrays against each other (without changing dtypes). */
export function broadcastArrays(...xs: ArrayLike[]): Array[] {
  const arrays = xs.map((x) => asArray(x, {}, 'broadcast_arrays'));
  const shape = broadcastShapesOf('broadcast_arrays', ...arrays.map((a) => a.shape));
  return arrays.map((a) => broadcastArrayTo(a, shape, 'broadcast_arrays'));
}

/** Reverses the order of elements along the given axes (all axes by default). */
export function flip(x: ArrayLike, opts: { axis?: number | readonly number[] | null } | number = {}): Array {
  const a = asArray(x, {}, 'flip');
  const axis = typeof opts === 'number' ? opts : opts.axis;
  return flipStaged(a, axis ?? null);
}
const flipStaged = stagedJnp('_flip', (a: Array, axis: number | readonly number[] | null): Array =>
  lax.rev(a, normalizeAxes(axis, a.ndim, 'flip')), { staticArgnums: [1] });
export const fliplr = (x: ArrayLike): Array => flip(x, { axis: 1 });
export const flipud = (x: ArrayLike): Array => flip(x, { axis: 0 });

/** Rolls elements along an axis (the flattened array when axis is omitted); what falls off one end comes back at the other. */
export function roll(x: ArrayLike, shift: number | readonly number[], opts: { axis?: number | readonly number[] | null } = {}): Array {
  const a = asArray(x, {}, 'roll');
  if (opts.axis === undefined || opts.axis === null) return lax.reshape(roll(ravel(a), shift, { axis: 0 }), a.shape);
  const axes = typeof opts.axis === 'number' ? [opts.axis] : [...opts.axis];
  const shifts = typeof shift === 'number' ? axes.map(() => shift) : [...shift];
  if (shifts.length !== axes.length) throw new TypeError(`roll: shift and axis must have the same length, got ${shapeStr(shifts)} and ${shapeStr(axes)}.`);
  let out = a;
  axes.forEach((ax0, i) => {
    const ax = normalizeAxis(ax0, a.ndim, 'roll');
    const n = a.shape[ax];
    if (n === 0) return;
    const s = ((shifts[i] % n) + n) % n;
    if (s === 0) return;
    out = lax.concatenate([lax.sliceInDim(out, n - s, n, 1, ax), lax.sliceInDim(out, 0, n - s, 1, ax)], ax);
  });
  return out;
}

/** Repeats the whole array `reps` times along each axis. */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  const a = asArray(x, {}, 'tile');
  let r = typeof reps === 'number' ? [reps] : [...reps];
  const aShape = [...new globalThis.Array<number>(Math.max(0, r.length - a.ndim)).fill(1), ...a.shape];
  r = [...new globalThis.Array<number>(aShape.length - r.length).fill(1), ...r];
  const interleaved = aShape.flatMap((n) => [1, n]);
  const target = aShape.flatMap((n, i) => [r[i], n]);
  const result = broadcastArrayTo(lax.reshape(a, interleaved), target, 'tile');
  return lax.reshape(result, aShape.map((n, i) => n * r[i]));
}

/**
 * Repeats each element `repeats` times along an axis (the flattened array when axis is omitted).
 * `repeats` is a number or one count per element (a JS array: counts must be known to fix the shape).
 */
export function repeat(x: ArrayLike, repeats: number | readonly number[], opts: { axis?: number | null } = {}): Array {
  const [a, axis] = alongAxis(asArray(x, {}, 'repeat'), opts.axis, 'repeat');
  const n = a.shape[axis];
  if (typeof repeats === 'number') {
    if (!Number.isInteger(repeats) || repeats < 0) throw new RangeError(`repeat: repeats must be a non-negative integer, got ${repeats}.`);
    const expandedShape = [...a.shape.slice(0, axis + 1), repeats, ...a.shape.slice(axis + 1)];
    const dims = range(a.ndim).map((i) => (i <= axis ? i : i + 1));
    const b = lax.broadcastInDim(a, expandedShape, dims);
    const out = [...a.shape];
    out[axis] = n * repeats;
    return lax.reshape(b, out);
  }
  if (repeats.length !== n) {
    throw new TypeError(`repeat: got ${repeats.length} repeat counts for an axis of size ${n}; give one per element or a single number.`);
  }
  const idx: number[] = [];
  repeats.forEach((k, i) => { for (let j = 0; j < k; j++) idx.push(i); });
  return takeStatic(a, idx, axis);
}

/** Gathers positions known on the host along one axis (the gather jnp.take emits). */
export function takeStatic(a: Array, positions: readonly number[], axis: number): Array {
  const indices = arrayFromValues(positions, [positions.length, 1], 'int32');
  const sliceSizes = [...a.shape];
  sliceSizes[axis] = 1;
  // The gathered axis takes the place of `axis` in the output; every other axis is a window axis.
  return lax.gather(a, indices, {
    offset_dims: range(a.ndim).filter((d) => d !== axis),
    collapsed_slice_dims: [axis],
    start_index_map: [axis],
  }, sliceSizes, { mode: 'promise_in_bounds', indicesAreSorted: isSorted(positions) });
}
const isSorted = (xs: readonly number[]) => xs.every((v, i) => i === 0 || xs[i - 1] <= v);

export type PadMode = 'constant' | 'edge' | 'wrap' | 'reflect' | 'symmetric';

/** pad_width as [[before, after], …] per axis, from NumPy's shorthands (n, [n], [before, after], per-axis pairs). */
function normalizePadWidth(padWidth: number | readonly number[] | readonly (readonly number[])[], ndim: number): [number, number][] {
  let pairs: [number, number][];
  if (typeof padWidth === 'number') pairs = range(ndim).map(() => [padWidth, padWidth]);
  else if (padWidth.length > 0 && typeof padWidth[0] === 'number') {
    const p = padWidth as readonly number[];
    if (p.length === 1) pairs = range(ndim).map(() => [p[0], p[0]]);
    else if (p.length === 2) pairs = range(ndim).map(() => [p[0], p[1]]);
    else throw new TypeError(`pad: pad_width ${JSON.stringify(padWidth)} is not understood; use n, [before, after] or one [before, after] per axis.`);
  } else {
    const pp = padWidth as readonly (readonly number[])[];
    if (pp.length === 1) pairs = range(ndim).map(() => [pp[0][0], pp[0][pp[0].length - 1]]);
    else if (pp.length === ndim) pairs = pp.map((q) => [q[0], q[q.length - 1]]);
    else throw new TypeError(`pad: got ${pp.length} (before, after) pairs for an array of dimension ${ndim}; give one per axis.`);
  }
  for (const [lo, hi] of pairs) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) {
      throw new RangeError(`pad: index can't contain negative values; got pad_width ${JSON.stringify(padWidth)}.`);
    }
  }
  return pairs;
}

/** Where each padded position reads from, for the non-constant modes (NumPy's definitions). */
function sourcePosition(mode: Exclude<PadMode, 'constant'>, i: number, n: number): number {
  switch (mode) {
    case 'edge': return Math.min(n - 1, Math.max(0, i));
    case 'wrap': return ((i % n) + n) % n;
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - m;
    }
    case 'symmetric': {
      const period = 2 * n;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - 1 - m;
    }
  }
}

/** Pads an array: with a constant (default 0), or by repeating edges, wrapping or reflecting. */
export function pad(x: ArrayLike, padWidth: number | readonly number[] | readonly (readonly number[])[],
  opts: { mode?: PadMode; constantValues?: number | boolean } = {}): Array {
  const a = asArray(x, {}, 'pad');
  const pairs = normalizePadWidth(padWidth, a.ndim);
  const mode = opts.mode ?? 'constant';
  if (mode === 'constant') {
    const value = convertTo(opts.constantValues ?? 0, a.dtype, false);
    return lax.pad(a, value, pairs.map(([lo, hi]) => [lo, hi, 0] as [number, number, number]));
  }
  if (!['edge', 'wrap', 'reflect', 'symmetric'].includes(mode)) {
    throw new TypeError(`pad: mode '${mode}' is not supported; use 'constant', 'edge', 'wrap', 'reflect' or 'symmetric'.`);
  }
  let out = a;
  pairs.forEach(([lo, hi], axis) => {
    if (lo === 0 && hi === 0) return;
    const n = a.shape[axis];
    if (n === 0) throw new RangeError(`pad: can't extend empty axis ${axis} using modes other than 'constant'.`);
    const positions = range(lo + n + hi).map((i) => sourcePosition(mode as Exclude<PadMode, 'constant'>, i - lo, n));
    out = takeStatic(out, positions, axis);
  });
  return out;
}

/** The number of elements, optionally along one axis (a static JS number). */
export function size(x: ArrayLike, axis?: number): number {
  const a = asArray(x, {}, 'size');
  return axis === undefined ? sizeOf(a.shape) : a.shape[normalizeAxis(axis, a.ndim, 'size')];
}
export function shape(x: ArrayLike): number[] { return asArray(x, {}, 'shape').shape; }
export function ndim(x: ArrayLike): number { return asArray(x, {}, 'ndim').ndim; }
