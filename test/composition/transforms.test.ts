// Pairs and triples of jit, grad, vmap and jvp, composed in different orders, give JAX's values on
// both devices (test/golden/examples/composition.json, from test/golden/examples/generate.py), and
// the jitted forms equal their unjitted equivalents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, grad, jacfwd, jacrev, hessian, jit, jvp, vmap, tree, type Array as TArray } from '../../engine/index.js';
import { forEachBackend } from '../engine/helpers.js';
import { assertClose, decode, loadExampleGolden } from '../examples/run_example.js';

const golden = loadExampleGolden('composition');

const f = (x: TArray): TArray => np.add(np.multiply(np.sin(x), np.square(x)), np.exp(np.multiply(0.5, x)));
const h = (v: TArray): TArray => np.add(np.sum(np.multiply(np.tanh(v), v.index('::-1'))), np.square(np.prod(v.index(':2'))));
const first = (r: unknown) => (r as TArray[])[1];

/** The TypeScript spelling of each golden case; `xs` is the golden input vector, `x0` its first element. */
const CASES: Record<string, (xs: TArray, x0: TArray) => unknown> = {
  'grad(f)(0.3)': (_xs, x0) => grad(f)(x0),
  'jit(grad(f))(0.3)': (_xs, x0) => jit(grad(f))(x0),
  'grad(jit(f))(0.3)': (_xs, x0) => grad(jit(f))(x0),
  'vmap(grad(f))': (xs) => vmap(grad(f))(xs),
  'grad(grad(f))(0.3)': (_xs, x0) => grad(grad(f))(x0),
  'vmap(grad(grad(f)))': (xs) => vmap(grad(grad(f)))(xs),
  'jvp(f)': (xs) => first(jvp(f, [xs], [np.onesLike(xs)])),
  'jvp(grad(f))': (xs) => first(jvp(vmap(grad(f)), [xs], [np.onesLike(xs)])),
  'vmap(jvp(f))': (xs) => vmap((x: TArray) => first(jvp(f, [x], [np.onesLike(x)])))(xs),
  'grad(jvp)(0.3)': (_xs, x0) => grad((x: TArray) => first(jvp(f, [x], [np.onesLike(x)])))(x0),
  'jit(vmap(f))': (xs) => jit(vmap(f))(xs),
  'vmap(jit(f))': (xs) => vmap(jit(f))(xs),
  'jit(vmap(grad(f)))': (xs) => jit(vmap(grad(f)))(xs),
  'vmap(jit(grad(f)))': (xs) => vmap(jit(grad(f)))(xs),
  'grad(jit(vmap(f)) summed)(xs)': (xs) => grad((v: TArray) => np.sum(jit(vmap(f))(v) as TArray))(xs),
  'jit(jvp(vmap(f)))': (xs) => jit((v: TArray) => first(jvp(vmap(f), [v], [np.onesLike(v)])))(xs),
  'grad(vmap(f) summed)(xs)': (xs) => grad((v: TArray) => np.sum(vmap(f)(v) as TArray))(xs),
  'jvp(vmap(f))': (xs) => first(jvp(vmap(f), [xs], [np.onesLike(xs)])),
  'jit(jvp(f))': (xs) => jit((v: TArray) => first(jvp(f, [v], [np.onesLike(v)])))(xs),
  'jvp(jit(f))': (xs) => first(jvp(jit(f), [xs], [np.onesLike(xs)])),
  'jvp(grad(f))(0.3)': (_xs, x0) => first(jvp(grad(f), [x0], [np.onesLike(x0)])),
  'vmap(jvp(grad(f)))': (xs) => vmap((x: TArray) => first(jvp(grad(f), [x], [np.onesLike(x)])))(xs),
  'grad(vmap(jvp(f)) summed)(xs)': (xs) => grad((v: TArray) => np.sum(vmap((x: TArray) => first(jvp(f, [x], [np.onesLike(x)])))(v) as TArray))(xs),
  'jit(grad(grad(f)))(0.3)': (_xs, x0) => jit(grad(grad(f)))(x0),
  'vmap(grad(jit(f)))': (xs) => vmap(grad(jit(f)))(xs),
  'hessian(h)': (xs) => jacfwd(jacrev(h))(xs),
};

