// Fusion, caching and buffer reuse of jitted programs on the webgpu device, counted on WebGPU itself
// (every dispatchWorkgroups and queue.submit of the process goes through the counter).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { numpy as np, jit, makeJaxpr, nn } from '../../engine/index.js';
import { RETAINED_BYTES_BUDGET, jitPlansCompiled, lastPlan, planFor } from '../../engine/backend/webgpu/jit/index.js';
import type { WebGPUBackend } from '../../engine/backend/webgpu/webgpu_backend.js';
import { compareResults, countGpuWork, gpuTest, randomFloats, webgpu } from './helpers.js';
import { chain10 } from '../../bench/workloads.js';

type A = ReturnType<typeof np.asarray>;

describe('jit fusion on webgpu', () => {
  const M = 4 * 1024 * 1024;
  gpuTest('a chain of 10 elementwise ops on 4M elements runs as one dispatch and one submission, bit-identical to eager', async () => {
    const dev = webgpu();
    const x = np.asarray(randomFloats(M, 1)), y = np.asarray(randomFloats(M, 2));
    assert.equal(x.device, dev);
    const f = jit(chain10);
    assert.equal(makeJaxpr(chain10)(x, y).jaxpr.eqns.length, 10);
    f(x, y); // compile
    const { result, dispatches, submissions } = await countGpuWork(() => f(x, y));
    assert.equal(dispatches, 1, 'dispatches counted on WebGPU');
    assert.equal(submissions, 1, 'queue submissions counted on WebGPU');
    const plan = lastPlan()!;
    assert.equal(plan.kernels.length, 1);
    assert.equal(plan.kernels[0].kind, 'elementwise');
    assert.deepEqual(plan.kernels[0].eqns, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(plan.dispatchesPerCall, 1);
    assert.equal(plan.lastCall.dispatches, 1);
    // The same computation eagerly: ten dispatches.
    const eager = await countGpuWork(() => chain10(x, y));
    assert.equal(eager.dispatches, 10);
    const [a, b] = [await result.data(), await eager.result.data()];
    let differ = 0;
    for (let i = 0; i < M; i++) if (!Object.is(a[i], b[i])) differ++;
    assert.equal(differ, 0, 'fused and eager results are bit-identical');
  });

  gpuTest('later calls compile no pipeline, create no bind group and rewrite no uniforms', async () => {
    const backend = webgpu().backend as WebGPUBackend;
    const x = np.asarray(randomFloats(1000, 3)), y = np.asarray(randomFloats(1000, 4));
    const g = jit((p: A, q: A) => {
      const h = nn.relu(np.add(np.matmul(p.reshape([40, 25]), q.reshape([25, 40])), 1));
      return [np.sum(h, { axis: 1 }), np.tanh(h)];
    });
    // Steady state: each call's results are dropped before the next (as a training loop drops the
    // previous step's), so the pool hands the next call the same buffers.
    const dispose = (r: unknown) => (r as A[]).forEach((a) => a.dispose());
    dispose(g(x, y));
    const plansBefore = jitPlansCompiled();
    const pipelinesBefore = backend.pipelinesCompiled;
    dispose(g(x, y));
    const second = await countGpuWork(() => g(x, y));
    assert.equal(backend.pipelinesCompiled, pipelinesBefore, 'no pipeline compiled on the second call');
    assert.equal(jitPlansCompiled(), plansBefore, 'the plan is cached');
    const stats = lastPlan()!.lastCall;
    assert.equal(stats.bindGroupsCreated, 0, 'bind groups cached');
    assert.equal(stats.uniformWrites, 0, 'uniform blocks unchanged');
    assert.equal(stats.submissions, 1);
    assert.equal(second.submissions, 1);
    assert.deepEqual(await compareResults(second.result, [np.sum(nn.relu(np.add(np.matmul(x.reshape([40, 25]), y.reshape([25, 40])), 1)), { axis: 1 }),
      np.tanh(nn.relu(np.add(np.matmul(x.reshape([40, 25]), y.reshape([25, 40])), 1)))], 'ulp'), []);
  });

  gpuTest('intermediates share buffers: fewer buffers than values, and fewer than equations', async () => {
    // Four softmax layers: each leaves a max, the exponentials and a sum between kernels.
    const layers = (x: A) => {
      let h = x;
      for (let i = 0; i < 4; i++) h = nn.softmax(np.multiply(h, 3), { axis: -1 });
      return h;
    };
    const x = np.asarray(randomFloats(64 * 96, 5)).reshape([64, 96]);
    const closed = makeJaxpr(layers)(x);
    const plan = planFor(closed, webgpu());
    const { intermediates, buffers } = plan.buffers;
    assert.ok(intermediates >= 8, `intermediates: ${intermediates}`);
    assert.ok(buffers < intermediates, `${buffers} buffers for ${intermediates} intermediates`);
    assert.ok(buffers < closed.jaxpr.eqns.length, `${buffers} buffers for ${closed.jaxpr.eqns.length} equations`);
    // At run time: once warm, calls create no buffers at all (the pool hands back the same ones).
    const f = jit(layers);
    f(x).dispose(); f(x).dispose();
    await webgpu().backend.synchronize();
    const created = webgpu().backend.memoryStats().created;
    for (let i = 0; i < 3; i++) f(x).dispose();
    await webgpu().backend.synchronize();
    assert.equal(webgpu().backend.memoryStats().created, created);
    assert.deepEqual(await compareResults(f(x), layers(x), 'ulp'), []);
  });

  gpuTest('intermediate buffers are kept for the next call within a byte budget, else returned to the pool', async () => {
    const f = (x: A) => np.sum(np.exp(np.matmul(x, x)), { axis: 0 });
    const x = np.asarray(randomFloats(64 * 64, 10)).reshape([64, 64]);
    const plan = planFor(makeJaxpr(f)(x), webgpu());
    plan.run([x], webgpu());
    assert.ok(plan.retainedBytes >= 64 * 64 * 4, `kept ${plan.retainedBytes} bytes`);
    const budget = RETAINED_BYTES_BUDGET.bytes;
    try {
      RETAINED_BYTES_BUDGET.bytes = 1024;
      const pooled = webgpu().backend.memoryStats().pooledBytes;
      plan.run([x], webgpu());
      assert.equal(plan.retainedBytes, 0);
      await webgpu().backend.synchronize();
      assert.ok(webgpu().backend.memoryStats().pooledBytes > pooled, 'the buffers went back to the pool');
    } finally {
      RETAINED_BYTES_BUDGET.bytes = budget;
    }
  });

  gpuTest('plans are inspectable: kernels with names, WGSL, equations, operands and workgroups, and a text listing', async () => {
    const f = (x: A, w: A) => nn.relu(np.add(np.matmul(x, w), 1));
    const x = np.asarray(randomFloats(64, 8)).reshape([8, 8]), w = np.asarray(randomFloats(64, 9)).reshape([8, 8]);
    const closed = makeJaxpr(f)(x, w);
    const plan = planFor(closed, webgpu());
    const ks = plan.kernels;
    assert.deepEqual(ks.map((k) => k.kind), ['library', 'elementwise']);
    assert.equal(ks[0].name, 'dot_general');
    assert.deepEqual(ks[0].inputs, ['a:f32[8,8]', 'b:f32[8,8]']);
    assert.deepEqual(ks[1].outputs.length, 1);
    assert.match(ks[1].name, /^fused\[add, max\]$/);
    assert.equal(ks[1].wgsl.length, 1);
    assert.match(ks[1].wgsl[0], /@compute/);
    assert.equal(ks[1].workgroups.length, 1);
    // Every equation of the jaxpr is in exactly one kernel.
    assert.deepEqual(ks.flatMap((k) => k.eqns).sort((p, q) => p - q), closed.jaxpr.eqns.map((_, i) => i));
    // Library kernels' WGSL is known once they have run.
    assert.equal(ks[0].wgsl.length, 0);
    plan.run([x, w], webgpu());
    assert.ok(plan.kernels[0].wgsl.length >= 1);
    const text = plan.describe();
    assert.match(text, /^2 kernels for 3 equations/);
    assert.match(text, /#1 fused\[add, max\]/);
    assert.match(text, /--- wgsl ---/);
    assert.doesNotMatch(plan.describe({ wgsl: false }), /@compute/);
  });

  gpuTest('jitted functions without inputs, with repeated outputs, and returning inputs', async () => {
    const x = np.asarray([1, 2, 3, 4], { dtype: 'float32' });
    const f = jit((a: A) => { const b = np.exp(a); return [b, b, a, np.arange(5, { dtype: 'float32' })]; });
    const [b1, b2, a, r] = f(x) as A[];
    assert.equal(a, x, 'an input returned as is is the same array');
    assert.equal(b1, b2);
    assert.deepEqual(await compareResults([b1, r], [np.exp(x), np.arange(5, { dtype: 'float32' })], 'ulp'), []);
    const g = jit(() => np.multiply(np.arange(6, { dtype: 'int32' }), 2));
    assert.deepEqual(Array.from(await (g() as A).data()), [0, 2, 4, 6, 8, 10]);
  });

  gpuTest('unfused plans (one kernel per equation) compute the same values with more dispatches', async () => {
    const x = np.asarray(randomFloats(4096, 6)), y = np.asarray(randomFloats(4096, 7));
    const closed = makeJaxpr(chain10)(x, y);
    const fused = planFor(closed, webgpu());
    const unfused = planFor(closed, webgpu(), { fuse: false });
    assert.equal(fused.kernels.length, 1);
    assert.equal(unfused.kernels.length, 10);
    assert.deepEqual(await compareResults(unfused.run([x, y], webgpu()), fused.run([x, y], webgpu()), 'rel'), []);
  });
});
