// Index arithmetic shared by the cpu kernels: element offsets of strided walks and of sub-spaces of
// a row-major array, and the rounding every store into a float16 array needs.

import { type DType, roundToFloat16 } from '../../../core/dtype.js';
import { stridesOf } from '../../../core/shape.js';

/**
 * The offsets `offset + Σ i[d]·strides[d]` (in elements) of every coordinate i of `sizes`, in
 * row-major order: a strided walk, where a stride may be 0 (broadcast) or negative (reversal).
 */
export function stridedOffsets(sizes: readonly number[], strides: readonly number[], offset = 0): Int32Array {
  const n = sizes.reduce((a, b) => a * b, 1);
  const out = new Int32Array(n);
  const idx = new Array<number>(sizes.length).fill(0);
  let off = offset;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let k = sizes.length - 1; k >= 0; k--) {
      idx[k]++;
      off += strides[k];
      if (idx[k] < sizes[k]) break;
      off -= strides[k] * idx[k];
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * The offsets (in elements) of every coordinate of `dims` of an array of `shape`, in row-major order
 * over those dims: `offsetsOf([2,3,4], [0,2])` lists the offsets of (i, 0, k) for i < 2, k < 4.
 */
export function offsetsOf(shape: readonly number[], dims: readonly number[]): Int32Array {
  const strides = stridesOf(shape);
  return stridedOffsets(dims.map((d) => shape[d]), dims.map((d) => strides[d]));
}

/**
 * Splits an array of `shape` into lines along `axis`: `outer * inner` lines of `n` elements, line l
 * starting at `lineStart(l)` with elements `stride` apart.
 */
export function linesAlong(shape: readonly number[], axis: number) {
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  return { n, inner, outer, count: outer * inner, stride: inner, lineStart: (l: number) => Math.floor(l / inner) * n * inner + (l % inner) };
}

/** The function that makes a double storable as `dtype` (float16 rounds; typed arrays do the rest). */
export function rounderFor(dtype: DType): (x: number) => number {
  return dtype === 'float16' ? roundToFloat16 : (x) => x;
}

