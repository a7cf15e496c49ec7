// The programs of test/golden/autodiff/jaxprs_rule_values.py, written with Tracelens' API: same
// names. Each exercises the JVP and transpose rules of one family of primitives (or jit).

import { readFileSync } from 'node:fs';
import { numpy as np, lax, jit, Array as TArray } from '../../engine/index.js';

type A = TArray;
type Fn = (...args: any[]) => any;

export interface RuleCase {
  name: string; shapes: number[][]; args: unknown[]; out: unknown; out_shape: number[];
  cotangent: unknown; cts: unknown[]; tangents: unknown[]; jvp: unknown;
}
export interface JacobianCase { name: string; arg: unknown; shape: number[]; jacfwd?: unknown; jacrev?: unknown; hessian?: unknown }
export interface GoldenRuleValues { jax_version: string; cases: RuleCase[]; jacobians: JacobianCase[] }

export function loadGoldenRuleValues(): GoldenRuleValues {
  return JSON.parse(readFileSync(new URL('../golden/autodiff/jaxprs_rule_values.json', import.meta.url), 'utf8'));
}

const i32 = (xs: number[]) => np.array(xs, { dtype: 'int32' });
const bdot = (a: A, b: A) => lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]]);
const jittedChain = jit(function jitted_chain(a: A, b: A) { return np.sin(np.matmul(a, b)).mul(2.0); });

export const RULE_PROGRAMS: Record<string, Fn> = {
  gather_1d: (x: A) => x.index(i32([2, 0, 2])),
  gather_columns: (x: A) => x.index(':', i32([1, 0])),
  scatter_add: (x: A, u: A) => x.at(i32([0, 2, 0])).add(u),
  scatter_set: (x: A, u: A) => x.at(i32([1, 3])).set(u),
  scatter_mul_unique: (x: A, u: A) => x.at(i32([1, 3])).multiply(u, { uniqueIndices: true }).mul(x),
  scatter_max_ties: (x: A, u: A) => x.at(i32([1, 3, 1])).max(u),
  scatter_min: (x: A, u: A) => x.at(i32([0, 2])).min(u),
  sort_1d: (x: A) => np.sort(x),
  sort_axis0: (x: A) => np.sort(x, { axis: 0 }),
  cumprod: (x: A) => np.cumprod(x),
  cummax: (x: A) => lax.cummax(x, { axis: 0 }),
  cummin_reverse: (x: A) => lax.cummin(x, { axis: 0, reverse: true }),
  cumsum_reverse_2d: (x: A) => lax.cumsum(x, { axis: 1, reverse: true }),
  prod_axis1: (x: A) => np.prod(x, { axis: 1 }),
  prod_all_odd: (x: A) => np.prod(x),
  max_axis0: (x: A) => np.max(x, { axis: 0 }),
  min_all: (x: A) => np.min(x),
  dynamic_slice: (x: A) => lax.dynamicSlice(x, [i32([1]).index(0), i32([0]).index(0)], [2, 2]),
  dynamic_update_slice: (x: A, u: A) => lax.dynamicUpdateSlice(x, u, [i32([1]).index(0)]),
  pad_interior_negative: (x: A, v: A) => lax.pad(x, v, [[1, -1, 1]]),
  concatenate: (x: A, y: A) => np.concatenate([x, y]),
  slice_strided: (x: A) => x.index('1::2'),
  transpose_reshape_broadcast: (x: A) => np.reshape(lax.broadcastInDim(x.T, [2, 3, 2], [1, 2]), [3, 4]),
  batched_dot: (a: A, b: A) => bdot(a, b),
  expand_squeeze_rev: (x: A) => lax.rev(np.squeeze(np.expandDims(x, 0), 0), [1]),
  argmax_pick: (x: A) => x.index(np.argmax(x)).mul(x),
  jit_chain: (a: A, b: A) => jittedChain(a, b),
};

export const JACOBIAN_PROGRAMS: Record<string, Fn> = {
  jac_cumprod: (x: A) => np.cumprod(x),
  jac_sort_matmul: (x: A) => np.matmul(np.sort(x), np.reshape(x, [3, 1])),
  hess_prod: (x: A) => np.prod(x),
  hess_quadratic_form: (x: A) => np.matmul(x, np.matmul(np.reshape(np.arange(9, { dtype: 'float32' }), [3, 3]), x)),
};
