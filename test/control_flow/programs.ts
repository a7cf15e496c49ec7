// The programs of test/golden/jaxprs/control_flow.py, written with Tracelens' API: same names, same
// order, same arguments (decoded as test/tracing/programs.ts decodes them). The golden file holds
// JAX's jaxpr text, results and error messages for each.

import { readFileSync } from 'node:fs';
import { numpy as np, lax, jit, Array as TArray } from '../../engine/index.js';
import type { EncodedArg } from '../tracing/programs.js';

type A = TArray;
type Fn = (...args: any[]) => unknown;

export interface Program { name: string; fn: Fn }

export type EncodedOut = { dtype: string; shape: number[]; data: (number | boolean | string)[]; weak?: boolean }
  | { dict: Record<string, EncodedOut> } | EncodedOut[];
export interface GoldenProgram { name: string; args: EncodedArg[]; static_argnums: number[]; jaxpr: string; out: EncodedOut }
export interface GoldenError {
  name: string; args: EncodedArg[]; type: string; message: string; exact: boolean;
  /** For inexact messages: the text before and after the value of the first argument. */
  prefix?: string; suffix?: string;
}
export interface GoldenControlFlow { jax_version: string; programs: GoldenProgram[]; errors: GoldenError[] }

export function loadGolden(): GoldenControlFlow {
  return JSON.parse(readFileSync(new URL('../golden/jaxprs/control_flow.json', import.meta.url), 'utf8')) as GoldenControlFlow;
}

const CAPTURED = np.array([0.5, -1.0, 2.0], { dtype: 'float32' });
const f32 = (v: number) => np.array(v, { dtype: 'float32' });
const clippedStep = jit(function clipped_step(p: A, x: A) {
  return lax.cond(p, (v: A) => np.minimum(v, 1.0), (v: A) => np.maximum(v, -1.0), x);
});

