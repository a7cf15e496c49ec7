// Random programs (fixed seeds): chains and diamonds of elementwise ops, broadcasts of reductions,
// matmuls and multiple outputs, jitted on webgpu and compared with eager evaluation. They exercise
// fusion decisions (multi-output, siblings, prologues, epilogues, cycles around library kernels)
// that hand-written cases miss. Random graphs (many consumers per value, many outputs, library
// kernels between fused ones) are also scheduled at several binding limits without a GPU, where a
// cycle of kernels shows as the scheduler's internal error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { numpy as np, jit, makeJaxpr, type ClosedJaxpr } from '../../engine/index.js';
import { planFor } from '../../engine/backend/webgpu/jit/index.js';
import { buildProgram } from '../../engine/backend/webgpu/jit/program.js';
import { schedule } from '../../engine/backend/webgpu/jit/schedule.js';
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

const UNARY: ((a: A) => A)[] = [np.sin, np.cos, np.tanh, (a) => np.multiply(a, 0.5)];
const BINARY: ((a: A, b: A) => A)[] = [np.add, np.subtract, np.multiply, np.maximum];

/**
 * A random graph over [4, 6] values (x, y) and a [6, 6] matrix w: single operations whose operands
 * are mostly recent values (so values have several consumers), reductions of a binary operation
 * (a prologue) along a row, a column or everything, library kernels (rev, matmul) between fused
 * ones, and about half the values returned (stored, so placed by multi-output or sibling fusion).
 */
function randomGraph(seed: number): (x: A, y: A, w: A) => A[] {
  const r = rng(seed);
  const steps: ((vals: A[], w: A) => A)[] = [];
  const nSteps = 6 + r(10);
  const operand = (k: number) => (r(3) !== 0 ? Math.max(0, k + 1 - r(4)) : r(2 + k));
  for (let k = 0; k < nSteps; k++) {
    const a = operand(k), b = operand(k), op = r(4), axis = r(3);
    switch (r(8)) {
      case 0: case 1: steps.push((v) => UNARY[op](v[a])); break;
      case 2: case 3: case 4: steps.push((v) => BINARY[op](v[a], v[b])); break;
      case 5: steps.push((v) => {
        const t = BINARY[op](v[a], v[b]);
        return (op % 2 ? np.sum : np.max)(t, axis === 2 || t.ndim === 0 ? {} : { axis, keepdims: true });
      }); break;
      case 6: steps.push((v) => (v[a].ndim ? v[a].index('::-1') : np.negative(v[a]))); break;
      default: steps.push((v, w) => np.matmul(np.add(v[a], v[0]), w));
    }
  }
  const outs = [nSteps + 1, ...Array.from({ length: nSteps }, (_, k) => (r(2) === 0 ? 2 + k : nSteps + 1))];
  return (x: A, y: A, w: A) => {
    const vals: A[] = [x, y];
    for (const s of steps) vals.push(s(vals, w));
    return [...new Set(outs)].map((i) => vals[i]);
  };
}

const graphInputs = (seed: number): [A, A, A] => [
  np.asarray(randomFloats(24, seed)).reshape([4, 6]),
  np.asarray(randomFloats(24, seed + 100)).reshape([4, 6]),
  np.asarray(randomFloats(36, seed + 200, -0.3, 0.3)).reshape([6, 6]),
];

/** Problems (empty when none) with a schedule: a cycle (thrown), an equation in two kernels, a kernel reading a later one. */
function scheduleProblems(closed: ClosedJaxpr, maxBindings: number): string[] {
  const prog = buildProgram(closed);
  let groups;
  try { groups = schedule(prog, { maxBindings }); } catch (e) { return [(e as Error).message]; }
  const kernelOf = new Map<unknown, number>();
  const problems: string[] = [];
  groups.forEach((g, k) => g.eqns.forEach((j) => {
    if (prog.eqns[j].outBinders.some((v) => kernelOf.has(v))) problems.push(`equation ${j} in two kernels`);
    prog.eqns[j].outBinders.forEach((v) => kernelOf.set(v, k));
  }));
  groups.forEach((g, k) => g.inputs.forEach((v) => {
    const p = kernelOf.get(v);
    if (p !== undefined && p >= k) problems.push(`kernel ${k} reads a value of kernel ${p}`);
  }));
  return problems;
}

describe('random graphs: the scheduler never makes a cycle of kernels', () => {
  test('1500 graphs at binding limits 4, 5, 6, 8 and 16', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 1500; seed++) {
      const closed = makeJaxpr(randomGraph(seed))(...graphInputs(seed));
      for (const maxBindings of [4, 5, 6, 8, 16]) {
        const problems = scheduleProblems(closed, maxBindings);
        if (problems.length) failures.push(`seed ${seed}, maxBindings ${maxBindings}: ${problems.join('; ')}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('random graphs: jitted equals eager on webgpu', () => {
  for (let seed = 1; seed <= 200; seed++) {
    gpuTest(`graph ${seed}`, async () => {
      const f = randomGraph(seed);
      const args = graphInputs(seed);
      const eager = f(...args);
      const problems = await compareResults(jit(f)(...args), eager, 'ulp');
      // A small device's decisions: fewer buffers per kernel, so other merges and side outputs.
      const small = planFor(makeJaxpr(f)(...args), webgpu(), { maxBindings: 5 });
      problems.push(...(await compareResults(small.run(args, webgpu()), eager, 'ulp')).map((p) => `maxBindings 5: ${p}`));
      assert.deepEqual(problems, [], `${problems.join('\n')}\n${small.describe({ wgsl: false })}`);
    });
  }
});
