// Jitted programs on webgpu compute what the same programs compute eagerly, within the golden
// tolerances (1e-6 relative for exact ops, 4 ulp where a transcendental is involved; integers and
// bools exactly). Each case also states how many kernels its plan has, so fusion regressions show.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { numpy as np, jit, lax, nn, makeJaxpr } from '../../engine/index.js';
import { planFor } from '../../engine/backend/webgpu/jit/index.js';
import type { WebGPUBackend } from '../../engine/backend/webgpu/webgpu_backend.js';
import { cond, whileLoop } from '../../engine/lax/control_flow/index.js';
import type { Tol } from '../engine/helpers.js';
import { compareResults, gpuTest, randomFloats, webgpu } from './helpers.js';

type A = ReturnType<typeof np.asarray>;
const arr = (shape: number[], seed: number, lo = -1, hi = 1) => np.asarray(randomFloats(shape.reduce((a, b) => a * b, 1), seed, lo, hi)).reshape(shape);
const ints = (shape: number[], seed: number, lo: number, hi: number) =>
  np.asarray(Int32Array.from(randomFloats(shape.reduce((a, b) => a * b, 1), seed, lo, hi), Math.floor)).reshape(shape);

interface Case {
  name: string;
  fn: (...xs: A[]) => unknown;
  args: () => A[];
  tol: Tol;
  /** Kernels in the plan (fused or library), when the case is about fusion. */
  kernels?: number;
}

const mlp = (x: A, w1: A, b1: A, w2: A, b2: A) => {
  const h = np.tanh(np.add(np.matmul(x, w1), b1));
  const logits = np.add(np.matmul(h, w2), b2);
  return np.mean(np.negative(nn.logSoftmax(logits, { axis: -1 })));
};

