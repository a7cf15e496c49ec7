// Random programs (fixed seeds): chains and diamonds of elementwise ops, broadcasts of reductions,
// matmuls and multiple outputs, jitted on webgpu and compared with eager evaluation. They exercise
// fusion decisions (multi-output, siblings, prologues, epilogues, cycles around library kernels)
// that hand-written cases miss.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { numpy as np, jit, makeJaxpr } from '../../engine/index.js';
import { planFor } from '../../engine/backend/webgpu/jit/index.js';
import { compareResults, gpuTest, randomFloats, webgpu } from './helpers.js';

type A = ReturnType<typeof np.asarray>;

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return Math.floor((s / 2 ** 32) * n); };
}

/** A random program over [8, 12] arrays: a list of steps, each reading earlier values. */
function randomProgram(seed: number): (x: A, y: A) => A[] {
  const r = rng(seed);
  const steps: ((vals: A[]) => A)[] = [];
  const nSteps = 8 + r(10);
  for (let k = 0; k < nSteps; k++) {
    const choice = r(10);
    const a = r(2 + k), b = r(2 + k);
    switch (choice) {
      case 0: steps.push((v) => np.tanh(v[a])); break;
      case 1: steps.push((v) => np.multiply(v[a], 0.5)); break;
      case 2: steps.push((v) => np.add(v[a], v[b])); break;
      case 3: steps.push((v) => np.subtract(v[a], np.sin(v[b]))); break;
      case 4: steps.push((v) => np.multiply(v[a], np.mean(v[b], { axis: 1, keepdims: true }))); break;
      case 5: steps.push((v) => np.subtract(v[a], np.max(v[b], { axis: 0, keepdims: true }))); break;
      case 6: steps.push((v) => np.multiply(np.matmul(np.matmul(v[a], np.transpose(v[b])), v[a]), 0.01)); break;
      case 7: steps.push((v) => np.where(np.greater(v[a], 0), v[b], np.negative(v[a]))); break;
      case 8: steps.push((v) => np.add(v[a], np.sum(v[b]))); break;
      default: steps.push((v) => np.maximum(v[a], np.multiply(v[b], 0.25)));
    }
  }
  const outs = [nSteps + 1, ...[0, 1, 2].map(() => 2 + r(nSteps))];
  return (x: A, y: A) => {
    const vals: A[] = [x, y];
    for (const s of steps) vals.push(s(vals));
    return [...new Set(outs)].map((i) => vals[i]);
  };
}

describe('random programs: jitted equals eager on webgpu', () => {
  for (let seed = 1; seed <= 24; seed++) {
    gpuTest(`program ${seed}`, async () => {
      const f = randomProgram(seed * 7919);
      const x = np.asarray(randomFloats(96, seed)).reshape([8, 12]);
      const y = np.asarray(randomFloats(96, seed + 100)).reshape([8, 12]);
      const closed = makeJaxpr(f)(x, y);
      const plan = planFor(closed, webgpu());
      // No equation is in two kernels (dead ones are in none).
      const eqns = plan.kernels.flatMap((k) => k.eqns);
      assert.equal(new Set(eqns).size, eqns.length);
      assert.ok(eqns.every((i) => i >= 0 && i < closed.jaxpr.eqns.length));
      const problems = await compareResults(jit(f)(x, y), f(x, y), 'ulp');
      assert.deepEqual(problems, [], `${problems.join('\n')}\n${plan.describe({ wgsl: false })}`);
    });
  }
});
