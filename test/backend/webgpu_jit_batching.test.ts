// Jitted calls on the webgpu backend encode into the backend's command batch instead of submitting
// one command buffer each: a loop of small calls is a few queue submissions, and still computes
// exactly what the same calls compute one at a time (each awaited), interleaved with eager work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, devices, devicePut, jit, type Array as TArray } from '../../engine/index.js';
import type { WebGPUBackend } from '../../engine/backend/webgpu/webgpu_backend.js';

const webgpu = devices().find((d) => d.platform === 'webgpu');
const skip = webgpu ? false : 'no WebGPU adapter';

test('200 chained calls of a tiny jitted function take a few submissions and match calls awaited one by one', { skip }, async () => {
  const backend = webgpu!.backend as WebGPUBackend;
  const f = jit((x: TArray) => np.add(np.multiply(x, 0.999), 1));
  const x0 = devicePut(np.asarray([1, -2, 3.5, 1e3]), webgpu!);
  await f(x0).blockUntilReady(); // compiles

  const before = backend.submissions;
  let y = x0;
  for (let i = 0; i < 200; i++) y = f(y);
  const chained = await y.data();
  const submissions = backend.submissions - before;
  assert.ok(submissions <= 8, `200 calls took ${submissions} submissions`);

  let z = x0;
  for (let i = 0; i < 200; i++) {
    z = f(z);
    await z.blockUntilReady();
  }
  assert.deepStrictEqual([...chained], [...await z.data()]);
});

test('jitted calls queued between eager operations see the eager results, and eager ones see theirs', { skip }, async () => {
  const scale = jit((x: TArray, s: TArray) => np.multiply(x, s));
  const shift = jit((x: TArray) => np.subtract(np.sum(x, { axis: 0 }), 1));
  const x = devicePut(np.arange(12, { dtype: 'float32' }).reshape([3, 4]), webgpu!);
  let a = np.add(x, 1); // eager, queued
  for (let i = 0; i < 3; i++) a = scale(a, np.asarray(2)); // jitted, queued behind it
  const b = np.negative(shift(a)); // eager after jitted after eager
  const expected = [...Array(4).keys()].map((c) => -([0, 1, 2].reduce((s, r) => s + (r * 4 + c + 1) * 8, 0) - 1));
  assert.deepStrictEqual([...await b.data()], expected);
});

test('a jitted function compiled in the middle of a batch writes its uniforms before its kernels run', { skip }, async () => {
  const data = Float32Array.from({ length: 1000 }, (_, i) => (i % 13) - 6);
  const x = devicePut(np.asarray(data), webgpu!);
  const results: TArray[] = [];
  // Each shape is a new plan whose uniform slots are written for the first time while the calls
  // before it are still queued; the batch submits them all together at the end.
  for (const n of [1000, 500, 250, 125]) {
    const head = jit((v: TArray) => np.cumsum(np.multiply(v, 2)));
    results.push(head(x.index(`:${n}`)));
  }
  for (const [k, n] of [1000, 500, 250, 125].entries()) {
    let s = 0;
    const want = Array.from(data.subarray(0, n), (v) => (s += 2 * v));
    assert.deepStrictEqual([...await results[k].data()], want, `prefix of ${n}`);
  }
});
