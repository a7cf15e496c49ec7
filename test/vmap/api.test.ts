// vmap's options and compositions: nested vmap (double loop), axisSize, JS numbers and null
// in_axes, outAxes as ints, negative ints and pytrees, unmapped outputs broadcast, closures over
// tracers of an enclosing jit, and vmap with grad — each against the plain loop, on every device.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, jit, grad, jvp, linearize, makeJaxpr, vmap, Array as TArray } from '../../engine/index.js';
import { customSin, customTanh } from './cases.js';
import { forEachBackend } from '../engine/helpers.js';
import { checkVmap, loopAndStack, vals } from './helpers.js';

type A = TArray;

async function same(actual: unknown, expected: unknown, what: string): Promise<void> {
  const a = actual as A, e = expected as A;
  assert.deepEqual(a.shape, e.shape, `${what}: shape`);
  assert.equal(a.dtype, e.dtype, `${what}: dtype`);
  const x = Array.from(await a.data() as ArrayLike<number>, Number), y = Array.from(await e.data() as ArrayLike<number>, Number);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-5 * Math.max(1, Math.abs(y[i])), `${what}: element ${i}: ${v} vs ${y[i]}`));
}

forEachBackend(() => {
  test('nested vmap equals a double loop (inner axis 1, outer axis 0 with an unmapped argument)', async () => {
    const f = (x: A, w: A) => np.tanh(x).mul(w).sum();
    const xs = vals([2, 4, 3]), w = vals([4], { seed: 5 });
    const actual = vmap(vmap(f, { inAxes: [1, null] }), { inAxes: [0, null] })(xs, w);
    const expected = loopAndStack((x: A) => loopAndStack(f, [x, w], { inAxes: [1, null] }), [xs]);
    await same(actual, expected, 'vmap(vmap(f))');
    assert.deepEqual(actual.shape, [2, 3]);
  });

  test('nested vmaps of a matmul, down to a dot of vectors', async () => {
    const xs = vals([2, 3, 2, 4]), ys = vals([2, 3, 4, 5], { seed: 6 });
    await checkVmap(vmap((a: A, b: A) => np.matmul(a, b)), [xs, ys], {}, 'vmap(vmap(matmul))');
    // rows of a against columns of b, batched twice: four nested vmaps of np.dot.
    const matmul2d = vmap(vmap((r: A, c: A) => np.dot(r, c), { inAxes: [null, 1] }), { inAxes: [0, null] });
    await same(vmap(vmap(matmul2d))(xs, ys), np.matmul(xs, ys), 'vmap^4 of dot = matmul');
  });

  test('axisSize maps a function of unmapped arguments (and of no arguments)', async () => {
    const x = vals([4]);
    const out = vmap((a: A) => np.sin(a), { inAxes: null, axisSize: 3 })(x) as A;
    await same(out, np.stack([np.sin(x), np.sin(x), np.sin(x)]), 'axisSize 3');
    const none = vmap(() => np.ones([2]), { axisSize: 4 })() as A;
    assert.deepEqual(none.shape, [4, 2]);
    assert.deepEqual(await none.tolist(), [[1, 1], [1, 1], [1, 1], [1, 1]]);
  });

  test('JS numbers and null in_axes pass arguments through unmapped', async () => {
    const xs = vals([3, 2]);
    await checkVmap((x: A, s: number) => x.mul(s).add(s), [xs, 2.5], { inAxes: [0, null] }, 'JS number argument');
    let seen: unknown = null;
    vmap((x: A, s: unknown) => { seen = s; return x; }, { inAxes: [0, null] })(xs, 'config');
    assert.equal(seen, 'config');
  });

  test('outAxes: ints, negative ints, pytrees, and unmapped outputs broadcast', async () => {
    const xs = vals([3, 2, 4]), w = vals([4], { seed: 5 });
    const f = (x: A, v: A) => ({ a: x.mul(v), b: v.add(1) });
    const out = vmap(f, { inAxes: [0, null], outAxes: { a: -1, b: 1 } })(xs, w) as { a: A; b: A };
    await same(out.a, np.moveaxis(np.stack([0, 1, 2].map((i) => xs.index(i).mul(w))), 0, -1), 'outAxes -1');
    assert.deepEqual(out.b.shape, [4, 3]);
    await same(out.b, np.stack([w.add(1), w.add(1), w.add(1)], { axis: 1 }), 'unmapped output broadcast at outAxes 1');
    // An unmapped output may be returned unmapped.
    const [y, c] = vmap((x: A, v: A) => [x.sum(), v.mul(2)], { inAxes: [0, null], outAxes: [0, null] })(xs, w) as A[];
    assert.deepEqual(y.shape, [3]);
    await same(c, w.mul(2), 'outAxes null on an unmapped output');
    // A JS number output is a weakly typed scalar, broadcast.
    const k = vmap((x: A) => [x.sum(), 7])(xs) as A[];
    assert.deepEqual(await k[1].tolist(), [7, 7, 7]);
  });

  test('vmap inside jit, closing over a traced argument of the jit', async () => {
    const f = jit((w: A, xs: A) => vmap((x: A) => np.dot(x, w).add(w.sum()))(xs));
    const w = vals([4], { seed: 3 }), xs = vals([3, 4]);
    await same(f(w, xs), loopAndStack((x: A) => np.dot(x, w).add(w.sum()), [xs]), 'jit(w => vmap(closure over w))');
  });

  test('vmap of grad and grad of vmap agree with the loop (Chebyshev T3 as in the examples)', async () => {
    const t3 = (v: A) => np.cos(np.arccos(v).mul(3));
    const xs = np.array([0.1, 0.5, -0.3, 0.9], { dtype: 'float32' });
    const expected = loopAndStack(grad(t3), [xs]);
    await same(vmap(grad(t3))(xs), expected, 'vmap(grad(T3))');
    await same(jit(vmap(grad(t3)))(xs), expected, 'jit(vmap(grad(T3)))');
    await same(grad((v: A) => vmap(t3)(v).sum())(xs), expected, 'grad(sum of vmap(T3))');
  });

  test('customJvp / customVjp functions keep their rules under vmap, in every order with grad and jvp', async () => {
    const xs = np.array([0.1, 0.5, -0.3], { dtype: 'float32' }), w = np.array(2, { dtype: 'float32' });
    const gradSin = loopAndStack(grad(customSin), [xs]);
    await same(vmap(grad(customSin))(xs), gradSin, 'vmap(grad(customJvp f))');
    await same(grad((v: A) => vmap(customSin)(v).sum())(xs), gradSin, 'grad(vmap(customJvp f))');
    await same((jvp(vmap(customSin), [xs], [np.onesLike(xs)]) as A[])[1], gradSin, 'jvp(vmap(customJvp f))');
    const gradTanh = loopAndStack((x: A) => grad(customTanh)(x, w), [xs]);
    await same(vmap(grad(customTanh), { inAxes: [0, null] })(xs, w), gradTanh, 'vmap(grad(customVjp g))');
    const [gx, gw] = grad((v: A, u: A) => vmap(customTanh, { inAxes: [0, null] })(v, u).sum(), { argnums: [0, 1] })(xs, w) as A[];
    await same(gx, gradTanh, 'grad(vmap(customVjp g)) wrt the mapped argument');
    // The cotangent of the unmapped argument is summed over the batch.
    await same(gw, np.sum(loopAndStack((x: A) => grad(customTanh, { argnums: 1 })(x, w), [xs]) as A), 'grad(vmap(customVjp g)) wrt the unmapped argument');
    // Mapping the linearized function over tangents is forward mode through a customVjp, which fails as in JAX.
    const [, lin] = linearize((x: A) => customTanh(x, w), xs.index(0)) as [A, (t: A) => A];
    assert.throws(() => vmap(lin)(xs), /can't apply forward-mode autodiff \(jvp\) to a custom_vjp function/);
  });

  test('a mapped while loop runs each element to its own trip count', async () => {
    const collatzSteps = (n: A) => lax.whileLoop(
      (c: [A, A]) => c[0].gt(1),
      (c: [A, A]) => [np.where(np.mod(c[0], 2).eq(0), np.floorDivide(c[0], 2), c[0].mul(3).add(1)), c[1].add(1)] as [A, A],
      [n, np.array(0, { dtype: 'int32' })] as [A, A])[1];
    const ns = np.array([1, 6, 7, 27], { dtype: 'int32' });
    assert.deepEqual(await (vmap(collatzSteps)(ns) as A).tolist(), [0, 8, 16, 111]);
    assert.deepEqual(await (jit(vmap(collatzSteps))(ns) as A).tolist(), [0, 8, 16, 111]);
  });

  test('nested vmap of a while loop: a per-element predicate inside, a mapped body value outside', async () => {
    const powerUntil = (n: A, x: A) => lax.whileLoop((c: [A, A]) => c[0].lt(n), (c: [A, A]) => [c[0].add(1), c[1].mul(x)] as [A, A],
      [np.array(0, { dtype: 'int32' }), np.array(1, { dtype: 'float32' })] as [A, A])[1];
    const ns = np.array([1, 2, 3], { dtype: 'int32' }), xs = np.array([2, 3], { dtype: 'float32' });
    const f = vmap(vmap(powerUntil, { inAxes: [0, null] }), { inAxes: [null, 0] });
    assert.deepEqual(await (f(ns, xs) as A).tolist(), [[2, 4, 8], [3, 9, 27]]);
    assert.deepEqual(await (jit(f)(ns, xs) as A).tolist(), [[2, 4, 8], [3, 9, 27]]);
    // Both levels mapping the predicate.
    const g = vmap(vmap(powerUntil));
    assert.deepEqual(await (g(np.array([[1, 2], [3, 0]], { dtype: 'int32' }), np.array([[2, 3], [2, 5]], { dtype: 'float32' })) as A).tolist(), [[2, 9], [8, 1]]);
  });
});

test('makeJaxpr(vmap(f)) stages the batched primitives, and jit(vmap(f)) stages one jit equation', () => {
  const f = (x: A) => np.sum(np.sin(x));
  const text = makeJaxpr(vmap(f, { inAxes: 1 }))(np.ones([4, 3])).toString();
  assert.match(text, /reduce_sum\[axes=\(0,\) out_sharding=None\]/);
  assert.match(text, /b:f32\[4,3\] = sin a/);
  const jitted = makeJaxpr(jit(vmap(f)))(np.ones([3, 4])).toString();
  assert.match(jitted, /jit\[\s*name=f/);
});
