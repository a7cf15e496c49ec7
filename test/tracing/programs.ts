// The programs of test/golden/jaxprs/generate.py, written with Tracelens' API: same names, same
// order. Each takes the decoded arguments of its golden entry. The jaxpr golden test compares
// `makeJaxpr(fn)(...args).toString()` with JAX's text; the jit test compares `jit(fn)` with `fn`.
//
// `primitivesOnly` marks a program whose jax.numpy function lowers through internals that cannot be
// matched text for text; the golden test then compares the sequence of primitives instead, and
// says why.

import { readFileSync } from 'node:fs';
import { numpy as np, lax, jit, Array as TArray } from '../../engine/index.js';
import type { DType } from '../../engine/index.js';

type A = TArray;
type Fn = (...args: any[]) => unknown;

export interface Program {
  name: string;
  fn: Fn;
  staticArgnums?: number[];
  /** Why only the primitive sequence is compared (JAX's text cannot be reproduced exactly). */
  primitivesOnly?: string;
}

// ---- arguments --------------------------------------------------------------------------------

export type EncodedArg = { shape: number[]; dtype: DType } | { scalar: number } | { static: unknown } | { dict: Record<string, EncodedArg> } | EncodedArg[];
export interface GoldenProgram { name: string; args: EncodedArg[]; static_argnums: number[]; jaxpr: string }
export interface GoldenJaxprs { jax_version: string; programs: GoldenProgram[] }

export function loadGoldenJaxprs(): GoldenJaxprs {
  return JSON.parse(readFileSync(new URL('../golden/jaxprs/jaxprs.json', import.meta.url), 'utf8')) as GoldenJaxprs;
}

/** The deterministic values of generate.py's `fill`. */
export function fill(shape: number[], dtype: DType): A {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => {
    if (dtype === 'bool') return i % 2 === 0;
    if (dtype === 'int32') return (i % 5) - 2;
    if (dtype === 'uint32') return i % 5;
    return ((i % 7) - 3) / 2 + 0.25;
  });
  return np.array(v, { dtype }).reshape(shape);
}

export function decodeArg(a: EncodedArg): unknown {
  if (Array.isArray(a)) return a.map(decodeArg);
  if ('shape' in a) return fill(a.shape, a.dtype);
  if ('scalar' in a) return a.scalar;
  if ('static' in a) return a.static;
  if ('dict' in a) return Object.fromEntries(Object.entries(a.dict).map(([k, v]) => [k, decodeArg(v)]));
  throw new Error(`unknown encoded argument ${JSON.stringify(a)}`);
}

// ---- the programs -----------------------------------------------------------------------------

const squarePlusOne = jit(function square_plus_one(x: A) { return x.mul(x).add(1.0); });
const bigConstant = np.arange(3.0, { dtype: 'float32' });
const addsConstant = jit(function adds_constant(x: A) { return x.mul(bigConstant).add(1.0); });
const captured = np.array([1.0, 2.0, 3.0], { dtype: 'float32' });
const manyCaptured = Array.from({ length: 12 }, (_, i) => np.full([2], i + 0.5));

