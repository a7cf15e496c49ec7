// Reductions over long contiguous rows on the webgpu backend (full reductions and reductions over
// trailing axes with more than 4096 elements per output), which run as barrier-free strip passes
// with vec4 loads and then one tree per output. The golden suites use small arrays, so these
// sizes are checked here: against exactly computable results (integer-valued floats whose every
// partial sum is exact in f32), NaN propagation, every combiner, odd lengths that cannot use vec4
// loads, and rows that need two strip passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, devices, devicePut, type Array as TArray } from '../../engine/index.js';

const webgpu = devices().find((d) => d.platform === 'webgpu');
const skip = webgpu ? false : 'no WebGPU adapter';

function onGpu(data: Float32Array | Int32Array, shape: number[]): TArray {
  return devicePut(np.asarray(data).reshape(shape), webgpu!);
}

/** Small integers (-3…3) whose sums stay exact in f32: the result must equal the exact sum. */
function integers(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 7) - 3);
}

const exactSum = (a: ArrayLike<number>, from = 0, to = a.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
};

test('a full f32 sum of 4M elements (a strip pass, then the final tree) is exact on integer data', { skip }, async () => {
  const n = 4 * 1024 * 1024;
  const data = integers(n, 1);
  assert.equal(await np.sum(onGpu(data, [n])).item(), exactSum(data));
});

test('sums of lengths that are not a multiple of 4 (scalar loads) and of odd row counts', { skip }, async () => {
  for (const n of [4097, 100_003, 262_145]) {
    const data = integers(n, n);
    assert.equal(await np.sum(onGpu(data, [n])).item(), exactSum(data), `n = ${n}`);
  }
  const rows = 3, cols = 50_001;
  const data = integers(rows * cols, 5);
  const got = await np.sum(onGpu(data, [rows, cols]), { axis: -1 }).data();
  assert.deepEqual([...got], [0, 1, 2].map((r) => exactSum(data, r * cols, (r + 1) * cols)));
});

test('reductions over several trailing axes, with keepdims, match row sums', { skip }, async () => {
  const shape = [5, 30, 400];
  const data = integers(5 * 30 * 400, 11);
  const got = np.sum(onGpu(data, shape), { axis: [1, 2], keepdims: true });
  assert.deepEqual(got.shape, [5, 1, 1]);
  assert.deepEqual([...await got.data()], [0, 1, 2, 3, 4].map((r) => exactSum(data, r * 12_000, (r + 1) * 12_000)));
});

test('max and min propagate a NaN anywhere in a long row; prod, int32 sum, any and all', { skip }, async () => {
  const n = 70_000;
  const data = integers(n, 3);
  data[12_345] = 9;
  data[54_321] = -8;
  const x = onGpu(data, [n]);
  assert.equal(await np.max(x).item(), 9);
  assert.equal(await np.min(x).item(), -8);
  const withNan = data.slice();
  withNan[n - 1] = NaN;
  assert.ok(Number.isNaN(await np.max(onGpu(withNan, [n])).item() as number));
  assert.ok(Number.isNaN(await np.min(onGpu(withNan, [2, n / 2]), { axis: 1 }).data().then((d) => d[1])));

  const factors = new Float32Array(n).fill(1);
  factors[10] = 2; factors[40_000] = 0.5; factors[69_999] = 8;
  assert.equal(await np.prod(onGpu(factors, [n])).item(), 8);

  const ints = Int32Array.from(integers(n, 9));
  assert.equal(await np.sum(onGpu(ints, [n])).item(), exactSum(ints));

  const positive = onGpu(factors, [n]);
  assert.equal(await np.all(np.greater(positive, 0)).item(), true);
  assert.equal(await np.any(np.greater(positive, 4)).item(), true);
  assert.equal(await np.any(np.greater(positive, 9)).item(), false);
});

test('float16 sums of long rows accumulate in f32', { skip }, async () => {
  const x = devicePut(np.ones([40_000], { dtype: 'float16' }), webgpu!);
  const s = np.sum(x);
  assert.equal(s.dtype, 'float16');
  assert.equal(await s.item(), 40_000);
});

test('jitted reductions of long rows fold in the eager order: fused sums are bit-identical', { skip }, async () => {
  const { jit } = await import('../../engine/index.js');
  const n = 3 * 33_335; // odd: scalar loads
  const noisy = Float32Array.from({ length: 4 * n }, (_, i) => Math.sin(i * 12.9898) * 437.5);
  const x = onGpu(noisy.subarray(0, n), [n]);
  const rows = onGpu(noisy, [4, n]);
  const big = onGpu(noisy, [4 * n]);
  const f = (a: TArray, b: TArray, c: TArray) => [
    np.sum(np.exp(np.multiply(a, 0.01))), np.max(np.abs(b), { axis: -1 }), np.sum(np.multiply(b, b), { axis: 1 }), np.sum(np.tanh(c)),
  ];
  const fused = jit(f)(x, rows, big), eager = f(x, rows, big);
  for (let k = 0; k < fused.length; k++) {
    const [a, b] = [await fused[k].data(), await eager[k].data()];
    assert.deepStrictEqual([...a], [...b], `output ${k}`); // Object.is per element: bit-identical
  }
});
