// Memory in an eager training loop: 10,000 steps of `w = w.sub(g.mul(0.01))` on a float32[256]
// array, awaiting the loss every 100 steps as a real loop does (which lets FinalizationRegistry
// callbacks run). Arrays are freed only by the garbage collector, so the user never disposes
// anything; the backend's memoryStats() must still show a bounded working set.
//
// V8 collects by JS-heap pressure, which a few hundred bytes of Array wrapper barely create, so the
// engine requests a full collection itself once a backend's live bytes have grown by its memory
// pressure threshold (64 MiB by default, see engine/backend/memory_pressure.ts). This suite lowers
// the threshold to 32 arrays so that 10,000 steps of 1 KiB arrays exercise it many times.
//
// Finalizers run only when the event loop turns, so nothing allocated between two awaits can be
// freed before the next one: the 2 arrays of each of the 100 steps are legitimately live then.
// Requirements (ARRAY_BYTES = 1 KiB; BOUND = (2 × 100 + 64) × ARRAY_BYTES, i.e. one period's
// allocations plus 64 arrays):
//   * live bytes < BOUND at every sample of the second half of the run and after the loop;
//   * no growth over the second half: the peak of live bytes over the last quarter of the run is at
//     most the peak over the third quarter plus 64 arrays; the same for pooled bytes;
//   * and, separately, at the default threshold, after a forced full GC every dead array's buffer is
//     released (no leak that GC cannot fix). Forcing GC uses V8's runtime flag, only in that test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { numpy as np, devices } from '../../engine/index.js';
import type { Array as TArray } from '../../engine/index.js';
import { memoryPressureThreshold, setMemoryPressureThreshold } from '../../engine/backend/memory_pressure.js';
import { forEachBackend, type Platform } from './helpers.js';

const N = 256;
const ARRAY_BYTES = N * 4;
const STEPS = 10_000;
const SAMPLE_EVERY = 100;
const SLACK = 64 * ARRAY_BYTES;
const BOUND = 2 * SAMPLE_EVERY * ARRAY_BYTES + SLACK;
const THRESHOLD = 32 * ARRAY_BYTES;

interface Sample { step: number; liveBuffers: number; liveBytes: number; pooledBytes: number }

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function trainingLoop(platform: Platform): Promise<{ samples: Sample[]; final: Sample; w: TArray }> {
  const backend = devices(platform)[0].backend;
  let w = np.zeros([N], { dtype: 'float32' });
  const g = np.ones([N], { dtype: 'float32' });
  const samples: Sample[] = [];
  const sample = (step: number): Sample => {
    const s = backend.memoryStats();
    return { step, liveBuffers: s.liveBuffers, liveBytes: s.liveBytes, pooledBytes: s.pooledBytes };
  };
  for (let step = 1; step <= STEPS; step++) {
    w = w.sub(g.mul(0.01));
    if (step % SAMPLE_EVERY === 0) {
      const loss = w.mul(w).sum();
      await loss.item();
      samples.push(sample(step));
    }
  }
  await w.blockUntilReady();
  for (let i = 0; i < 3; i++) await turn();
  return { samples, final: sample(STEPS), w };
}

const peak = (xs: Sample[], key: keyof Sample) => Math.max(...xs.map((s) => s[key]));
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

forEachBackend((platform) => {
  test(`${platform} › memory › ${STEPS} eager update steps keep live memory bounded without dispose()`, async () => {
    const defaultThreshold = memoryPressureThreshold();
    setMemoryPressureThreshold(THRESHOLD);
    let run: Awaited<ReturnType<typeof trainingLoop>>;
    try {
      run = await trainingLoop(platform);
    } finally {
      setMemoryPressureThreshold(defaultThreshold);
    }
    const { samples, final, w } = run;
    // The loop computed what it should: 10,000 steps of -0.01.
    const v = (await w.data())[0];
    assert.ok(Math.abs(v - -100) < 1e-2, `w[0] = ${v}, expected about -100`);

    const q = samples.length / 4;
    const third = samples.slice(2 * q, 3 * q), last = samples.slice(3 * q);
    const trace = samples.filter((_, i) => i % 10 === 9)
      .map((s) => `step ${s.step}: ${s.liveBuffers} live buffers, ${kib(s.liveBytes)} live, ${kib(s.pooledBytes)} pooled`).join('\n    ');
    const problems: string[] = [];
    const over = samples.slice(2 * q).filter((x) => x.liveBytes >= BOUND);
    if (over.length) {
      const worst = over.reduce((a, b) => (b.liveBytes > a.liveBytes ? b : a));
      problems.push(`${over.length} samples of the second half have live bytes >= ${kib(BOUND)}, up to ${kib(worst.liveBytes)} at step ${worst.step}`);
    }
    if (final.liveBytes >= BOUND) {
      problems.push(`after the loop ${kib(final.liveBytes)} (${final.liveBuffers} buffers) are live; the bound is ${kib(BOUND)}`);
    }
    if (peak(last, 'liveBytes') > peak(third, 'liveBytes') + SLACK) {
      problems.push(`live bytes grow: peak ${kib(peak(third, 'liveBytes'))} in the third quarter, ${kib(peak(last, 'liveBytes'))} in the last`);
    }
    if (peak(last, 'pooledBytes') > peak(third, 'pooledBytes') + SLACK) {
      problems.push(`pooled bytes grow: peak ${kib(peak(third, 'pooledBytes'))} in the third quarter, ${kib(peak(last, 'pooledBytes'))} in the last`);
    }
    if (problems.length) throw new Error(`${platform} › memory: ${problems.join('; ')}\n    ${trace}`);
  });

  test(`${platform} › memory › after a forced GC, the buffers of dead arrays are released`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const backend = devices(platform)[0].backend;
    gc();
    for (let i = 0; i < 3; i++) await turn();
    const before = backend.memoryStats().liveBytes;
    let w = np.zeros([N], { dtype: 'float32' });
    const g = np.ones([N], { dtype: 'float32' });
    for (let step = 1; step <= 1000; step++) {
      w = w.sub(g.mul(0.01));
      if (step % SAMPLE_EVERY === 0) await w.sum().item();
    }
    await w.blockUntilReady();
    // FinalizationRegistry callbacks run in tasks after the collection.
    for (let i = 0; i < 5; i++) { gc(); await turn(); }
    const after = backend.memoryStats();
    assert.ok(after.liveBytes - before < SLACK,
      `${platform}: ${kib(after.liveBytes - before)} more live bytes (${after.liveBuffers} live buffers) after 1000 steps and a full GC; ` +
      `only w and g (${kib(2 * ARRAY_BYTES)}) are still reachable`);
    assert.equal(w.shape[0], N);
    assert.equal(g.shape[0], N);
  });
});
