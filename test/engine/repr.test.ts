// x.toString() must print exactly what JAX's repr prints: `Array([1. , 2.5], dtype=float32)`,
// weak types, NaN/inf/-0., scientific notation, 2-D/3-D layout, empty arrays, every dtype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachBackend, loadGolden, makeArray, type EncodedArray } from './helpers.js';

interface ReprCase { name: string; array: EncodedArray; repr: string }
const golden = loadGolden<ReprCase>('repr.json');

forEachBackend((platform) => {
  for (const c of golden.cases) {
    test(`${platform} › repr › ${c.name}`, async () => {
      // As made by np.array: the values are known on the host.
      const x = makeArray(c.array, { hostCopy: true });
      assert.equal(x.toString(), c.repr, `${platform}: repr of ${c.name} (host copy)`);
      // As a result that lives on the device: printed once its values have been read.
      const y = makeArray(c.array);
      await y.data();
      assert.equal(y.toString(), c.repr, `${platform}: repr of ${c.name} (device array, after await data())`);
    });
  }
});
