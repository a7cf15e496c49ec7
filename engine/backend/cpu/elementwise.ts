// The cpu loop for every pointwise primitive: broadcasts size-1 dimensions and rank-0 operands,
// applies the primitive's JS formula in double precision, and rounds on store.

import type { ShapedArray } from '../../core/aval.js';
import { type TypedArray, typedArrayFor, roundToFloat16 } from '../../core/dtype.js';
import type { Primitive, Params } from '../../core/primitive.js';
import { stridesOf } from '../../core/shape.js';
import type { CpuOperand } from './cpu_backend.js';

export function runElementwise(prim: Primitive, ins: CpuOperand[], params: Params, out: ShapedArray): TypedArray {
  const f = prim.elementwise!.cpu({ inDtypes: ins.map((i) => i.aval.dtype), outDtype: out.dtype, params });
  const n = out.size;
  const res = typedArrayFor(out.dtype, n);
  const store = out.dtype === 'float16' ? (i: number, v: number) => { res[i] = roundToFloat16(v); } : (i: number, v: number) => { res[i] = v; };
  const k = ins.length;
  // Fast path: every operand is full-size or a single value (a scalar literal, a size-1 array), so
  // each is read at i or at 0 — no index arithmetic. This is nearly every eager op.
  if (ins.every((o) => o.aval.size === n || o.aval.size === 1)) {
    const ds = ins.map((o) => o.data);
    const full = ins.map((o) => o.aval.size === n && n !== 1);
    if (res instanceof Float32Array || res instanceof Float64Array || res instanceof Int32Array || res instanceof Uint32Array) {
      if (out.dtype !== 'float16') {
        if (k === 1) { const a = ds[0]; for (let i = 0; i < n; i++) res[i] = f(a[i]); return res; }
        if (k === 2) {
          const a = ds[0], b = ds[1];
          if (full[0] && full[1]) for (let i = 0; i < n; i++) res[i] = f(a[i], b[i]);
          else if (full[0]) { const bv = b[0]; for (let i = 0; i < n; i++) res[i] = f(a[i], bv); }
          else if (full[1]) { const av = a[0]; for (let i = 0; i < n; i++) res[i] = f(av, b[i]); }
          else res[0] = f(a[0], b[0]);
          return res;
        }
      }
    }
    const args = new Array<number>(k);
    for (let i = 0; i < n; i++) { for (let j = 0; j < k; j++) args[j] = ds[j][full[j] ? i : 0]; store(i, f(...args)); }
    return res;
  }
  // Broadcasting: per-operand strides with 0 where the operand has size 1 (or is rank 0).
  const rank = out.shape.length;
  const opStrides = ins.map((i) => {
    if (i.aval.ndim === 0) return new Array<number>(rank).fill(0);
    const s = stridesOf(i.aval.shape);
    return i.aval.shape.map((d, ax) => (d === 1 ? 0 : s[ax]));
  });
  const idx = new Array<number>(rank).fill(0);
  const offs = new Array<number>(k).fill(0);
  const args = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) args[j] = ins[j].data[offs[j]];
    store(i, f(...args));
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      for (let j = 0; j < k; j++) offs[j] += opStrides[j][ax];
      if (idx[ax] < out.shape[ax]) break;
      for (let j = 0; j < k; j++) offs[j] -= opStrides[j][ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return res;
}
