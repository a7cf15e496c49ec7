// sort on the cpu backend: each line along `dimension` is ordered by a permutation that compares
// the first `num_keys` operands lexicographically, then by original position (so the sort is
// stable), and every operand is permuted by it. NaN sorts after +inf; -0.0 and 0.0 are equal.

import type { ShapedArray } from '../../../core/aval.js';
import { type TypedArray, typedArrayFor } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { registerCpuKernel } from '../kernels.js';
import { linesAlong } from './strided.js';

/** Total order on numbers with NaN last and -0.0 == 0.0: negative, zero or positive as a < b, a == b, a > b. */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a, bn = b !== b; // at least one is NaN
  return an === bn ? 0 : an ? 1 : -1;
}

registerCpuKernel('sort', (inputs, params: Params, outAvals: ShapedArray[]): TypedArray[] => {
  const dimension = params.dimension as number, numKeys = params.num_keys as number;
  const outs = outAvals.map((a) => typedArrayFor(a.dtype, a.size));
  if (outs[0].length === 0) return outs;
  const lines = linesAlong(inputs[0].aval.shape, dimension);
  const { n, stride } = lines;
  const keys = inputs.slice(0, numKeys).map((x) => x.data);
  const perm = new Array<number>(n);
  const keyBuf = keys.map(() => new Float64Array(n));
  for (let l = 0; l < lines.count; l++) {
    const start = lines.lineStart(l);
    for (let i = 0; i < n; i++) {
      perm[i] = i;
      for (let k = 0; k < numKeys; k++) keyBuf[k][i] = keys[k][start + i * stride];
    }
    perm.sort((i, j) => {
      for (let k = 0; k < numKeys; k++) {
        const c = compareNumbers(keyBuf[k][i], keyBuf[k][j]);
        if (c !== 0) return c;
      }
      return i - j;
    });
    for (let o = 0; o < inputs.length; o++) {
      const src = inputs[o].data, dst = outs[o];
      for (let i = 0; i < n; i++) dst[start + i * stride] = src[start + perm[i] * stride];
    }
  }
  return outs;
});
