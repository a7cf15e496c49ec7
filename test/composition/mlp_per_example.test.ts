// Per-example gradients of a small MLP: jit(vmap(grad(loss), {inAxes: [null, 0, 0]})) equals a loop
// of grad calls, one example at a time, leaf by leaf, on both devices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, grad, jit, vmap, tree, type Array as TArray } from '../../engine/index.js';
import { forEachBackend } from '../engine/helpers.js';
import { assertClose } from '../examples/run_example.js';

type Params = { layers: { w: TArray; b: TArray }[] };

const det = (shape: number[], seed: number, scale: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Array.from({ length: n }, (_, i) => scale * Math.sin(1.3 * i + 2.1 * seed + 0.4)), { dtype: 'float32' }).reshape(shape);
};

function mlp(params: Params, x: TArray): TArray {
  let h = x;
  params.layers.forEach((l, i) => {
    h = np.add(np.matmul(h, l.w), l.b);
    if (i < params.layers.length - 1) h = np.tanh(h);
  });
  return h;
}

/** Squared error of one example (x: [3], y: [2]). */
const loss = (params: Params, x: TArray, y: TArray): TArray => np.sum(np.square(np.subtract(mlp(params, x), y)));

forEachBackend((platform) => {
  test(`${platform} › jit(vmap(grad(loss), {inAxes: [null, 0, 0]})) equals a loop of grad`, async () => {
    const params: Params = { layers: [{ w: det([3, 4], 1, 0.5), b: det([4], 2, 0.1) }, { w: det([4, 2], 3, 0.5), b: det([2], 4, 0.1) }] };
    const xs = det([5, 3], 5, 1);
    const ys = det([5, 2], 6, 1);
    const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))(params, xs, ys) as Params;
    const batched = tree.leavesWithPath<TArray>(perExample);
    assert.equal(batched.length, 4);
    for (const [, leaf] of batched) assert.equal(leaf.shape[0], 5, 'per-example gradients have the batch axis first');
    for (let i = 0; i < 5; i++) {
      const one = grad(loss)(params, xs.index(i), ys.index(i)) as Params;
      const want = tree.leavesWithPath<TArray>(one);
      for (let k = 0; k < want.length; k++) {
        const [path, w] = want[k];
        const got = batched[k][1].index(i);
        assertClose(await got.data(), await w.data(), `example ${i} ${tree.keystr(path)}`, 1e-5, 1e-6);
      }
    }
    // the mean of the per-example gradients is the gradient of the mean loss
    const meanLoss = (p: Params) => np.mean(vmap(loss, { inAxes: [null, 0, 0] })(p, xs, ys) as TArray);
    const full = tree.leaves<TArray>(grad(meanLoss)(params));
    for (let k = 0; k < full.length; k++) {
      assertClose(await np.mean(batched[k][1], { axis: 0 }).data(), await full[k].data(), `mean of per-example grads, leaf ${k}`, 1e-5, 1e-6);
    }
  });
});
