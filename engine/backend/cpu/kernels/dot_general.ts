// dot_general on the cpu backend. Both operands are first copied into canonical layouts —
// lhs as [batch, M, K] and rhs as [batch, K, N], where M and N are the products of the free dims
// and K of the contracting dims — then a batched matmul runs over them. The result dims are
// (batch…, lhs free…, rhs free…), which is exactly [batch, M, N] in row-major order.
// Floats accumulate in double precision; integer products and sums wrap around at 32 bits.

import type { ShapedArray } from '../../../core/aval.js';
import { type TypedArray, isFloat, typedArrayFor } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { type DotDimensionNumbers, type MatrixDims, batchedMatmulView } from '../../../lax/primitives/dot_general.js';
import { registerCpuKernel } from '../kernels.js';
import { offsetsOf, rounderFor } from './strided.js';

/** Copies an operand as a stack of matrices (see MatrixDims), as doubles or as int32 words. */
function canonicalCopy(data: TypedArray, shape: readonly number[], { batch, rows, cols }: MatrixDims, asFloat: boolean): Float64Array | Int32Array {
  const offsets = offsetsOf(shape, [...batch, ...rows, ...cols]);
  const out = asFloat ? new Float64Array(offsets.length) : new Int32Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = data[offsets[i]];
  return out;
}

registerCpuKernel('dot_general', ([lhs, rhs], params: Params, [out]: ShapedArray[]): TypedArray[] => {
  const { B, M, K, N, ...dims } = batchedMatmulView(lhs.aval.shape, rhs.aval.shape, params.dimension_numbers as DotDimensionNumbers);
  const float = isFloat(lhs.aval.dtype) || isFloat(out.dtype);
  const a = canonicalCopy(lhs.data, lhs.aval.shape, dims.lhs, float);
  const b = canonicalCopy(rhs.data, rhs.aval.shape, dims.rhs, float);
  const res = typedArrayFor(out.dtype, out.size);
  const round = rounderFor(out.dtype);
  // One result row at a time. An Int32Array row wraps each exact sum `row[j] + imul(…)` to 32 bits.
  const row = float ? new Float64Array(N) : new Int32Array(N);
  for (let bi = 0; bi < B; bi++) {
    for (let i = 0; i < M; i++) {
      row.fill(0);
      const aRow = (bi * M + i) * K;
      for (let k = 0; k < K; k++) {
        const av = a[aRow + k];
        const bRow = (bi * K + k) * N;
        if (float) for (let j = 0; j < N; j++) row[j] += av * b[bRow + j];
        else for (let j = 0; j < N; j++) row[j] += Math.imul(av, b[bRow + j]);
      }
      const o = (bi * M + i) * N;
      for (let j = 0; j < N; j++) res[o + j] = round(row[j]); // a Uint32Array store reinterprets int32 bits
    }
  }
  return [res];
});
