// The programs of test/golden/control_flow_ad/generate.py written with Tracelens' API: same names,
// same order, same arguments. The golden file holds JAX's jvp and value_and_grad of each.

import { readFileSync } from 'node:fs';
import { numpy as np, lax, vmap, Array as TArray } from '../../engine/index.js';

type A = TArray;
type Fn = (...args: any[]) => A;

export type Encoded = { dtype: string; shape: number[]; data: (number | boolean | string)[] } | { dict: Record<string, Encoded> } | Encoded[];
export interface GoldenAdProgram {
  name: string;
  args: Encoded[];
  tangents: (Encoded | null)[];
  argnums: number[];
  jvp: [Encoded, Encoded];
  value_and_grad: [Encoded, Encoded[]] | null;
}
export interface GoldenAd {
  jax_version: string;
  programs: GoldenAdProgram[];
  errors: { name: string; type: string; message: string }[];
  kinked_training: { losses: Encoded; w: Encoded };
  grad_jaxprs: { name: string; jaxpr: string }[];
  jvp_jaxprs: { name: string; jaxpr: string }[];
  higher_order: Record<'grad_grad_cond' | 'grad_grad_scan' | 'hessian_rnn' | 'jvp_jvp_while' | 'vmap_grad_cond', Encoded>;
}

export function loadGolden(): GoldenAd {
  return JSON.parse(readFileSync(new URL('../golden/control_flow_ad/control_flow_ad.json', import.meta.url), 'utf8')) as GoldenAd;
}

/** An encoded argument as Tracelens values (arrays, or objects of arrays). */
export function decode(e: Encoded): unknown {
  if (globalThis.Array.isArray(e)) return e.map(decode);
  if ('dict' in e) return Object.fromEntries(Object.entries(e.dict).map(([k, v]) => [k, decode(v)]));
  return np.array(e.data.map(Number), { dtype: e.dtype as 'float32' }).reshape(e.shape);
}

const f32 = (v: number) => np.array(v, { dtype: 'float32' });

// DESIGN example 2: kinked linear regression.
export const XS = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0];
export const YS = [-1.1, -0.4, -0.3, 0.2, 0.9, 2.1, 2.9, 4.2];
export interface W { a: A; b: A; c: A }
export function predict(w: W, x: A): A {
  return lax.cond(x.gt(0), () => w.a.mul(x).add(w.b), () => w.c.mul(x).add(w.b));
}
export function kinkedLoss(w: W): A {
  const xs = np.array(XS, { dtype: 'float32' }), ys = np.array(YS, { dtype: 'float32' });
  return np.mean(np.square(vmap(predict, { inAxes: [null, 0] })(w, xs).sub(ys)));
}

export const PROGRAMS: Record<string, Fn> = {
  cond_closure: (x: A, y: A) => {
    const c = y.mul(2.0);
    return np.sum(lax.cond(np.sum(x).gt(0), (v: A) => np.sin(v).mul(c), (v: A) => np.cos(v).add(c), x));
  },
  cond_closure_false: (x: A, y: A) => {
    const c = y.mul(2.0);
    return np.sum(lax.cond(np.sum(x).gt(0), (v: A) => np.sin(v).mul(c), (v: A) => np.cos(v).add(c), x));
  },
  cond_unused_operand: (a: A, b: A) => {
    const [p, q] = lax.cond(a.gt(0), (a: A, _b: A) => [a.mul(a), f32(3.0)], (a: A, b: A) => [a.mul(b), np.sin(b)], a, b);
    return p.mul(q);
  },
  switch_three: (i: A, x: A) => np.sum(lax.switch(i, [(v: A) => v.mul(v), (v: A) => np.sin(v).mul(v), (v: A) => v.mul(3.0)], x)),
  switch_clamped: (i: A, x: A) => np.sum(lax.switch(i, [(v: A) => v.mul(v), (v: A) => np.sin(v).mul(v), (v: A) => np.exp(v)], x)),
  fori_sum_of_powers: (x: A) => {
    const [acc] = lax.fori(0, 5, (_i: A, [acc, p]: [A, A]) => [acc.add(p.mul(x)), p.mul(x)], [f32(1.0), f32(1.0)]);
    return acc;
  },
  fori_horner: (x: A, coeffs: A) => lax.fori(0, 5, (i: A, acc: A) => acc.mul(x).add(coeffs.index(i)), f32(0.0)),
  scan_cumprod: (xs: A) => {
    const [c, ys] = lax.scan((c: A, x: A) => [c.mul(x), c.mul(x)], f32(1.0), xs);
    return np.sum(ys).add(c);
  },
  scan_rnn: (w: A, h0: A, xs: A) => {
    const [h, ys] = lax.scan((h: A, x: A) => {
      const hn = np.tanh(np.matmul(w, h).add(x));
      return [hn, np.sum(hn.mul(hn))];
    }, h0, xs);
    return np.sum(ys).add(np.sum(h));
  },
  scan_reverse: (xs: A, c0: A) => {
    const [c, ys] = lax.scan((c: A, x: A) => {
      const cn = c.mul(0.5).add(np.sin(x));
      return [cn, cn.mul(x)];
    }, c0, xs, { reverse: true });
    return np.sum(ys.mul(np.arange(1.0, 5.0, { dtype: 'float32' }))).add(c);
  },
  cond_in_scan: (xs: A, c0: A) => {
    const [c, ys] = lax.scan((c: A, x: A) => {
      const cn = lax.cond(x.gt(0), (c: A, x: A) => c.mul(x), (c: A, x: A) => np.sin(c).sub(x), c, x);
      return [cn, cn.mul(cn)];
    }, c0, xs);
    return np.sum(ys).add(c);
  },
  scan_under_fori: (x: A) => np.sum(lax.fori(0, 3, (_i: A, v: A) => {
    const [, ys] = lax.scan((c: A, e: A) => [c.add(e), np.sin(c.add(e))], f32(0.0), v);
    return ys.mul(1.5);
  }, x)),
  while_forward: (x: A) => {
    const [, v] = lax.whileLoop(([i]: [A, A]) => i.lt(4), ([i, v]: [A, A]) => [i.add(1), v.mul(np.cos(v)).add(x)], [0, x]);
    return v;
  },
  while_data_dependent: (x: A) => lax.whileLoop((v: A) => np.sum(v).lt(10.0), (v: A) => v.mul(2.0).add(np.sin(v)), x),
  fori_dynamic_bounds: (n: A, x: A) => lax.fori(0, n, (_i: A, v: A) => v.mul(v).mul(0.5).add(1.0), x),
  kinked_regression_loss: (w: W) => kinkedLoss(w),
  kinked_regression_per_example: (w: W) => {
    let total = f32(0.0);
    XS.forEach((x, k) => { total = total.add(np.square(predict(w, f32(x)).sub(YS[k]))); });
    return total.div(XS.length);
  },
};
