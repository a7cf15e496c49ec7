// Memory in a jitted training loop: 10,000 Adam steps of a small MLP (8-16-1, tanh, fixed data),
// the whole step — valueAndGrad, optax.adam's update, applyUpdates — one jitted function, reading
// the loss back every 100 steps as a real loop does (which lets FinalizationRegistry callbacks run).
// Nothing is disposed by hand: the params and optimiser state of every step become garbage at the
// next, and the backend's memoryStats() must show a bounded working set.
//
// As in test/engine/memory.test.ts, the engine's memory-pressure threshold is lowered (to 64 KiB)
// so that V8 is asked for full collections during the run instead of only at 64 MiB of growth.
// Requirements:
//   * live bytes < BOUND = 2 MiB at every sample of the second half and after the loop. One step's
//     outputs (params, Adam's state, the loss) are about 1.9 KiB, so keeping any of them alive would
//     leak about 19 MiB over the run; the bound leaves room for what is legitimately live at a
//     sample: a period's outputs (finalizers run only between awaits) and, on the cpu device, which
//     interprets the jaxpr, every step's intermediates until the next collection, which the
//     pressure policy lets grow to about twice the working set;
//   * no growth: the peak of live bytes over the last quarter is at most the third quarter's peak
//     plus SLACK = 64 KiB; the same for all the bytes the backend holds (live + pooled). The pool
//     alone may grow by what a late collection moves into it from the live set (jitted calls
//     recorded into a shared command batch return their buffers when the batch is submitted, so
//     when a collection frees them varies from run to run); that is no growth of what is held.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, optax, tree, jit, valueAndGrad, devices, Array as TArray } from '../../engine/index.js';
import { memoryPressureThreshold, setMemoryPressureThreshold } from '../../engine/backend/memory_pressure.js';
import { forEachBackend, type Platform } from '../engine/helpers.js';

const STEPS = 10_000;
const SAMPLE_EVERY = 100;
const THRESHOLD = 64 * 1024;
const SLACK = 64 * 1024;
const BOUND = 2 * 1024 * 1024;

interface Mlp { w1: TArray; b1: TArray; w2: TArray; b2: TArray }
interface Sample { step: number; liveBuffers: number; liveBytes: number; pooledBytes: number }

// Deterministic data and init without a PRNG: smooth functions of the indices.
const x = np.sin(np.reshape(np.arange(32 * 8, { dtype: 'float32' }), [32, 8]).mul(0.37));
const y = np.cos(x.sum({ axis: 1, keepdims: true }));
const initParams = (): Mlp => ({
  w1: np.cos(np.reshape(np.arange(8 * 16, { dtype: 'float32' }), [8, 16]).mul(1.3)).mul(0.3),
  b1: np.zeros([16], { dtype: 'float32' }),
  w2: np.sin(np.reshape(np.arange(16, { dtype: 'float32' }), [16, 1]).mul(0.7)).mul(0.3),
  b2: np.zeros([1], { dtype: 'float32' }),
});
const loss = (p: Mlp) => np.mean(np.square(np.matmul(np.tanh(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2).sub(y)));

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const peak = (xs: Sample[], key: keyof Sample) => Math.max(...xs.map((s) => s[key]));
const bytesOf = (t: unknown) => tree.leaves(t).reduce((n: number, a) => n + (a as TArray).size * 4, 0);

async function train(platform: Platform) {
  const backend = devices(platform)[0].backend;
  const opt = optax.adam(1e-2);
  const step = jit((params: Mlp, state: unknown) => {
    const [value, grads] = valueAndGrad(loss)(params);
    const [updates, next] = opt.update(grads, state, params);
    return [optax.applyUpdates(params, updates), next, value];
  });
  let params = initParams();
  let state = opt.init(params);
  const stepBytes = bytesOf([params, state]) + 4;
  const samples: Sample[] = [];
  const sample = (s: number): Sample => {
    const m = backend.memoryStats();
    return { step: s, liveBuffers: m.liveBuffers, liveBytes: m.liveBytes, pooledBytes: m.pooledBytes };
  };
  let first = NaN, last = NaN;
  for (let i = 1; i <= STEPS; i++) {
    const [p, s, value] = step(params, state) as [Mlp, unknown, TArray];
    params = p; state = s;
    if (i % SAMPLE_EVERY === 0) {
      last = await value.item() as number;
      if (i === SAMPLE_EVERY) first = last;
      samples.push(sample(i));
    }
  }
  await params.w1.blockUntilReady();
  for (let i = 0; i < 3; i++) await turn();
  return { samples, final: sample(STEPS), stepBytes, first, last, state };
}

forEachBackend((platform) => {
  test(`${platform} › optax › ${STEPS} jitted Adam steps of an MLP keep live device memory bounded`, async (t) => {
    const defaultThreshold = memoryPressureThreshold();
    setMemoryPressureThreshold(THRESHOLD);
    let run: Awaited<ReturnType<typeof train>>;
    const started = Date.now();
    try {
      run = await train(platform);
    } finally {
      setMemoryPressureThreshold(defaultThreshold);
    }
    const { samples, final, stepBytes, first, last, state } = run;
    // The loop trained: the loss fell, and Adam counted every step.
    assert.ok(last < first / 2, `the loss should fall: ${first} after ${SAMPLE_EVERY} steps, ${last} after ${STEPS}`);
    assert.equal(await ((state as [{ count: TArray }])[0].count).item(), STEPS);

    const q = samples.length / 4;
    const third = samples.slice(2 * q, 3 * q), lastQuarter = samples.slice(3 * q);
    const trace = samples.filter((_, i) => i % 10 === 9)
      .map((s) => `step ${s.step}: ${s.liveBuffers} live buffers, ${kib(s.liveBytes)} live, ${kib(s.pooledBytes)} pooled`).join('\n    ');
    t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s; loss ${first.toPrecision(4)} → ${last.toPrecision(4)}; ` +
      `live bytes peak ${kib(peak(samples.slice(2 * q), 'liveBytes'))} in the second half (bound ${kib(BOUND)}), ${kib(final.liveBytes)} after; ` +
      `one step's outputs are ${kib(stepBytes)}`);
    const problems: string[] = [];
    const over = samples.slice(2 * q).filter((s) => s.liveBytes >= BOUND);
    if (over.length) problems.push(`${over.length} samples of the second half have live bytes >= ${kib(BOUND)}, up to ${kib(peak(over, 'liveBytes'))}`);
    if (final.liveBytes >= BOUND) problems.push(`after the loop ${kib(final.liveBytes)} are live; the bound is ${kib(BOUND)}`);
    if (peak(lastQuarter, 'liveBytes') > peak(third, 'liveBytes') + SLACK) {
      problems.push(`live bytes grow: peak ${kib(peak(third, 'liveBytes'))} in the third quarter, ${kib(peak(lastQuarter, 'liveBytes'))} in the last`);
    }
    const held = (quarter: Sample[]) => Math.max(...quarter.map((x) => x.liveBytes + x.pooledBytes));
    if (held(lastQuarter) > held(third) + SLACK) {
      problems.push(`held bytes (live + pooled) grow: peak ${kib(held(third))} in the third quarter, ${kib(held(lastQuarter))} in the last`);
    }
    if (problems.length) throw new Error(`${platform} › optax memory: ${problems.join('; ')}\n    ${trace}`);
  });
});
