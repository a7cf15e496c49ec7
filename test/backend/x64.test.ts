// float64: only with config.update('enableX64', true), only on the cpu device (WGSL has no f64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, config, devices } from '../../engine/index.js';

function withConfig<T>(x64: boolean, device: 'cpu' | 'webgpu' | null, fn: () => T): T {
  config.update('enableX64', x64);
  config.update('defaultDevice', device);
  try { return fn(); } finally { config.update('enableX64', false); config.update('defaultDevice', null); }
}

test('without enableX64, float64 requests give float32, as JAX truncates', () => {
  assert.equal(np.array([1.5], { dtype: 'float64' }).dtype, 'float32');
  assert.equal(np.add(np.ones([2]), 0.1).dtype, 'float32');
});

test('with enableX64 on the cpu device, float64 is computed in double precision', async () => {
  const y = withConfig(true, 'cpu', () => np.divide(np.array([1, 2, 3], { dtype: 'float64' }), 3));
  assert.equal(y.dtype, 'float64');
  assert.deepEqual(await y.tolist(), [1 / 3, 2 / 3, 1]);
  const w = withConfig(true, 'cpu', () => np.add(np.array([1.5]), 1));
  assert.equal(w.dtype, 'float64', 'JS floats default to float64 under x64, like Python floats');
  assert.equal(w.toString(), 'Array([2.5], dtype=float64)');
});

test('float64 on webgpu fails with an error that says to use the cpu device', { skip: !devices('webgpu').length && 'no webgpu adapter' }, () => {
  assert.throws(() => withConfig(true, 'webgpu', () => np.linspace(0, 1, 3)), /float64 .*not supported on the webgpu backend.*'cpu'/s);
});
