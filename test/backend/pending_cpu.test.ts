// Work on the cpu device chained after values still arriving from the GPU must keep its other
// operands' values even when those arrays are released (disposed or collected) before it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, devices, devicePut } from '../../engine/index.js';

const webgpu = devices('webgpu')[0];

test('a cpu op waiting on a webgpu→cpu transfer still sees an operand released in the meantime', { skip: !webgpu && 'no webgpu adapter' }, async () => {
  const fromGpu = devicePut(devicePut(np.arange(4, { dtype: 'float32' }), webgpu), 'cpu'); // values in flight
  const three = devicePut(np.array([3, 3, 3, 3], { dtype: 'float32' }), 'cpu'); // ready at once (host values)
  const y = np.multiply(fromGpu, three);
  three.dispose(); // what the finalizer does when `three` is collected before the readback lands
  assert.deepEqual(Array.from(await y.data()), [0, 3, 6, 9]);
});
