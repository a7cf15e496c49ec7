// examples/fixed_point.ts: the implicit-function-theorem customVjp gives the gradient of
// differentiating the unrolled iteration, and both are JAX's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, decode, examplePlatforms, loadExampleGolden, runExample } from './run_example.js';

const golden = loadExampleGolden('fixed_point');

for (const platform of examplePlatforms()) {
  test(`${platform} › examples/fixed_point.ts: implicit gradient = unrolled gradient = JAX`, async () => {
    const { result } = await runExample('fixed_point', platform);
    assertClose(result.z, decode(golden.z), 'z*', 1e-5, 1e-6);
    assertClose([result.loss], decode(golden.loss), 'loss', 1e-5, 1e-6);
    assert.equal(result.checkGradsPass, true, 'checkGrads (rev) of the customVjp layer');
    assert.ok(result.maxDifference < 1e-5, `implicit vs unrolled gradients differ by ${result.maxDifference}`);
    for (const which of ['W', 'x'] as const) {
      assertClose(result.gradImplicit[which], decode(golden.grad_implicit[which]), `implicit d/d${which}`, 1e-4, 1e-6);
      assertClose(result.gradUnrolled[which], decode(golden.grad_unrolled[which]), `unrolled d/d${which}`, 1e-4, 1e-6);
    }
  });
}
