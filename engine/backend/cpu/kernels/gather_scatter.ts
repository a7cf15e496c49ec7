// gather and the scatter family on the cpu backend, walking the windowed array (gather's output,
// scatter's updates) with the linear index arithmetic of `WindowIndexing` (see
// lax/primitives/gather_scatter.ts for the dimension numbers and modes).

import type { ShapedArray } from '../../../core/aval.js';
import { type DType, type TypedArray, typedArrayFor } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import {
  type GatherParams, type ScatterParams, type WindowIndexing, defaultFillValue, gatherIndexing, scatterIndexing,
} from '../../../lax/primitives/gather_scatter.js';
import { registerCpuKernel } from '../kernels.js';
import { monoidFor } from './reduce.js';
import { rounderFor } from './strided.js';

/**
 * Calls `visit(e, operandOffset)` for each element e of the windowed array, in row-major order,
 * with the operand offset it addresses — or -1 when its window is out of bounds and `clamp` is
 * false (a 'fill' gather reads the fill value there; a dropping scatter skips it).
 */
function walkWindows(ix: WindowIndexing, indices: TypedArray, clamp: boolean, visit: (e: number, operandOffset: number) => void): void {
  const { shape, operandStrides, indicesStrides, startStrides, startMax } = ix;
  const rank = shape.length, nStart = startStrides.length;
  const n = shape.reduce((a, b) => a * b, 1);
  const coord = new Array<number>(rank).fill(0);
  let opOff = 0, idxOff = 0;
  for (let e = 0; e < n; e++) {
    let off = opOff, inBounds = true;
    for (let k = 0; k < nStart; k++) {
      let s = indices[idxOff + k];
      const max = startMax[k];
      if (s < 0 || s > max) {
        if (clamp) s = s < 0 ? 0 : max;
        else { inBounds = false; break; }
      }
      off += s * startStrides[k];
    }
    visit(e, inBounds ? off : -1);
    for (let d = rank - 1; d >= 0; d--) {
      coord[d]++;
      opOff += operandStrides[d];
      idxOff += indicesStrides[d];
      if (coord[d] < shape[d]) break;
      opOff -= operandStrides[d] * coord[d];
      idxOff -= indicesStrides[d] * coord[d];
      coord[d] = 0;
    }
  }
}

registerCpuKernel('gather', ([operand, indices], params: Params, [out]: ShapedArray[]): TypedArray[] => {
  const p = params as GatherParams;
  const ix = gatherIndexing(operand.aval, indices.aval, out, p);
  const res = typedArrayFor(out.dtype, out.size);
  const fill = rounderFor(out.dtype)(p.fill_value === null || p.fill_value === undefined ? defaultFillValue(out.dtype) : Number(p.fill_value));
  // promise_in_bounds gathers clamp, as XLA's do.
  const src = operand.data;
  walkWindows(ix, indices.data, p.mode !== 'fill', (e, off) => { res[e] = off < 0 ? fill : src[off]; });
  return [res];
});

/** How a scatter combines the current operand value with an update, for one dtype. */
function combinerFor(prim: string, dtype: DType): (old: number, update: number) => number {
  const round = rounderFor(dtype);
  switch (prim) {
    case 'scatter': return (_old, u) => u;
    case 'scatter-add': { const add = monoidFor('sum', dtype).combine; return (a, u) => round(add(a, u)); }
    case 'scatter-mul': { const mul = monoidFor('prod', dtype).combine; return (a, u) => round(mul(a, u)); }
    case 'scatter-min': return monoidFor('min', dtype).combine;
    case 'scatter-max': return monoidFor('max', dtype).combine;
    default: throw new Error(`no cpu combiner for ${prim}`);
  }
}

for (const prim of ['scatter', 'scatter-add', 'scatter-mul', 'scatter-min', 'scatter-max']) {
  registerCpuKernel(prim, ([operand, indices, updates], params: Params, [out]: ShapedArray[]): TypedArray[] => {
    const p = params as ScatterParams;
    const ix = scatterIndexing(operand.aval, indices.aval, updates.aval, p);
    const res = operand.data.slice() as TypedArray;
    const combine = combinerFor(prim, out.dtype);
    const upd = updates.data;
    // Only 'clip' clamps; 'fill' (FILL_OR_DROP) and promise_in_bounds drop out-of-bounds windows, as XLA does.
    walkWindows(ix, indices.data, p.mode === 'clip', (e, off) => { if (off >= 0) res[off] = combine(res[off], upd[e]); });
    return [res];
  });
}
