// The differentiation API as a user meets it: grad / valueAndGrad with argnums and hasAux over
// pytrees, vjp / linearize / jacfwd / jacrev, customJvp / customVjp, stopGradient, integer inputs
// (float0 — bool zeros), JAX's error texts, and grad composed with jit both ways on every device.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  numpy as np, lax, grad, valueAndGrad, vjp, jvp, linearize, jacfwd, jacrev, jit, makeJaxpr, customJvp, customVjp,
  stopGradient, devices, devicePut, Array as TArray,
} from '../../engine/index.js';

type A = TArray;
const values = async (x: A) => Array.from(await x.data() as ArrayLike<number>);
async function close(x: A, want: number[], tol = 1e-5) {
  const got = await values(x);
  assert.equal(got.length, want.length, `got ${got} want ${want}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol * (1 + Math.abs(want[i])), `[${i}] ${g} vs ${want[i]} (got ${got})`));
}

for (const device of devices()) {
  describe(device.platform, () => {
    const arr = (xs: number[], shape?: number[]) => {
      const a = devicePut(np.array(xs, { dtype: 'float32' }), device);
      return shape ? a.reshape(shape) : a;
    };
    const a = () => arr([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = () => arr([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);
    const lossAB = (x: A, y: A) => np.sum(np.matmul(x, y));

    test('grad of sum(a @ b): rows sums of b for a, column sums of a for b', async () => {
      await close(grad(lossAB)(a(), b()), [6, 22, 38, 6, 22, 38]);
      const [ga, gb] = grad(lossAB, { argnums: [0, 1] })(a(), b());
      assert.deepEqual(ga.shape, [2, 3]);
      assert.deepEqual(gb.shape, [3, 4]);
      await close(gb, [5, 5, 5, 5, 7, 7, 7, 7, 9, 9, 9, 9]);
      await close(grad(lossAB, { argnums: 1 })(a(), b()), [5, 5, 5, 5, 7, 7, 7, 7, 9, 9, 9, 9]);
    });

    test('gradients are shaped like the argument pytree', async () => {
      const loss = (p: { w: A; b: A }, x: A) => np.sum(np.matmul(x, p.w).add(p.b));
      const g = grad(loss)({ w: b(), b: arr([1, 1, 1, 1]) }, a());
      assert.deepEqual(Object.keys(g).sort(), ['b', 'w']);
      assert.deepEqual(g.w.shape, [3, 4]);
      await close(g.b, [2, 2, 2, 2]);
      await close(g.w, [5, 5, 5, 5, 7, 7, 7, 7, 9, 9, 9, 9]);
      const [gList] = grad((xs: A[]) => np.sum(xs[0]).add(np.sum(xs[1])), { argnums: [0] })([arr([1, 2]), arr([3])]);
      assert.equal(gList.length, 2);
      await close(gList[1], [1]);
    });

    test('valueAndGrad and hasAux', async () => {
      const [v, g] = valueAndGrad(lossAB)(a(), b());
      await close(v, [5 * 6 + 7 * 22 + 9 * 38]); // column sums of a · row sums of b
      await close(g, [6, 22, 38, 6, 22, 38]);
      const withAux = (x: A, y: A) => [lossAB(x, y), { n: np.sum(x) }];
      const [[v2, aux], g2] = valueAndGrad(withAux, { hasAux: true })(a(), b());
      await close(v2, await values(v));
      await close(aux.n, [21]);
      await close(g2, [6, 22, 38, 6, 22, 38]);
      const [g3, aux3] = grad(withAux, { hasAux: true })(a(), b());
      await close(g3, [6, 22, 38, 6, 22, 38]);
      await close(aux3.n, [21]);
    });

    test('vjp (with hasAux) and linearize', async () => {
      const [out, vjpFn] = vjp((x: A, y: A) => np.matmul(x, y), a(), b());
      assert.deepEqual(out.shape, [2, 4]);
      const [ca, cb] = vjpFn(arr([1, 0, 0, 0, 0, 0, 0, 0], [2, 4]));
      await close(ca, [0, 4, 8, 0, 0, 0]);
      await close(cb, [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
      const [, vjpAux, aux] = vjp((x: A) => [np.sum(x), 'tag'], a(), { hasAux: true });
      assert.equal(aux, 'tag');
      await close((vjpAux(arr([2]).reshape([])) as A[])[0], [2, 2, 2, 2, 2, 2]);
      const [y, jvpFn] = linearize((x: A) => np.matmul(x, b()), a());
      await close(y, await values(np.matmul(a(), b())));
      await close(jvpFn(arr([1, 0, 0, 0, 0, 0], [2, 3])) as A, [0, 1, 2, 3, 0, 0, 0, 0]);
      const [pj, tj] = jvp((x: A) => np.sum(x.T), [a()], [a()]);
      await close(pj, [21]);
      await close(tj, [21]);
    });

    test('jacfwd and jacrev keep the output-then-input structure', async () => {
      const f = (x: A) => ({ s: np.sum(x), c: np.cumsum(x) });
      for (const jac of [jacfwd, jacrev]) {
        const j = jac(f)(arr([1, 2, 3]));
        assert.deepEqual(j.s.shape, [3]);
        assert.deepEqual(j.c.shape, [3, 3]);
        await close(j.c, [1, 0, 0, 1, 1, 0, 1, 1, 1]);
      }
      const [j0, j1] = jacrev((x: A, y: A) => np.matmul(x, y), { argnums: [0, 1] })(arr([1, 2]), arr([1, 2, 3, 4], [2, 2]));
      assert.deepEqual(j0.shape, [2, 2]);
      assert.deepEqual(j1.shape, [2, 2, 2]);
      await close(j0, [1, 3, 2, 4]);
    });

    test('stopGradient blocks the gradient; unused inputs get zeros', async () => {
      await close(grad((x: A) => np.sum(np.matmul(stopGradient(x), x)))(arr([1, 2, 3])), [1, 2, 3]);
      await close(grad((x: A) => np.sum(lax.stopGradient(x)))(arr([1, 2])), [0, 0]);
      await close(grad((_x: A, y: A) => np.sum(y), { argnums: 0 })(arr([1, 2]), arr([3])), [0, 0]);
    });

    test('grad under jit and jit under grad agree with plain grad', async () => {
      const f = (x: A, y: A) => np.sum(np.cumsum(np.matmul(x, y)));
      const plain = grad(f, { argnums: [0, 1] })(a(), b());
      const outer = jit(grad(f, { argnums: [0, 1] }))(a(), b());
      const inner = grad((x: A, y: A) => jit(f)(x, y), { argnums: [0, 1] })(a(), b());
      for (const [g, h] of [[plain, outer], [plain, inner]]) {
        await close(h[0], await values(g[0]));
        await close(h[1], await values(g[1]));
      }
      // d/da of sum(cumsum(flat(a @ b))): element (i, k) of a @ b is counted 8 - (4i + k) times.
      await close(plain[0], [34, 138, 242, 10, 50, 90]);
    });

    test('customJvp and customVjp rules are used', async () => {
      const f = customJvp(function f(x: A) { return np.sin(x); });
      f.defjvp(([x]: A[], [t]: A[]) => [f(x), np.multiply(2.0, t)]);
      await close(grad((x: A) => np.sum(f(x)))(arr([0.1, 0.2])), [2, 2]);
      await close(f(arr([0])), [0]);
      const g = customVjp(function g(x: A, y: A) { return np.multiply(x, y); });
      g.defvjp((x: A, y: A) => [g(x, y), [x, y]], ([x, y]: A[], ct: A) => [ct.mul(y).mul(3.0), ct.mul(x)]);
      const [gx, gy] = grad((x: A, y: A) => np.sum(g(x, y)), { argnums: [0, 1] })(arr([1, 2]), arr([3, 4]));
      await close(gx, [9, 12]);
      await close(gy, [1, 2]);
      assert.throws(() => jvp(g, [arr([1]), arr([2])], [arr([1]), arr([1])]), /can't apply forward-mode autodiff \(jvp\) to a custom_vjp function/);
    });

    test('integer inputs: JAX\'s error, allowInt and vjp give float0 (bool) zeros', async () => {
      const ints = devicePut(np.array([1, 2, 3], { dtype: 'int32' }), device);
      assert.throws(() => grad((x: A) => np.sum(x.astype('float32')))(ints), {
        message: 'grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32. ' +
          'If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.',
      });
      const g = grad((x: A) => np.sum(x.astype('float32')), { allowInt: true })(ints);
      assert.equal(g.dtype, 'bool');
      assert.deepEqual(g.shape, [3]);
      assert.deepEqual(await values(g), [0, 0, 0]);
      const [, vjpFn] = vjp((x: A, y: A) => np.sum(x.astype('float32')).mul(np.sum(y)), ints, arr([1, 2]));
      const [cx, cy] = vjpFn(arr([1]).reshape([]));
      assert.equal(cx.dtype, 'bool');
      await close(cy, [6, 6]);
    });

    test('grad of a non-scalar output names the shape and suggests vjp / jacrev', () => {
      assert.throws(() => grad((x: A) => x.mul(2))(arr([1, 2, 3])), (e: Error) => {
        assert.match(e.message, /^Gradient only defined for scalar-output functions\. Output had shape: \[3\]\./);
        assert.match(e.message, /vjp.*jacrev/);
        return true;
      });
      assert.throws(() => grad((x: A) => np.sum(x), { argnums: 2 })(arr([1])), {
        message: 'differentiating with respect to argnums=2 requires at least 3 positional arguments to be passed by the caller, but got only 1 positional arguments.',
      });
    });

    test('higher order: grad of grad, and the jaxpr of an unused input has no equation for it', async () => {
      const cube = (x: A) => np.sum(x.mul(x).mul(x));
      await close(grad((x: A) => np.sum(grad(cube)(x)))(arr([1, 2])), [6, 12]);
      const text = makeJaxpr(grad((x: A, _y: A) => np.sum(np.matmul(x, x))))(arr([1, 2]), arr([5, 6, 7])).toString();
      assert.ok(!/ b\b(?!:)/.test(text.split('let')[1]), `b is used in\n${text}`);
    });
  });
}
