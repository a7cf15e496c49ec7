// makeJaxpr(vmap(f)) prints the jaxpr JAX 0.10 prints for the same program, and vmap's errors carry
// JAX's messages (test/golden/vmap/vmap.json, written by test/golden/vmap/generate.py).
//
// One difference is normalized away: where a batching rule computes a dimension with NumPy, JAX's
// text shows the NumPy integer (`axes=(np.int64(1),)`); Tracelens prints the same number plainly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { numpy as np, lax, jit, makeJaxpr, vmap, Array as TArray } from '../../engine/index.js';
import { decodeArg, type EncodedArg } from '../tracing/programs.js';

type A = TArray;
interface GoldenVmap {
  jax_version: string;
  programs: { name: string; args: EncodedArg[]; jaxpr: string }[];
  errors: { name: string; args: EncodedArg[]; type: string; message: string }[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/vmap/vmap.json', import.meta.url), 'utf8')) as GoldenVmap;

const PROGRAMS: Record<string, (...args: any[]) => unknown> = {
  elementwise_same_axes: (x: A, y: A) => vmap((a: A, b: A) => np.sin(a).mul(b).add(2.0))(x, y),
  sum_over_rows: (x: A) => vmap((a: A) => np.sum(a))(x),
  matvec_unmapped_matrix: (m: A, v: A) => vmap((a: A, b: A) => np.matmul(a, b), { inAxes: [null, 0] })(m, v),
  batched_matmul: (x: A, y: A) => vmap(np.matmul)(x, y),
  cond_mapped_predicate: (p: A, x: A) => vmap((q: A, a: A) => lax.cond(q.gt(0), (b: A) => np.sin(b), (b: A) => b.mul(2.0), a))(p, x),
  cond_unmapped_predicate: (p: A, x: A) => vmap((q: A, a: A) => lax.cond(q.gt(0), (b: A) => np.sin(b), (b: A) => b.mul(2.0), a), { inAxes: [null, 0] })(p, x),
  scan_mapped_xs: (x: A) => vmap((a: A) => lax.scan((c: A, v: A) => [c.add(v), c.mul(v)] as const, np.array(0, { dtype: 'float32' }), a))(x),
  in_axes_1: (x: A) => vmap((a: A) => np.exp(a).sub(1.0), { inAxes: 1 })(x),
  out_axes_1: (x: A) => vmap((a: A) => np.cos(a), { outAxes: 1 })(x),
  unmapped_output_broadcast: (x: A, y: A) => vmap((a: A, b: A) => [a.mul(2.0), b.add(1.0)], { inAxes: [0, null] })(x, y),
  nested_vmap: (x: A) => vmap(vmap((a: A) => np.sum(a.mul(a))))(x),
  vmap_of_jit: (x: A) => vmap(jit((a: A) => np.tanh(a).mul(2.0)))(x),
  max_reduction_axis: (x: A) => vmap((a: A) => np.max(a, { axis: 1 }))(x),
  dynamic_slice_mapped_index: (x: A, i: A) => vmap((a: A, j: A) => lax.dynamicSlice(a, [j], [2]))(x, i),
  index_with_mapped_integer: (x: A, i: A) => vmap((a: A, j: A) => a.index(j))(x, i),
  at_add_mapped: (x: A, i: A) => vmap((a: A, j: A) => a.at(j).add(1.0))(x, i),
  concatenate_unmapped_operand: (x: A, y: A) => vmap((a: A, b: A) => np.concatenate([a, b]), { inAxes: [0, null] })(x, y),
  argmax_rows: (x: A) => vmap((a: A) => np.argmax(a))(x),
  reshape_and_transpose: (x: A) => vmap((a: A) => a.reshape([4, 2]).T)(x),
  jit_of_vmap: (x: A, w: A) => jit(vmap((a: A, b: A) => np.dot(a, b), { inAxes: [0, null] }))(x, w),
  while_mapped_predicate: (n: A) => vmap((m: A) => lax.whileLoop((c: [A, A]) => c[0].lt(m), (c: [A, A]) => [c[0].add(1), c[1].mul(2.0)] as [A, A],
    [np.array(0, { dtype: 'int32' }), np.array(1.0, { dtype: 'float32' })] as [A, A]))(n),
  while_unmapped_predicate: (x: A) => vmap((a: A) => lax.whileLoop((c: [A, A]) => c[0].lt(3), (c: [A, A]) => [c[0].add(1), c[1].mul(1.5)] as [A, A],
    [np.array(0, { dtype: 'int32' }), a] as [A, A]))(x),
};

function add(x: A, y: A) { return x.add(y); }
const ERRORS: Record<string, (...args: any[]) => unknown> = {
  inconsistent_sizes_two: (x: A, y: A) => vmap(add)(x, y),
  // (The outer parameters are not named x, y, z: esbuild would rename the inner ones, which vmap names in errors.)
  inconsistent_sizes_most: (p: A, q: A, r: A) => vmap((x: A, y: A, z: A) => x)(p, q, r),
  in_axes_out_of_range: (x: A, y: A) => vmap(add, { inAxes: [0, 2] })(x, y),
  in_axes_negative_out_of_range: (x: A, y: A) => vmap(add, { inAxes: [0, -3] })(x, y),
  in_axes_wrong_length: (x: A, y: A) => vmap(add, { inAxes: [0, 0, 0] })(x, y),
  in_axes_not_a_prefix: (x: A, y: A) => vmap(add, { inAxes: [0, { a: 0 }] })(x, y),
  in_axes_dict_keys: (x: A, y: A) => vmap(add, { inAxes: [0, { a: 0 }] })(x, y),
  no_mapped_axis: (x: A) => vmap((x: A) => x, { inAxes: null })(x),
  axis_size_disagrees: (p: A) => vmap((x: A, y: number) => x, { inAxes: [0, null], axisSize: 4 })(p, 2.0),
  scalar_mapped: (x: A) => vmap((x: A) => x.add(1))(x),
  pytree_paths: (x: { a: A; b: A }, y: A[]) => vmap(add)(x, y),
  out_axes_none_for_mapped_output: (x: A) => vmap((x: A) => [x, x.mul(2)], { outAxes: [0, null] })(x),
  out_axes_none_in_dict: (x: A) => vmap((x: A) => ({ a: x, b: x.mul(2) }), { outAxes: { a: 0, b: null } })(x),
  out_axes_out_of_range: (x: A) => vmap((x: A) => x, { outAxes: 2 })(x),
};

const normalize = (s: string) => s.replace(/np\.int64\((-?\d+)\)/g, '$1');
// JAX breaks an equation over lines by its printed width, which `np.int64(…)` lengthens; where the
// golden text has one, lines are compared with whitespace runs collapsed.
const collapse = (s: string) => s.replace(/\s+/g, ' ');

test('the golden vmap programs and errors are the ones written here', () => {
  assert.deepEqual(golden.programs.map((p) => p.name), Object.keys(PROGRAMS));
  assert.deepEqual(golden.errors.map((e) => e.name), Object.keys(ERRORS));
  assert.ok(golden.programs.length >= 5);
});

for (const g of golden.programs) {
  test(`jaxpr of vmap program ${g.name} is JAX's`, () => {
    const jaxpr = makeJaxpr(PROGRAMS[g.name])(...g.args.map(decodeArg));
    if (g.jaxpr.includes('np.int64(')) assert.equal(collapse(jaxpr.toString()), collapse(normalize(g.jaxpr)));
    else assert.equal(jaxpr.toString(), g.jaxpr);
  });
}

for (const g of golden.errors) {
  test(`vmap error ${g.name} has JAX's message`, () => {
    assert.throws(() => ERRORS[g.name](...g.args.map(decodeArg)), (e: Error) => {
      assert.equal(e.name, g.type);
      assert.equal(e.message, g.message);
      return true;
    });
  });
}