export const PROGRAMS: Program[] = [
  // ---- cond and switch
  { name: 'cond_bool_pred', fn: (p: A, x: A) => lax.cond(p, (x: A) => np.sin(x), (x: A) => np.cos(x).add(1.0), x) },
  { name: 'cond_int_pred', fn: (i: A, x: A) => lax.cond(i, (x: A) => x.add(1.0), (x: A) => x.mul(2.0), x) },
  { name: 'cond_float_pred', fn: (p: A, x: A) => lax.cond(p, (x: A) => x.sub(1.0), (x: A) => x.mul(3.0), x) },
  { name: 'cond_js_bool_pred', fn: (x: A) => lax.cond(true, (x: A) => x.add(1.0), (x: A) => x, x) },
  { name: 'cond_computed_pred', fn: (x: A) => lax.cond(x.sum().gt(0), (x: A) => x.mul(x), (x: A) => x.neg(), x) },
  {
    name: 'cond_pytree',
    fn: (p: A, d: { a: A; b: A }) => {
      const trueFun = (d: { a: A; b: A }) => [d.a.mul(2.0), { s: d.b.sum() }];
      const falseFun = (d: { a: A; b: A }) => [d.a.sub(1.0), { s: d.b.max() }];
      return lax.cond(p, trueFun, falseFun, d);
    },
  },
  { name: 'cond_closure', fn: (p: A, x: A) => lax.cond(p, (x: A) => x.mul(CAPTURED), (x: A) => x.add(CAPTURED), x) },
  { name: 'cond_closure_over_argument', fn: (p: A, x: A, y: A) => lax.cond(p, (x: A) => x.mul(y), (x: A) => x.sub(y), x) },
  { name: 'cond_forwarded_output', fn: (p: A, x: A) => lax.cond(p, (x: A) => [x, x.mul(2.0)], (x: A) => [x, x.add(0.5)], x) },
  { name: 'cond_no_operands', fn: (x: A) => lax.cond(x.index(0).gt(0), () => 1.5, () => 2.5) },
  { name: 'cond_multiple_operands', fn: (p: A, x: A, y: A) => lax.cond(p, (a: A, b: A) => a.mul(b), (a: A, b: A) => a.sub(b), x, y) },
  { name: 'switch_three', fn: (i: A, x: A) => lax.switch(i, [(x: A) => x.mul(CAPTURED), (x: A) => x.add(1.0), (x: A) => x], x) },
  { name: 'switch_js_index', fn: (x: A) => lax.switch(1, [(x: A) => x.add(1.0), (x: A) => x.mul(2.0)], x) },
  { name: 'switch_clamped', fn: (x: A) => lax.switch(7, [(x: A) => x.add(1.0), (x: A) => x.mul(2.0), (x: A) => x.sub(3.0)], x) },

  // ---- whileLoop
  { name: 'while_counter', fn: (x: A) => lax.whileLoop((c: [A, A]) => c[0].lt(10), (c: [A, A]) => [c[0].add(1), c[1].mul(1.5)], [0, x]) },
  {
    name: 'while_closure',
    fn: (x: A) => lax.whileLoop((c: [A, A]) => c[0].lt(4), (c: [A, A]) => [c[0].add(1), c[1].mul(CAPTURED).add(1.0)], [0, x]),
  },
  { name: 'while_data_dependent', fn: (x: A) => lax.whileLoop((v: A) => v.lt(100.0), (v: A) => v.mul(2.0).add(1.0), np.abs(x).add(0.5)) },
  {
    name: 'while_forwarded_carry',
    fn: (x: A, y: A) => lax.whileLoop((c: [A, A, A]) => c[0].lt(3), (c: [A, A, A]) => [c[0].add(1), c[1].add(c[2]), c[2]], [0, x, y]),
  },
  {
    name: 'while_dict_carry',
    fn: (x: A) => {
      const body = (c: { n: A; v: A }) => ({ n: c.n.add(1), v: c.v.add(c.v) });
      return lax.whileLoop((c: { n: A; v: A }) => c.v.sum().lt(50.0), body, { n: 0, v: np.abs(x).add(1.0) });
    },
  },
  {
    name: 'while_weak_init_promoted',
    fn: (x: A) => lax.whileLoop((c: [A, A]) => c[0].lt(3.5), (c: [A, A]) => [c[0].add(f32(0.75)), c[1].mul(2.0)], [0, x]),
  },

  // ---- fori
  { name: 'fori_concrete_bounds', fn: (x: A) => lax.fori(0, 3, (i: A, c: A) => c.mul(2.0).add(i), x) },
  { name: 'fori_traced_upper', fn: (n: A, x: A) => lax.fori(0, n, (i: A, c: A) => c.mul(2.0).add(i), x) },
  { name: 'fori_traced_bounds', fn: (lo: A, hi: A, x: A) => lax.fori(lo, hi.add(5), (i: A, c: A) => c.add(i), x) },
  {
    name: 'fori_pytree_carry',
    fn: (x: A) => {
      const body = (i: A, c: [A, A]): [A, A] => [c[0].add(c[1].mul(i)), c[1].mul(0.5)];
      return lax.fori(1, 4, body, [x, x.add(1.0)] as [A, A]);
    },
  },

  // ---- scan
  { name: 'scan_cumulative', fn: (c: A, xs: A) => lax.scan((c: A, x: A) => [c.add(x.mul(CAPTURED.index(0))), c.mul(x)], c, xs) },
  { name: 'scan_reverse', fn: (c: A, xs: A) => lax.scan((c: A, x: A) => [c.mul(0.5).add(x), c.add(x)], c, xs, { reverse: true }) },
  { name: 'scan_length_only', fn: (c: A) => lax.scan((c: A, _: null) => [c.add(1.0), c.mul(c)], c, null, { length: 5 }) },
  {
    name: 'scan_pytree',
    fn: (carry: { s: A; v: A }, xs: [A, A]) => {
      const f = (carry: { s: A; v: A }, x: [A, A]): [{ s: A; v: A }, A[]] => {
        const [a, b] = x;
        const next = { s: carry.s.add(a), v: carry.v.mul(0.5).add(b) };
        return [next, [carry.s.mul(a), b.sum()]];
      };
      return lax.scan(f, carry, xs);
    },
  },
  { name: 'scan_forwarded_carry', fn: (c: A, xs: A) => lax.scan((c: A, x: A) => [c, x.mul(c)], c, xs) },
  { name: 'scan_forwarded_xs', fn: (c: A, xs: A) => lax.scan((c: A, x: A) => [c.add(x), x], c, xs) },
  { name: 'scan_weak_init', fn: (xs: A) => lax.scan((c: A, x: A) => [c.add(x), c], 0, xs) },
  {
    name: 'scan_matrix_rows',
    fn: (w: A, xs: A) => {
      const f = (h: A, x: A): [A, A] => {
        const h2 = np.tanh(w.matmul(x.add(h.index(':3').sum())));
        return [h.add(h2.sum()), h2];
      };
      return lax.scan(f, np.zeros([3]), xs);
    },
  },

  { name: 'scan_select', fn: (c: A, xs: A) => lax.scan((c: A, x: A) => [lax.select(x.gt(0), c.add(x), c.mul(0.5)), c], c, xs) },

  // ---- nested
  {
    name: 'nested_cond_in_scan',
    fn: (xs: A) => {
      const f = (c: A, x: A): [A, A] => {
        const y = lax.cond(x.gt(0), (v: A) => v.mul(2.0), (v: A) => v.neg(), x) as A;
        return [c.add(y), y];
      };
      return lax.scan(f, f32(0.25), xs);
    },
  },
  {
    name: 'nested_while_in_cond',
    fn: (p: A, x: A) => {
      const grow = (v: A) => lax.whileLoop((u: A) => u.lt(10.0), (u: A) => u.mul(3.0), v);
      return lax.cond(p, grow, (v: A) => v.sub(1.0), np.abs(x).add(0.5));
    },
  },
  {
    name: 'nested_scan_in_fori',
    fn: (x: A) => {
      const body = (_i: A, c: A) => {
        const [, ys] = lax.scan((s: A, e: A) => [s.add(e), s.mul(e)], c.index(0), c);
        return c.add(ys);
      };
      return lax.fori(0, 2, body, x);
    },
  },
  {
    name: 'nested_switch_in_while',
    fn: (x: A) => {
      const body = (c: [A, A]) => {
        const [i, v0] = c;
        const v = lax.switch(lax.rem(i, 3), [(v: A) => v.add(1.0), (v: A) => v.mul(2.0), (v: A) => v.sub(0.5)], v0);
        return [i.add(1), v];
      };
      return lax.whileLoop((c: [A, A]) => c[0].lt(5), body, [0, x]);
    },
  },
  { name: 'nested_cond_in_jit', fn: (p: A, x: A) => clippedStep(p, x.mul(3.0)).add(1.0) },
];