test('every golden composition case has a TypeScript spelling', () => {
  assert.deepEqual(Object.keys(golden.cases).filter((k) => !(k in CASES)), []);
});

forEachBackend((platform) => {
  const inputs = () => {
    const xs = np.array(decode(golden.xs), { dtype: 'float32' });
    return [xs, xs.index(0)] as const;
  };
  for (const [name, run] of Object.entries(CASES)) {
    test(`${platform} › ${name} equals JAX`, async () => {
      const [xs, x0] = inputs();
      const got = np.asarray(run(xs, x0) as TArray);
      const want = golden.cases[name];
      assert.deepEqual(got.shape, want.shape, `${name}: shape`);
      assertClose(await got.data(), decode(want), name, 2e-5, 2e-6);
    });
  }

  test(`${platform} › jit(f) under grad, vmap and jvp equals the unjitted composition`, async () => {
    const [xs] = inputs();
    const pairs: [string, unknown, unknown][] = [
      ['vmap(grad)', jit(vmap(grad(f)))(xs), vmap(grad(f))(xs)],
      ['grad(grad) per element', vmap(jit(grad(grad(f))))(xs), vmap(grad(grad(f)))(xs)],
      ['jvp(jit(f))', first(jvp(jit(f), [xs], [np.onesLike(xs)])), first(jvp(f, [xs], [np.onesLike(xs)]))],
      ['vmap(jit(jvp))', vmap(jit((x: TArray) => first(jvp(f, [x], [np.onesLike(x)]))))(xs), vmap((x: TArray) => first(jvp(f, [x], [np.onesLike(x)])))(xs)],
      ['hessian = jacfwd(jacrev)', hessian(h)(xs), jacfwd(jacrev(h))(xs)],
    ];
    for (const [what, a, b] of pairs) {
      assertClose(await np.asarray(a as TArray).data(), await np.asarray(b as TArray).data(), what, 1e-5, 1e-6);
    }
  });

  test(`${platform} › hessian of a function of a pytree is JAX's pytree of pytrees`, async () => {
    const g = golden.tree_hessian;
    const arr = (e: any) => np.array(decode(e), { dtype: 'float32' }).reshape(e.shape);
    const params = { b: arr(g.params.b), w: arr(g.params.w) };
    const x = arr(g.x);
    const treeFn = (p: { b: TArray; w: TArray }) =>
      np.add(np.sum(np.tanh(np.add(np.matmul(p.w, x), p.b))), np.sum(np.power(p.b, 3)));
    for (const [what, H] of [['hessian', hessian(treeFn)(params)], ['jit(jacfwd(jacrev))', jit(jacfwd(jacrev(treeFn)))(params)]] as const) {
      const got = tree.leavesWithPath<TArray>(H);
      const want = tree.leavesWithPath<any>(g.hessian, { isLeaf: (v: unknown) => typeof v === 'object' && v !== null && 'data' in v });
      assert.deepEqual(got.map(([p]) => tree.keystr(p)), want.map(([p]) => tree.keystr(p)), `${what}: structure`);
      for (let i = 0; i < want.length; i++) {
        assert.deepEqual(got[i][1].shape, want[i][1].shape, `${what}${tree.keystr(want[i][0])}: shape`);
        assertClose(await got[i][1].data(), decode(want[i][1]), `${what}${tree.keystr(want[i][0])}`, 2e-5, 2e-6);
      }
    }
  });

  test(`${platform} › jit(hessian(h)) equals jacrev(jacfwd(h)) and JAX`, async () => {
    const [xs] = inputs();
    const jitted = np.asarray(jit(hessian(h))(xs) as TArray);
    assertClose(await jitted.data(), await np.asarray(jacrev(jacfwd(h))(xs) as TArray).data(), 'jit(hessian) vs jacrev(jacfwd)', 1e-5, 1e-6);
    assertClose(await jitted.data(), decode(golden.cases['hessian(h)']), 'jit(hessian) vs JAX', 2e-5, 2e-6);
  });
});
