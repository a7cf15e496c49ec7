// examples/kinked_regression.ts: lax.cond inside vmap inside valueAndGrad inside jit trains, and the
// first steps of its trajectory are JAX's (same data, same initial parameters, same learning rate).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, decode, examplePlatforms, loadExampleGolden, runExample } from './run_example.js';

const golden = loadExampleGolden('kinked_regression');
const names = ['b', 'k', 'w_left', 'w_right'];

for (const platform of examplePlatforms()) {
  test(`${platform} › examples/kinked_regression.ts follows JAX's trajectory`, async () => {
    const { result } = await runExample('kinked_regression', platform);
    assert.ok(result.falling, `the loss should fall at every step: ${result.losses.join(', ')}`);
    const want = decode(golden.losses);
    // float32 rounding differs between XLA and Tracelens kernels; the trajectory stays within 1e-4
    assertClose(result.losses.slice(0, 5), want.slice(0, 5), 'losses (first 5 steps)', 1e-4, 1e-5);
    assertClose(result.losses, want, 'losses (30 steps)', 1e-3, 1e-5);
    golden.params_after.forEach((p: Record<string, any>, i: number) => {
      assertClose(names.map((n) => result.trajectory[i][n]), names.map((n) => decode(p[n])[0]), `params after step ${i}`, 1e-4, 1e-5);
    });
    assertClose(names.map((n) => result.final[n]), names.map((n) => decode(golden.final_params[n])[0]), 'final params', 1e-3, 1e-4);
  });
}