const cases: Case[] = [
  {
    name: 'elementwise chain with broadcasting (rank 0, size-1 dims, broadcast_in_dim) and literals',
    fn: (x, b, s) => np.subtract(np.tanh(np.divide(np.add(np.multiply(x, 2.5), b), np.add(s, 1))), 0.25),
    args: () => [arr([64, 33], 1), arr([33], 2), arr([], 3, 0, 1)], tol: 'ulp', kernels: 1,
  },
  {
    name: 'broadcast of a column and a row (outer-product shaped)',
    fn: (c, r) => np.exp(np.multiply(np.subtract(c, r), 0.5)),
    args: () => [arr([40, 1], 4), arr([1, 30], 5)], tol: 'ulp', kernels: 1,
  },
  {
    name: 'reshapes and expand/squeeze between elementwise ops',
    fn: (x) => np.add(np.sqrt(np.abs(x)).reshape([6, 4, 5]), np.expandDims(np.ones([4, 5]), 0)).reshape([120]),
    args: () => [arr([24, 5], 6)], tol: 'rel', kernels: 1,
  },
  { name: 'sum over axis 0', fn: (x) => np.sum(np.multiply(x, x), { axis: 0 }), args: () => [arr([6, 5, 130], 7)], tol: 'rel', kernels: 1 },
  { name: 'sum over axis 1', fn: (x) => np.sum(x, { axis: 1 }), args: () => [arr([6, 5, 130], 8)], tol: 'rel', kernels: 1 },
  { name: 'sum over axes (0, 2)', fn: (x) => np.sum(np.exp(x), { axis: [0, 2] }), args: () => [arr([6, 5, 130], 9)], tol: 'ulp', kernels: 1 },
  { name: 'sum over all axes, 2 passes (100k elements)', fn: (x) => np.sum(np.multiply(x, 3)), args: () => [arr([100, 1000], 10)], tol: 'rel', kernels: 1 },
  { name: 'max and min over the last axis', fn: (x) => [np.max(x, { axis: -1 }), np.min(np.negative(x), { axis: -1 })], args: () => [arr([37, 5000], 11)], tol: 'rel' },
  { name: 'reductions over an empty axis and of an empty array', fn: (x, e) => [np.sum(np.exp(x), { axis: 1 }), np.prod(x, { axis: 1 }), np.add(e, 1)], args: () => [np.zeros([3, 0]), np.zeros([0, 4])], tol: 'rel' },
  { name: 'prod over a short axis', fn: (x) => np.prod(np.add(x, 1.5), { axis: 1 }), args: () => [arr([50, 7], 12)], tol: 'rel', kernels: 1 },
  { name: 'mean (a reduction with an elementwise epilogue)', fn: (x) => np.mean(x, { axis: -1 }), args: () => [arr([20, 300], 13)], tol: 'rel', kernels: 1 },
  { name: 'variance', fn: (x) => np.variance(x, { axis: 0 }), args: () => [arr([300, 20], 14)], tol: 'rel' },
  { name: 'any / all of comparisons (reduce_or, reduce_and on bool)', fn: (x) => [np.any(np.greater(x, 0.99), { axis: 1 }), np.all(np.less(x, 0.9), { axis: 0 })], args: () => [arr([30, 200], 15)], tol: 'rel' },
  { name: 'argmax (library kernel) after a fused producer', fn: (x) => np.argmax(np.abs(np.subtract(x, 0.3)), { axis: 1 }), args: () => [arr([30, 200], 16)], tol: 'rel' },
  {
    name: 'matmul + bias + relu',
    fn: (x, w, b) => nn.relu(np.add(np.matmul(x, w), b)),
    args: () => [arr([32, 64], 17), arr([64, 48], 18), arr([48], 19)], tol: 'rel',
  },
  { name: 'batched matmul with a scaled operand', fn: (a, b) => np.matmul(np.multiply(a, 0.5), b), args: () => [arr([3, 16, 20], 20), arr([3, 20, 12], 21)], tol: 'rel' },
  { name: 'softmax', fn: (x) => nn.softmax(x, { axis: -1 }), args: () => [arr([16, 100], 22, -4, 4)], tol: 'ulp', kernels: 3 },
  { name: 'MLP forward with a log-softmax loss', fn: mlp, args: () => [arr([8, 20], 23), arr([20, 32], 24), arr([32], 25), arr([32, 10], 26), arr([10], 27)], tol: 'ulp' },
  {
    name: 'indexing: slices, an integer-array gather, and take',
    fn: (x, i) => [np.multiply(x.index('1:5', '::2'), 2), np.add(x.index(i), 1), np.take(np.exp(x), i, { axis: 1 })],
    args: () => [arr([8, 10], 28), ints([5], 29, 0, 8)], tol: 'ulp',
  },
  { name: 'scatter-add (x.at[i].add)', fn: (x, i) => np.sqrt(np.abs(x.at(i).add(np.ones([3, 10])))), args: () => [arr([8, 10], 30), ints([3], 31, 0, 8)], tol: 'rel' },
  {
    name: 'multiple outputs of one chain, and an input and a literal returned as they are',
    fn: (x) => { const a = np.add(x, 1); const b = np.multiply(a, 2); return [a, b, np.sum(b), x, 7]; },
    args: () => [arr([100], 32)], tol: 'rel',
  },
  {
    name: 'int32 arithmetic: floor division, remainder, shifts, and where',
    fn: (i, j) => np.where(np.greater(i, j), np.floorDivide(i, np.add(np.abs(j), 1)), np.leftShift(np.remainder(j, 7), 2)),
    args: () => [ints([500], 33, -100, 100), ints([500], 34, -100, 100)], tol: 'rel', kernels: 1,
  },
  {
    name: 'bool logic and conversions (bool ↔ float ↔ int)',
    fn: (x) => { const m = np.logicalAnd(np.greater(x, -0.5), np.logicalNot(np.greater(x, 0.5))); return np.add(m.astype('float32'), np.multiply(x, 10).astype('int32').astype('float32')); },
    args: () => [arr([300], 35)], tol: 'rel', kernels: 1,
  },
  {
    name: 'float16 chain (each step rounded to f16, as stored eagerly)',
    fn: (x) => np.sum(np.multiply(np.exp(x.astype('float16')), np.asarray(1.5, { dtype: 'float16' })), { axis: 0 }),
    args: () => [arr([64, 8], 36)], tol: 'ulp',
  },
  {
    name: 'vec4 kernels: bool and int32 outputs, a scalar operand, a size that is not a multiple of 4',
    fn: (x, y, s) => [np.greater(x, y), np.add(np.multiply(x, 100).astype('int32'), 3), np.multiply(x, s), np.exp(y.index(':401'))],
    args: () => [arr([404], 42), arr([404], 43), arr([], 44)], tol: 'ulp',
  },
  { name: 'arange (iota) fused with arithmetic', fn: (x) => np.multiply(x, np.arange(12, { dtype: 'float32' }).reshape([3, 4])), args: () => [arr([3, 4], 37)], tol: 'rel', kernels: 1 },
  { name: 'cumsum, sort and transpose (library kernels) between fused ops', fn: (x) => np.exp(np.sort(np.cumsum(np.multiply(x, 2), { axis: 0 }).T, { axis: -1 })), args: () => [arr([20, 6], 38)], tol: 'ulp' },
  {
    name: 'lax.cond inside jit (a host step between two segments)',
    fn: (p, x) => np.multiply(cond(np.greater(p, 0), (y: A) => np.exp(y), (y: A) => np.negative(y), np.add(x, 1)) as A, 2),
    args: () => [arr([], 39, 0.1, 1), arr([50], 40)], tol: 'ulp',
  },
  {
    name: 'lax.whileLoop inside jit',
    fn: (x) => np.add(whileLoop((c: A[]) => np.less(c[0], 5), (c: A[]) => [np.add(c[0], 1), np.multiply(c[1], 1.5)], [np.asarray(0), np.sin(x)])[1], 1),
    args: () => [arr([10], 41)], tol: 'ulp',
  },
];

