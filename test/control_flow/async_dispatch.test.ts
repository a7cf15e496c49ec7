// Asynchronous dispatch (JAX's model) as control flow needs it: a predicate on the GPU is read
// asynchronously, so cond / whileLoop return *pending* arrays at once; work on pending arrays is
// chained after them; reads (`data`, `item`, `blockUntilReady`) wait; an error inside a pending
// computation surfaces, with its message, at the next await of anything computed from it — never
// as an unhandled rejection. On the cpu device predicates are host values and loops run
// synchronously.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, jit, devicePut, Array as TArray, ShapedArray, devices } from '../../engine/index.js';
import { forEachBackend, platforms } from '../engine/helpers.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => { unhandled.push(e); };
process.on('unhandledRejection', onUnhandled);
after(() => { process.off('unhandledRejection', onUnhandled); });

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The Collatz trip count of n, the data-dependent loop below, computed on the host. */
function collatzSteps(n: number): number {
  let steps = 0;
  while (n !== 1) { n = n % 2 === 0 ? n / 2 : 3 * n + 1; steps++; }
  return steps;
}

/** A while loop whose trip count depends on the data: Collatz steps of n. */
const collatz = (n: TArray) => lax.whileLoop(
  ([v]: [TArray, TArray]) => v.ne(1),
  ([v, steps]: [TArray, TArray]) => [lax.select(lax.rem(v, 2).eq(0), lax.div(v, 2), v.mul(3).add(1)), steps.add(1)],
  [n, np.array(0, { dtype: 'int32' })] as [TArray, TArray]);

/** A value the host is still waiting for (as one read back from another device would be). */
function arriving(values: number[], delayMs = 5): TArray {
  const ready = np.array(values, { dtype: 'float32' });
  const source = new Promise<TArray>((resolve) => setTimeout(() => resolve(ready), delayMs));
  return TArray.pending(new ShapedArray([values.length], 'float32'), ready.device, source);
}

forEachBackend((platform) => {
  test(`${platform} › a while loop with a data-dependent trip count completes and awaiting its result works`, async () => {
    for (const n of [27, 97, 1]) {
      const [v, steps] = collatz(np.array(n, { dtype: 'int32' }));
      // On webgpu the loop is still running: results are pending, usable at once; on cpu it ran.
      assert.equal(steps.isPending, platform === 'webgpu');
      const next = steps.mul(10); // chained on the pending result, no await needed
      assert.equal(await steps.item(), collatzSteps(n));
      assert.equal(await v.item(), 1);
      assert.equal(await next.item(), 10 * collatzSteps(n));
      assert.equal(steps.device.platform, platform);
    }
  });

  test(`${platform} › the same loop under jit`, async () => {
    const [v, steps] = jit(collatz)(np.array(27, { dtype: 'int32' }));
    assert.equal(await steps.item(), collatzSteps(27));
    assert.equal(await v.item(), 1);
  });

  test(`${platform} › cond on a device predicate: pending on webgpu, synchronous on cpu, right either way`, async () => {
    const x = np.array([1, 2, 3], { dtype: 'float32' });
    const pick = (s: TArray) => lax.cond(s.sum().gt(0), (v: TArray) => v.mul(2), (v: TArray) => v.neg(), x) as TArray;
    const pos = pick(x), neg = pick(x.neg());
    assert.equal(pos.isPending, platform === 'webgpu');
    assert.equal(typeof pos.toString(), 'string'); // printing a pending array does not throw
    assert.deepEqual(await pos.tolist(), [2, 4, 6]);
    assert.deepEqual(await neg.tolist(), [-1, -2, -3]);
    assert.equal(await pos.blockUntilReady(), pos);
    assert.equal(pos.isPending, false);
  });

  test(`${platform} › a cond with a JS predicate runs at once`, async () => {
    const x = np.array([1, 2, 3], { dtype: 'float32' });
    const y = lax.cond(true, (v: TArray) => v.add(1), (v: TArray) => v, x) as TArray;
    assert.equal(y.isPending, false);
    assert.deepEqual(await y.tolist(), [2, 3, 4]);
  });

  test(`${platform} › work on a pending array is chained after it, through control flow too`, async () => {
    const x = arriving([1, 2, 3]);
    assert.equal(x.isPending, true);
    const y = x.mul(2).add(1);
    assert.equal(y.isPending, true);
    const [i, z] = lax.whileLoop(([k]: [TArray, TArray]) => k.lt(3), ([k, v]: [TArray, TArray]) => [k.add(1), v.mul(2)],
      [0, y]);
    const [, ys] = lax.scan((c: TArray, e: TArray) => [c.add(e), c], np.array(0, { dtype: 'float32' }), x);
    assert.deepEqual(await y.tolist(), [3, 5, 7]);
    assert.equal(await i.item(), 3);
    assert.deepEqual(await z.tolist(), [24, 40, 56]);
    assert.deepEqual(await ys.tolist(), [0, 1, 3]);
  });

  test(`${platform} › an error inside a pending computation surfaces at the next await, with its message`, async () => {
    // The body reads `w`, which is disposed before the (pending) loop gets to run its body.
    const w = np.array([2, 2, 2], { dtype: 'float32' });
    const x = arriving([1, 1, 1]);
    const [, out] = lax.whileLoop(([k]: [TArray, TArray]) => k.lt(5), ([k, v]: [TArray, TArray]) => [k.add(1), v.mul(w)],
      [0, x]);
    const dependent = out.sum().add(1);
    w.dispose();
    const message = /array was disposed; it can no longer be used/;
    await assert.rejects(out.data(), message);
    await assert.rejects(dependent.item(), message);
    await assert.rejects(dependent.blockUntilReady(), message);
    await assert.rejects(dependent.mul(2).tolist(), message);
    for (let k = 0; k < 3; k++) await turn();
    assert.deepEqual(unhandled, [], 'a failed pending computation must not be an unhandled rejection');
  });

  test(`${platform} › a failure nobody awaits is not an unhandled rejection`, async () => {
    const x = TArray.pending(new ShapedArray([2], 'float32'), np.ones([2]).device,
      new Promise<TArray>((_, reject) => setTimeout(() => reject(new Error('readback failed')), 1)));
    void x.add(1).mul(2);
    void lax.cond(x.sum().gt(0), (v: TArray) => v, (v: TArray) => v.neg(), x);
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let k = 0; k < 3; k++) await turn();
    assert.deepEqual(unhandled, []);
    await assert.rejects(x.data(), /readback failed/);
  });
});

test('devicePut of a pending webgpu result to the cpu waits for it', { skip: !platforms().includes('webgpu') }, async () => {
  const [webgpu, cpu] = [devices('webgpu')[0], devices('cpu')[0]];
  const [, steps] = collatz(devicePut(np.array(27, { dtype: 'int32' }), webgpu));
  assert.equal(steps.isPending, true);
  const onCpu = devicePut(steps, cpu);
  assert.equal(onCpu.device, cpu);
  assert.equal(await onCpu.add(1).item(), collatzSteps(27) + 1);
});
