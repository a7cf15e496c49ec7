// Reductions on the cpu backend: reduce_{sum,prod,max,min,and,or} over any set of axes, and
// argmax/argmin over one axis. Floats accumulate in double precision and round once on store;
// integers wrap around as 32-bit machine integers do. max/min propagate NaN and order -0.0 below
// 0.0, as XLA does; argmax/argmin return the first extreme index, a NaN counting as the extreme.

import { type DType, isFloat, typedArrayFor } from '../../../core/dtype.js';
import type { CpuKernel } from '../cpu_backend.js';
import { registerCpuKernel } from '../kernels.js';
import { offsetsOf, rounderFor } from './strided.js';

/** A binary combiner with its identity, specialized to one dtype. */
interface Monoid { identity: number; combine(acc: number, x: number): number }

const INT32_MIN = -2147483648, INT32_MAX = 2147483647, UINT32_MAX = 4294967295;

/** max with NaN propagation and -0.0 < 0.0. */
function maxOf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (b > a || (b === 0 && a === 0 && 1 / a < 0)) return b;
  return a;
}
function minOf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (b < a || (b === 0 && a === 0 && 1 / b < 0)) return b;
  return a;
}

export function monoidFor(op: 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or', dtype: DType): Monoid {
  const float = isFloat(dtype);
  switch (op) {
    case 'sum':
      if (float) return { identity: 0, combine: (a, x) => a + x };
      if (dtype === 'uint32') return { identity: 0, combine: (a, x) => (a + x) >>> 0 };
      return { identity: 0, combine: (a, x) => (a + x) | 0 };
    case 'prod':
      if (float) return { identity: 1, combine: (a, x) => a * x };
      if (dtype === 'uint32') return { identity: 1, combine: (a, x) => Math.imul(a, x) >>> 0 };
      return { identity: 1, combine: (a, x) => Math.imul(a, x) };
    case 'max': {
      const identity = float ? -Infinity : dtype === 'int32' ? INT32_MIN : 0;
      return { identity, combine: float ? maxOf : (a, x) => (x > a ? x : a) };
    }
    case 'min': {
      const identity = float ? Infinity : dtype === 'int32' ? INT32_MAX : dtype === 'uint32' ? UINT32_MAX : 1;
      return { identity, combine: float ? minOf : (a, x) => (x < a ? x : a) };
    }
    case 'and': {
      if (dtype === 'bool') return { identity: 1, combine: (a, x) => a & x };
      if (dtype === 'uint32') return { identity: UINT32_MAX, combine: (a, x) => (a & x) >>> 0 };
      return { identity: -1, combine: (a, x) => a & x };
    }
    case 'or':
      if (dtype === 'uint32') return { identity: 0, combine: (a, x) => (a | x) >>> 0 };
      return { identity: 0, combine: (a, x) => a | x };
  }
}

/** The offsets of each output element (over the kept axes) and of each reduced element. */
function reductionOffsets(shape: readonly number[], axes: readonly number[]) {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const reduced = [...axes].sort((a, b) => a - b);
  return { outOffsets: offsetsOf(shape, kept), reducedOffsets: offsetsOf(shape, reduced) };
}

function reducer(op: 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or'): CpuKernel {
  return ([x], params, [out]) => {
    const { outOffsets, reducedOffsets } = reductionOffsets(x.aval.shape, params.axes as number[]);
    const { identity, combine } = monoidFor(op, x.aval.dtype);
    const round = rounderFor(out.dtype);
    const res = typedArrayFor(out.dtype, out.size);
    const src = x.data, n = reducedOffsets.length;
    for (let o = 0; o < res.length; o++) {
      const base = outOffsets[o];
      let acc = identity;
      for (let r = 0; r < n; r++) acc = combine(acc, src[base + reducedOffsets[r]]);
      res[o] = round(acc);
    }
    return [res];
  };
}

registerCpuKernel('reduce_sum', reducer('sum'));
registerCpuKernel('reduce_prod', reducer('prod'));
registerCpuKernel('reduce_max', reducer('max'));
registerCpuKernel('reduce_min', reducer('min'));
registerCpuKernel('reduce_and', reducer('and'));
registerCpuKernel('reduce_or', reducer('or'));

/** True when `x` (at index i) should replace the current best (at a smaller index) in an argmax/argmin. */
function argBetter(kind: 'max' | 'min') {
  // Scanning in index order, a later element wins only when strictly better: ties keep the first.
  // NaN is better than any number, and the first NaN is final.
  return kind === 'max'
    ? (best: number, x: number) => best === best && (x !== x || x > best)
    : (best: number, x: number) => best === best && (x !== x || x < best);
}

function argReducer(kind: 'max' | 'min'): CpuKernel {
  const better = argBetter(kind);
  return ([x], params, [out]) => {
    const { outOffsets, reducedOffsets } = reductionOffsets(x.aval.shape, params.axes as number[]);
    const res = typedArrayFor(out.dtype, out.size);
    const src = x.data, n = reducedOffsets.length;
    for (let o = 0; o < res.length; o++) {
      const base = outOffsets[o];
      let best = src[base + reducedOffsets[0]], bestIndex = 0;
      for (let r = 1; r < n; r++) {
        const v = src[base + reducedOffsets[r]];
        if (better(best, v)) { best = v; bestIndex = r; }
      }
      res[o] = bestIndex;
    }
    return [res];
  };
}

registerCpuKernel('argmax', argReducer('max'));
registerCpuKernel('argmin', argReducer('min'));
