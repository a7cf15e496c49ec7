// The programs of test/golden/autodiff/jaxprs.py, written with Tracelens' API: same names, same
// order. GRAD_PROGRAMS are printed as `makeJaxpr(grad(fn, opts))`; the others as `makeJaxpr(fn)`.

import { readFileSync } from 'node:fs';
import { numpy as np, lax, jit, jvp, vjp, valueAndGrad, linearize, customJvp, customVjp, Array as TArray } from '../../engine/index.js';
import type { GradOptions } from '../../engine/index.js';

type A = TArray;
type Fn = (...args: any[]) => unknown;

export interface AutodiffProgram { name: string; fn: Fn; grad?: GradOptions }
export interface GoldenAutodiffJaxprs {
  jax_version: string;
  programs: { name: string; args: { shape: number[]; dtype: 'float32' }[]; jaxpr: string }[];
}

export function loadGoldenAutodiffJaxprs(): GoldenAutodiffJaxprs {
  return JSON.parse(readFileSync(new URL('../golden/autodiff/jaxprs.json', import.meta.url), 'utf8'));
}

const f = customJvp(function f(x: A) { return np.sin(x); });
f.defjvp(function f_jvp([x]: A[], [tx]: A[]) { return [f(x), np.multiply(2.0, tx)]; });
const g = customVjp(function g(x: A, y: A) { return np.multiply(x, y); });
g.defvjp(function g_fwd(x: A, y: A) { return [g(x, y), [x, y]]; }, function g_bwd([x, y]: A[], ct: A) { return [ct.mul(y).mul(3.0), ct.mul(x)]; });
const jitMm = jit(function mm(a: A, b: A) { return np.matmul(a, b); });
const jitCs = jit(function cs(x: A) { return np.cumsum(x); });

const bdot = (a: A, b: A) => lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]]);

export const AUTODIFF_PROGRAMS: AutodiffProgram[] = [
  { name: 'grad_sum', fn: (x: A) => np.sum(x), grad: {} },
  { name: 'grad_sum_matrix', fn: (x: A) => np.sum(x), grad: {} },
  { name: 'grad_matmul_lhs', fn: (a: A, b: A) => np.sum(np.matmul(a, b)), grad: {} },
  { name: 'grad_matmul_rhs', fn: (a: A, b: A) => np.sum(np.matmul(a, b)), grad: { argnums: 1 } },
  { name: 'grad_matmul_both', fn: (a: A, b: A) => np.sum(np.matmul(a, b)), grad: { argnums: [0, 1] } },
  { name: 'grad_unused_input', fn: (x: A, _y: A) => np.sum(x), grad: {} },
  { name: 'grad_unused_input_argnums', fn: (x: A, _y: A) => np.sum(x), grad: { argnums: 1 } },
  { name: 'grad_transpose', fn: (x: A) => np.sum(x.T), grad: {} },
  { name: 'grad_reshape', fn: (x: A) => np.sum(np.reshape(x, [6])), grad: {} },
  { name: 'grad_broadcast_in_dim', fn: (x: A) => np.sum(lax.broadcastInDim(x, [2, 3], [1])), grad: {} },
  { name: 'grad_broadcast_unit_dim', fn: (x: A) => np.sum(lax.broadcastInDim(x, [2, 3], [0, 1])), grad: {} },
  { name: 'grad_rev', fn: (x: A) => np.sum(lax.rev(x, [0])), grad: {} },
  { name: 'grad_squeeze', fn: (x: A) => np.sum(lax.squeeze(x, [0])), grad: {} },
  { name: 'grad_cumsum', fn: (x: A) => np.sum(np.cumsum(x)), grad: {} },
  { name: 'grad_dot_vector', fn: (x: A, y: A) => np.dot(x, y), grad: {} },
  { name: 'grad_matvec', fn: (a: A, v: A) => np.sum(np.matmul(a, v)), grad: { argnums: 1 } },
  { name: 'grad_batched_dot_lhs', fn: (a: A, b: A) => np.sum(bdot(a, b)), grad: {} },
  { name: 'grad_batched_dot_rhs', fn: (a: A, b: A) => np.sum(bdot(a, b)), grad: { argnums: 1 } },
  { name: 'grad_contract_first_dims', fn: (a: A, b: A) => np.sum(lax.dotGeneral(a, b, [[[0], [0]], [[], []]])), grad: { argnums: [0, 1] } },
  { name: 'grad_stop_gradient', fn: (x: A) => np.sum(np.matmul(lax.stopGradient(x), x)), grad: {} },
  { name: 'grad_custom_jvp', fn: (x: A) => f(x), grad: {} },
  { name: 'grad_custom_vjp', fn: (x: A, y: A) => g(x, y), grad: {} },
  { name: 'grad_custom_vjp_both', fn: (x: A, y: A) => g(x, y), grad: { argnums: [0, 1] } },
  { name: 'grad_jit_matmul', fn: (a: A, b: A) => np.sum(jitMm(a, b)), grad: { argnums: [0, 1] } },
  { name: 'grad_jit_cumsum', fn: (x: A) => np.sum(jitCs(x)), grad: {} },
  { name: 'grad_max', fn: (x: A) => np.max(x), grad: {} },
  { name: 'grad_dynamic_slice', fn: (x: A) => np.sum(lax.dynamicSlice(x, [1], [2])), grad: {} },
  { name: 'grad_chain_matmuls', fn: (w1: A, w2: A, x: A) => np.sum(np.matmul(np.matmul(x, w1), w2)), grad: { argnums: [0, 1] } },
  { name: 'custom_jvp_call', fn: (x: A) => f(x) },
  { name: 'custom_vjp_call', fn: (x: A, y: A) => g(x, y) },
  { name: 'jvp_custom_jvp', fn: (x: A, t: A) => jvp(f, [x], [t]) },
  { name: 'jvp_transpose_sum', fn: (x: A, t: A) => jvp((x: A) => np.sum(x.T), [x], [t]) },
  { name: 'jvp_matmul', fn: (a: A, b: A, ta: A, tb: A) => jvp((a: A, b: A) => np.matmul(a, b), [a, b], [ta, tb]) },
  { name: 'jvp_broadcast_reshape', fn: (x: A, t: A) => jvp((x: A) => np.reshape(lax.broadcastInDim(x, [2, 3], [1]), [6]), [x], [t]) },
  { name: 'vjp_matmul', fn: (a: A, b: A, ct: A) => (vjp((a: A, b: A) => np.matmul(a, b), a, b)[1] as Fn)(ct) },
  { name: 'value_and_grad_matmul', fn: (a: A, b: A) => valueAndGrad((a: A, b: A) => np.sum(np.matmul(a, b)))(a, b) },
  { name: 'linearize_matmul', fn: (a: A, b: A, t: A) => (linearize((a: A) => np.matmul(a, b), a)[1] as Fn)(t) },
];
