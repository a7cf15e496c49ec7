// Cumulative reductions on the cpu backend: cumsum, cumprod, cummax, cummin[axis, reverse].
// Each line along `axis` is scanned in order (from the end when `reverse`), with the same
// combiners as the reductions: double-precision floats, wrapping 32-bit integers, NaN-propagating
// max/min.

import { typedArrayFor } from '../../../core/dtype.js';
import type { CpuKernel } from '../cpu_backend.js';
import { registerCpuKernel } from '../kernels.js';
import { monoidFor } from './reduce.js';
import { linesAlong, rounderFor } from './strided.js';

function scanner(op: 'sum' | 'prod' | 'max' | 'min'): CpuKernel {
  return ([x], params, [out]) => {
    const axis = params.axis as number, reverse = !!params.reverse;
    const { identity, combine } = monoidFor(op, x.aval.dtype);
    const round = rounderFor(out.dtype);
    const res = typedArrayFor(out.dtype, out.size);
    if (res.length === 0) return [res];
    const lines = linesAlong(x.aval.shape, axis);
    const step = reverse ? -lines.stride : lines.stride;
    for (let l = 0; l < lines.count; l++) {
      let off = lines.lineStart(l) + (reverse ? (lines.n - 1) * lines.stride : 0);
      let acc = identity;
      for (let k = 0; k < lines.n; k++, off += step) {
        acc = combine(acc, x.data[off]);
        res[off] = round(acc);
      }
    }
    return [res];
  };
}

registerCpuKernel('cumsum', scanner('sum'));
registerCpuKernel('cumprod', scanner('prod'));
registerCpuKernel('cummax', scanner('max'));
registerCpuKernel('cummin', scanner('min'));