export const PROGRAMS: Program[] = [
  // ---- elementwise, literals
  { name: 'sin_times_literal', fn: (x: A) => np.sin(x).mul(2.0) },
  { name: 'float_literal_formats', fn: (x: A) => x.mul(0.1).add(np.inf).sub(np.nan).mul(1e20).add(x.mul(1e-7)).add(x.mul(123456789.0)).sub(0.0) },
  { name: 'int_literals', fn: (x: A) => x.mul(2).add(1) },
  { name: 'bool_literals', fn: (x: A) => np.logicalAnd(x.gt(0), true) },
  { name: 'unary_chain', fn: (x: A) => np.tanh(np.log1p(np.exp(x))).add(np.sqrt(np.abs(x))) },
  { name: 'trig', fn: (x: A) => np.cos(x).add(np.tan(x)).sub(np.arctan(x).mul(np.sinh(x))) },
  { name: 'arccos_chebyshev', fn: (x: A) => np.cos(np.multiply(3.0, np.arccos(x))) },
  { name: 'where_select', fn: (x: A) => np.where(x.gt(0), x, 0.0) },
  { name: 'where_scalar_condition', fn: (x: A) => np.where(true, x, 1.0) },
  { name: 'where_arrays', fn: (x: A) => np.where(x.gt(0), x, x.neg()) },
  { name: 'clip', fn: (x: A) => np.clip(x, 0.0, 1.0) },
  { name: 'clip_min_only', fn: (x: A) => np.clip(x, { min: 0.5 }) },
  { name: 'round', fn: (x: A) => np.round(x).add(np.round(x, 2)) },
  { name: 'remainder', fn: (x: A) => np.mod(x, 3.0) },
  { name: 'maximum_minimum', fn: (x: A, y: A) => np.maximum(x, y).sub(np.minimum(x, 1.0)) },
  { name: 'mixed_dtype_promotion', fn: (i: A, x: A) => i.add(x) },
  { name: 'weak_scalar_argument', fn: (x: A, s: number) => x.mul(s).add(s) },
  { name: 'int_scalar_argument', fn: (x: A, n: number) => x.add(n) },
  { name: 'astype', fn: (x: A) => x.astype('int32').mul(2) },
  { name: 'comparisons', fn: (x: A, y: A) => [x.eq(y).or(x.ne(0.0)), x.lt(y), x.ge(1.0)] },
  { name: 'isnan_isfinite', fn: (x: A) => [np.isnan(x), np.isfinite(x)] },
  { name: 'sign_floor_ceil', fn: (x: A) => np.sign(x).add(np.floor(x)).sub(np.ceil(x)) },
  { name: 'logical_not', fn: (b: A) => np.logicalNot(b) },
  { name: 'integer_power', fn: (x: A) => x.pow(2).add(x.pow(3)) },
  { name: 'square_sqrt', fn: (x: A) => np.sqrt(np.square(x).add(1.0)) },
  { name: 'negative_subtract', fn: (x: A, y: A) => x.neg().sub(y) },
  { name: 'divide', fn: (x: A, y: A) => x.div(y).add(np.divide(1.0, x)) },

  // ---- broadcasting
  { name: 'broadcast_row', fn: (x: A, y: A) => x.add(y) },
  { name: 'broadcast_outer', fn: (x: A, y: A) => x.mul(y) },
  { name: 'broadcast_scalar_array', fn: (s: A, x: A) => s.add(x) },
  { name: 'broadcast_to', fn: (x: A) => np.broadcastTo(x, [2, 3]) },

  // ---- reductions
  { name: 'sum_all', fn: (x: A) => np.sum(x) },
  { name: 'sum_axis_keepdims', fn: (x: A) => np.sum(x, { axis: 1, keepdims: true }) },
  { name: 'mean', fn: (x: A) => np.mean(x, { axis: 0 }) },
  { name: 'max_min', fn: (x: A) => [np.max(x), np.min(x, { axis: 1 })] },
  { name: 'prod', fn: (x: A) => np.prod(x, { axis: 0 }) },
  { name: 'argmax_argmin', fn: (x: A) => [np.argmax(x, { axis: 1 }), np.argmin(x)] },
  { name: 'all_any', fn: (b: A) => [np.all(b), np.any(b, { axis: 0 })] },
  { name: 'var', fn: (x: A) => np.var(x) },
  { name: 'std_axis', fn: (x: A) => np.std(x, { axis: 1 }) },
  { name: 'cumsum', fn: (x: A) => np.cumsum(x, { axis: 1 }) },
  { name: 'cumprod_flattened', fn: (x: A) => np.cumprod(x) },
  { name: 'var_ddof', fn: (x: A) => np.var(x, { ddof: 1 }) },
  { name: 'sum_int', fn: (x: A) => np.sum(x) },
  { name: 'mean_of_squares', fn: (x: A) => np.mean(x.pow(2)) },

  // ---- dot / matmul
  { name: 'dot_vectors', fn: (x: A, y: A) => np.dot(x, y) },
  { name: 'matmul_2d', fn: (a: A, b: A) => a.matmul(b) },
  { name: 'matmul_batched', fn: (a: A, b: A) => np.matmul(a, b) },
  { name: 'matvec', fn: (a: A, v: A) => a.matmul(v) },
  { name: 'outer', fn: (x: A, y: A) => np.outer(x, y) },
  { name: 'einsum_matmul', fn: (a: A, b: A) => np.einsum('ij,jk->ik', a, b) },
  { name: 'linear_layer', fn: (w: A, b: A, x: A) => np.tanh(x.matmul(w).add(b)) },

  // ---- shape operations
  { name: 'reshape_chain', fn: (x: A) => x.reshape(3, 2).reshape(6).reshape(1, 6) },
  { name: 'transpose', fn: (x: A) => np.transpose(x, [2, 0, 1]) },
  { name: 'dot_T', fn: (x: A) => x.T },
  { name: 'expand_squeeze', fn: (x: A) => np.squeeze(np.expandDims(x, 0), { axis: 0 }) },
  { name: 'concatenate', fn: (x: A, y: A) => np.concatenate([x, y], { axis: 0 }) },
  { name: 'flip', fn: (x: A) => np.flip(x, { axis: 1 }) },
  { name: 'flip_all_axes', fn: (x: A) => np.flip(x) },
  { name: 'ravel', fn: (x: A) => np.ravel(x) },
  { name: 'swapaxes', fn: (x: A) => np.swapaxes(x, 0, 2) },
  { name: 'reshape_transpose_chain', fn: (x: A) => x.reshape(2, 2, 6).transpose(1, 0, 2).reshape(4, 6).sum({ axis: 0 }) },

  // ---- indexing and at[] updates
  { name: 'index_int', fn: (x: A) => x.index(0) },
  { name: 'index_slice', fn: (x: A) => x.index('1:3') },
  { name: 'index_reverse', fn: (x: A) => x.index('::-1') },
  { name: 'index_column', fn: (x: A) => x.index(':', 0) },
  { name: 'index_newaxis', fn: (x: A) => x.index(null) },
  { name: 'index_traced_int', fn: (x: A, i: A) => x.index(i) },
  { name: 'index_int_array', fn: (x: A, idx: A) => x.index(idx) },
  { name: 'at_set', fn: (x: A) => x.at(0).set(1.0) },
  { name: 'at_add_slice', fn: (x: A) => x.at('1:').add(2.0) },
  { name: 'at_mul_traced_index', fn: (x: A, i: A) => x.at(i).multiply(3.0) },
  { name: 'take', fn: (x: A, idx: A) => np.take(x, idx) },

  // ---- pytrees
  { name: 'pytree_dict_input', fn: (params: { w: A; b: A }, x: A) => x.matmul(params.w).add(params.b) },
  { name: 'pytree_tuple_output', fn: (x: A) => [x.add(1.0), x.mul(2.0)] },
  { name: 'pytree_dict_output', fn: (x: A) => ({ sin: np.sin(x), cos: np.cos(x) }) },
  { name: 'pytree_nested_list_input', fn: ([a, [b, c]]: [A, [A, A]]) => a.mul(b).add(c) },
  { name: 'pytree_output_passthrough', fn: (x: A, y: A) => [y, x, x.add(y)] },

  // ---- static arguments
  {
    name: 'static_int_power', staticArgnums: [1],
    fn: (x: A, n: number) => { for (let i = 0; i < n; i++) x = x.mul(2.0); return x; },
  },
  { name: 'static_string_branch', staticArgnums: [1], fn: (x: A, act: string) => (act === 'tanh' ? np.tanh(x) : np.sin(x)) },
  { name: 'static_shape_reshape', staticArgnums: [1], fn: (x: A, shape: number[]) => x.reshape(shape) },

  // ---- nested jit
  { name: 'nested_jit', fn: (x: A) => np.sin(squarePlusOne(x)) },
  { name: 'nested_jit_called_twice', fn: (x: A) => squarePlusOne(x).add(squarePlusOne(x)) },
  { name: 'nested_jit_lambda', fn: (x: A) => jit((y: A) => y.add(1.0))(x) },
  {
    name: 'nested_jit_closure_over_tracer',
    fn: (x: A, y: A) => {
      const inner = jit(function inner(z: A) { return z.mul(y); });
      return inner(x).add(inner(x.mul(2.0)));
    },
  },
  { name: 'nested_jit_closure_over_constant', fn: (x: A) => addsConstant(x) },
  {
    name: 'nested_jit_unused_result',
    fn: (x: A) => {
      function g(y: A) { const a = np.sin(y); np.cos(y); return a; }
      return jit(g)(x).mul(2.0);
    },
  },
  { name: 'nested_jit_passthrough_outputs', fn: (x: A) => jit((y: A) => [y, y.mul(2.0), 3.5])(x) },
  { name: 'nested_jit_same_arg_twice', fn: (x: A) => jit((y: A, z: A) => [y, z.mul(2.0)])(x, x) },
  { name: 'nested_jit_scalar_argument', fn: (x: A) => jit((a: A, s: number) => a.mul(s))(x, 2.5) },
  {
    name: 'nested_jit_twice_nested',
    fn: (x: A) => {
      const inner = jit(function inner(y: A) { return np.exp(y); });
      const middle = jit(function middle(y: A) { return inner(y).add(inner(y.mul(2.0))); });
      return middle(x);
    },
  },
  { name: 'nested_jit_pytree', fn: (p: { a: A; b: A }) => jit((q: { a: A; b: A }) => ({ s: q.a.add(q.b) }))(p).s },

  // ---- constants
  { name: 'captured_constant', fn: (x: A) => x.add(captured) },
  { name: 'iota_arange', fn: (x: A) => x.add(np.arange(4.0, { dtype: 'float32' })) },
  { name: 'zeros_ones_like', fn: (x: A) => np.zerosLike(x).add(np.ones([2, 2])) },
  { name: 'literal_output', fn: (_x: A) => 1.5 },
  { name: 'unused_results', fn: (x: A) => { np.cos(x); return np.sin(x); } },
  { name: 'identity', fn: (x: A) => x },

  // ---- layout: long lines
  { name: 'many_outputs', fn: (x: A) => Array.from({ length: 30 }, (_, i) => x.add(i + 0.5)) },
  { name: 'many_inputs', fn: (...xs: A[]) => xs.reduce((a, b) => a.add(b)) },
  { name: 'many_constants', fn: (x: A) => manyCaptured.map((c) => x.mul(c)).reduce((a, b) => a.add(b)) },
  { name: 'unused_multiple_results', fn: (x: A, y: A) => lax.sort([x, y], { numKeys: 1 })[0] },
  { name: 'negative_int_literal', fn: (i: A) => i.mul(-3).sub(2147483647) },
  { name: 'long_params', fn: (a: A, b: A) => lax.dotGeneral(a, b, [[[1], [1]], [[], []]], { preferredElementType: 'float32' }) },

  // ---- sorting
  { name: 'sort', fn: (x: A) => np.sort(x) },
  { name: 'sort_descending', fn: (x: A) => np.sort(x, { axis: 0, descending: true }) },
  { name: 'argsort', fn: (x: A) => np.argsort(x) },

  // ---- control flow (cond, while_loop, fori_loop, scan)
  // Programs using lax.cond / lax.whileLoop / lax.fori / lax.scan go here, in the order of the
  // same section of test/golden/jaxprs/generate.py.
];
