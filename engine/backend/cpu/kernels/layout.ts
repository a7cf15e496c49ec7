// Layout kernels for the cpu backend: primitives that move elements without arithmetic.
//
// Most of them are a *strided view* of the operand: output element at multi-index i reads
// operand[offset + Σ i[d]·stride[d]] (broadcast = stride 0, rev = negative stride, slice = offset
// and scaled stride, transpose = permuted strides; `stridedViewOf` in lax/primitives/shape_ops.ts
// says which). One walk serves them all; the rest (concatenate, pad, dynamic_update_slice, iota)
// write regions of the output instead.

import type { ShapedArray } from '../../../core/aval.js';
import { type TypedArray, typedArrayFor, roundToFloat16 } from '../../../core/dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../../core/shape.js';
import { STRIDED_VIEW_PRIMITIVES, stridedViewOf } from '../../../lax/primitives/shape_ops.js';
import type { CpuOperand } from '../cpu_backend.js';
import { registerCpuKernel } from '../kernels.js';
import { stridedOffsets } from './strided.js';

/**
 * A row-major walk of `shape` as rows along its last dim: the strided offset where each row starts,
 * and the row's length and stride (a rank-0 walk is one row of one element).
 */
function stridedRows(shape: Shape, strides: readonly number[], offset: number) {
  const rank = shape.length;
  return {
    starts: stridedOffsets(shape.slice(0, -1), strides.slice(0, -1), offset),
    length: rank ? shape[rank - 1] : 1,
    step: rank ? strides[rank - 1] : 0,
  };
}

/** Reads `src` through a strided view into a new row-major array of `out`'s shape and dtype. */
function stridedView(src: TypedArray, out: ShapedArray, strides: readonly number[], offset: number): TypedArray {
  const res = typedArrayFor(out.dtype, out.size);
  const { starts, length, step } = stridedRows(out.shape, strides, offset);
  for (let r = 0, o = 0; r < starts.length; r++, o += length) {
    for (let j = 0, s = starts[r]; j < length; j++, s += step) res[o + j] = src[s];
  }
  return res;
}

/** Writes every element of `src` (row-major, shape `shape`) into `dst` at `offset + Σ i[d]·strides[d]`. */
function stridedWrite(dst: TypedArray, src: TypedArray, shape: Shape, strides: readonly number[], offset: number): void {
  const { starts, length, step } = stridedRows(shape, strides, offset);
  for (let r = 0, o = 0; r < starts.length; r++, o += length) {
    for (let j = 0, d = starts[r]; j < length; j++, d += step) dst[d] = src[o + j];
  }
}

const copyData = (x: CpuOperand): TypedArray => x.data.slice() as TypedArray;

/**
 * Start indices of a dynamic slice of `sizes` in `shape`, clamped so the slice fits, as XLA does
 * (a negative start becomes 0; a start past `shape - size` becomes `shape - size`).
 */
function clampedStarts(indices: CpuOperand[], shape: Shape, sizes: Shape): number[] {
  return indices.map((ix, d) => Math.min(Math.max(Number(ix.data[0]), 0), shape[d] - sizes[d]));
}

for (const name of STRIDED_VIEW_PRIMITIVES) {
  registerCpuKernel(name, ([x], params, [out]) => {
    const { strides, offset } = stridedViewOf(name, x.aval.shape, params);
    return [stridedView(x.data, out, strides, offset)];
  });
}

// Row-major order is unchanged by these: the output is a copy of the operand's elements.
for (const name of ['reshape', 'squeeze', 'expand_dims', 'copy', 'copy_p']) {
  registerCpuKernel(name, ([x]) => [copyData(x)]);
}

registerCpuKernel('dynamic_slice', ([x, ...indices], params, [out]) => {
  const sizes = params.slice_sizes as number[];
  const starts = clampedStarts(indices, x.aval.shape, sizes);
  const xs = stridesOf(x.aval.shape);
  const offset = starts.reduce((acc, s, d) => acc + s * xs[d], 0);
  return [stridedView(x.data, out, xs, out.size === 0 ? 0 : offset)];
});

registerCpuKernel('dynamic_update_slice', ([x, update, ...indices]) => {
  const res = copyData(x);
  const starts = clampedStarts(indices, x.aval.shape, update.aval.shape);
  const xs = stridesOf(x.aval.shape);
  const offset = starts.reduce((acc, s, d) => acc + s * xs[d], 0);
  stridedWrite(res, update.data, update.aval.shape, xs, offset);
  return [res];
});

registerCpuKernel('concatenate', (xs, params, [out]) => {
  const dim = params.dimension as number;
  const res = typedArrayFor(out.dtype, out.size);
  // Each operand is `outer` blocks of `shape[dim] · inner` contiguous elements, placed side by side
  // along `dim` in the output's blocks of `out.shape[dim] · inner`.
  const outer = sizeOf(out.shape.slice(0, dim));
  const inner = sizeOf(out.shape.slice(dim + 1));
  const outBlock = out.shape[dim] * inner;
  let at = 0;
  for (const x of xs) {
    const block = x.aval.shape[dim] * inner;
    for (let o = 0; o < outer; o++) res.set(x.data.subarray(o * block, (o + 1) * block) as never, o * outBlock + at);
    at += block;
  }
  return [res];
});

registerCpuKernel('pad', ([x, value], params, [out]) => {
  const config = params.padding_config as [number, number, number][];
  const res = typedArrayFor(out.dtype, out.size);
  res.fill(value.data[0] as never);
  if (out.size === 0 || x.aval.size === 0) return [res];
  // Operand element i lands at lo + i·(interior + 1) in each dimension, unless negative lo/hi crop
  // it away. Crop first: find the operand range that survives, then write it as a strided view.
  const os = stridesOf(out.shape), xs = stridesOf(x.aval.shape);
  const first: number[] = [], count: number[] = [], strides: number[] = [];
  let offset = 0;
  for (let d = 0; d < x.aval.ndim; d++) {
    const [lo, , interior] = config[d];
    const step = interior + 1;
    const lowest = lo < 0 ? Math.ceil(-lo / step) : 0; // first i with lo + i·step ≥ 0
    const highest = Math.min(x.aval.shape[d] - 1, Math.floor((out.shape[d] - 1 - lo) / step)); // last i inside
    first.push(lowest);
    count.push(Math.max(0, highest - lowest + 1));
    strides.push(step * os[d]);
    offset += (lo + lowest * step) * os[d];
  }
  if (sizeOf(count) === 0) return [res];
  const kept = stridedView(x.data, x.aval.update({ shape: count }), xs, first.reduce((acc, f, d) => acc + f * xs[d], 0));
  stridedWrite(res, kept, count, strides, offset);
  return [res];
});

registerCpuKernel('iota', (_, params, [out]) => {
  const dim = params.dimension as number;
  const res = typedArrayFor(out.dtype, out.size);
  const inner = sizeOf(out.shape.slice(dim + 1));
  const n = out.shape[dim];
  const store = out.dtype === 'float16' ? roundToFloat16 : out.dtype === 'bool' ? (v: number) => +(v !== 0) : (v: number) => v;
  for (let i = 0; i < out.size; i++) res[i] = store(Math.floor(i / inner) % n);
  return [res];
});