describe('jitted programs equal eager ones on webgpu', () => {
  for (const c of cases) {
    gpuTest(c.name, async () => {
      const args = c.args();
      const eager = c.fn(...args);
      const jitted = jit(c.fn)(...args);
      const problems = await compareResults(jitted, eager, c.tol);
      assert.deepEqual(problems, [], `${c.name}:\n${problems.join('\n')}`);
      if (c.kernels !== undefined) {
        const plan = planFor(makeJaxpr(c.fn)(...args), webgpu());
        assert.equal(plan.kernels.length, c.kernels, plan.describe({ wgsl: false }));
      }
    });
  }

  gpuTest('fused reductions fold in the eager kernels\' order: sums are bit-identical (serial, one-pass and two-pass trees)', async () => {
    const x = arr([6, 5, 130], 50, -10, 10), y = arr([100, 1000], 51, -10, 10), z = arr([37, 5000], 52, -10, 10);
    const f = (a: A, b: A, c: A) => [
      np.sum(a, { axis: 0 }), np.sum(a, { axis: [0, 2] }), np.sum(a, { axis: 1 }), np.sum(b), np.sum(c, { axis: -1 }), np.sum(c, { axis: 0 }),
      np.max(c, { axis: -1 }), np.prod(np.multiply(a, 0.1), { axis: 2 }),
    ];
    assert.deepEqual(await compareResults(jit(f)(x, y, z), f(x, y, z), 'bits'), []);
  });

  gpuTest('lax primitives with JAX semantics at the edges (NaN max, -0 min, integer division by zero, shifts past 32)', async () => {
    const f = (x: A, y: A, i: A, j: A) => [lax.max(x, y), lax.min(x, y), lax.div(i, j), lax.shiftLeft(i, j), lax.rem(i, j)];
    const x = np.asarray([NaN, 0, -0, 1, Infinity]), y = np.asarray([1, -0, 0, NaN, -Infinity]);
    const i = np.asarray([7, -7, 5, 1, -2147483648], { dtype: 'int32' }), j = np.asarray([0, 2, 33, 31, -1], { dtype: 'int32' });
    assert.deepEqual(await compareResults(jit(f)(x, y, i, j), f(x, y, i, j), 'bits'), []);
  });

  gpuTest('the jit executor is for webgpu only: on the cpu device the interpreter runs the jaxpr', async () => {
    const { devicePut, devices } = await import('../../engine/index.js');
    const cpu = devices('cpu')[0];
    const backend = webgpu().backend as WebGPUBackend;
    const before = backend.submissions;
    const x = devicePut(np.asarray([1, 2, 3], { dtype: 'float32' }), cpu);
    const y = jit((a: A) => np.exp(np.add(a, 1)))(x);
    assert.equal(y.device.platform, 'cpu');
    assert.deepEqual(await compareResults(y, np.exp(np.add(x, 1)), 'ulp'), []);
    assert.equal(backend.submissions, before, 'nothing was submitted to the GPU');
  });
});