// ---- error programs (named like the Python functions, whose names appear in the messages) --------

export const ERROR_PROGRAMS: Program[] = [
  {
    name: 'cond_branch_dtype_mismatch',
    fn: (x: A) => {
      function true_fun(x: A) { return x; }
      function false_fun(x: A) { return x.astype('int32'); }
      return lax.cond(true, true_fun, false_fun, x);
    },
  },
  {
    name: 'cond_branch_shape_mismatch',
    fn: (x: A) => {
      const tf = (x: A) => x;
      const ff = (x: A) => x.index(':2');
      return lax.cond(true, tf, ff, x);
    },
  },
  {
    name: 'cond_branch_several_mismatches',
    fn: (x: A) => {
      const tf = (x: A) => [x, x];
      const ff = (x: A) => [x.astype('int32'), x.index(':1')];
      return lax.cond(true, tf, ff, x);
    },
  },
  {
    name: 'cond_branch_structure_mismatch',
    fn: (x: A) => {
      const tf = (x: A) => ({ a: x });
      const ff = (x: A) => ({ b: x });
      return lax.cond(true, tf, ff, x);
    },
  },
  {
    name: 'cond_branch_length_mismatch',
    fn: (x: A) => {
      const tf = (x: A) => [x, x];
      const ff = (x: A) => [x];
      return lax.cond(true, tf, ff, x);
    },
  },
  {
    name: 'switch_branch_mismatch',
    fn: (x: A) => {
      const b0 = (x: A) => x;
      const b1 = (x: A) => x.mul(2);
      const b2 = (x: A) => x.astype('int32');
      return lax.switch(1, [b0, b1, b2], x);
    },
  },
  {
    name: 'while_carry_dtype',
    fn: (x: A) => {
      const body = (c: A) => c.astype('int32');
      return lax.whileLoop((_c: A) => true, body, x);
    },
  },
  {
    name: 'while_carry_component_shape',
    fn: (x: A) => {
      const body = (carry: [A, A]): [A, A] => [carry[0], carry[1].index(':1')];
      return lax.whileLoop((_c: [A, A]) => true, body, [x, x] as [A, A]);
    },
  },
  {
    name: 'while_carry_structure',
    fn: (x: A) => {
      const body = (c: [A, A]) => c[0];
      return lax.whileLoop((_c: unknown) => true, body as never, [x, x]);
    },
  },
  { name: 'while_cond_not_bool', fn: (x: A) => lax.whileLoop((c: A) => c.sum(), (c: A) => c, x) },
  { name: 'while_cond_not_scalar', fn: (x: A) => lax.whileLoop((c: A) => c.gt(0), (c: A) => c, x) },
  {
    name: 'scan_carry_dtype',
    fn: (x: A) => {
      const f = (carry: A, x: A): [A, A] => [carry.astype('int32'), x];
      return lax.scan(f, x, x);
    },
  },
  {
    name: 'scan_carry_structure',
    fn: (x: A) => {
      const f = (carry: A, x: A) => [[carry, carry], x];
      return lax.scan(f as never, x, x);
    },
  },
  { name: 'scan_body_not_pair', fn: (x: A) => lax.scan(((c: A, _x: A) => c) as never, x, x) },
  { name: 'scan_no_length', fn: (x: A) => lax.scan((c: A, x: null) => [c, x], x, null) },
  { name: 'scan_length_disagrees', fn: (x: A) => lax.scan((c: A, x: A) => [c, x], x, x, { length: 5 }) },
  { name: 'scan_different_lengths', fn: (x: A, y: A) => lax.scan((c: A, x: A[]) => [c, x], x, [x, y]) },
  { name: 'fori_carry_dtype', fn: (x: A) => lax.fori(0, 3, (_i: A, c: A) => c.astype('int32'), x) },
  { name: 'fori_bound_types', fn: (lo: A, hi: A, x: A) => lax.fori(lo, hi, (_i: A, c: A) => c, x) },
  { name: 'cond_pred_not_scalar', fn: (x: A) => lax.cond(x, (x: A) => x, (x: A) => x, x) },
  { name: 'switch_index_not_scalar', fn: (i: A, x: A) => lax.switch(i, [(x: A) => x, (x: A) => x], x) },
  { name: 'switch_float_index', fn: (i: A, x: A) => lax.switch(i, [(x: A) => x, (x: A) => x], x) },
  { name: 'switch_no_branches', fn: (x: A) => lax.switch(1, [], x) },
];
