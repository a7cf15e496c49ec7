// examples/chebyshev.ts: Tn and vmap(grad(Tn)) agree with JAX (and the closed forms) at every point,
// the endpoint NaN/inf are JAX's, and debugNans names the primitive JAX names, on both devices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, decode, examplePlatforms, loadExampleGolden, runExample } from './run_example.js';

const golden = loadExampleGolden('chebyshev');

for (const platform of examplePlatforms()) {
  test(`${platform} › examples/chebyshev.ts matches JAX`, async () => {
    const { result, stdout } = await runExample('chebyshev', platform);
    assertClose(result.xs, decode(golden.xs), 'xs');
    for (const n of ['2', '3', '4']) {
      assertClose(result.values[n], decode(golden.T[n]), `T${n}`, 1e-5, 1e-5);
      const want = decode(golden.dT[n]);
      const got: number[] = result.derivatives[n];
      // interior points: the derivative agrees with JAX (and so with the closed form)
      assertClose(got.slice(1, -1), want.slice(1, -1), `T${n}' interior`, 1e-4, 1e-4);
      // x = +1: 0 · inf = NaN; x = -1: sin(n·π) is not 0 in float32, so ±inf — as in JAX
      assert.ok(Number.isNaN(got[got.length - 1]), `T${n}'(1) should be NaN as in JAX, got ${got[got.length - 1]}`);
      assert.equal(got[0], want[0], `T${n}'(-1): JAX gives ${want[0]}`);
    }
    assert.ok(result.worstDerivative < 1e-4, `interior derivatives vs closed form: ${result.worstDerivative}`);
    // JAX: "invalid value (nan) encountered in mul"
    assert.match(result.debugNans, /^FloatingPointError: /);
    assert.ok(result.debugNans.includes(golden.debug_nans), `debugNans said "${result.debugNans}"; JAX says "${golden.debug_nans}"`);
    assert.match(stdout, /0·inf = NaN/, 'the example explains the NaN at x = 1');
  });
}

// The same check in-process, as a user's program sees it: with debugNans on, NaN-free results come
// back unchanged, and the first NaN is reported when the result is awaited, naming `mul`.
test('debugNans: clean results pass through; the NaN of T2\'(1) names mul (both devices, in-process)', async () => {
  const { numpy: np, config, grad, vmap, FloatingPointError } = await import('../../engine/index.js');
  const t2 = (x: any) => np.cos(np.multiply(2, np.arccos(x)));
  for (const platform of examplePlatforms()) {
    config.update('defaultDevice', platform);
    config.update('debugNans', true);
    try {
      const clean = await vmap(grad(t2))(np.array([-0.5, 0.25, 0.75])).data();
      assertClose(clean, [-2, 1, 3], `${platform}: T2' with debugNans on`, 1e-5, 1e-5);
      await assert.rejects(async () => { await vmap(grad(t2))(np.array([0.5, 1])).data(); },
        (e: unknown) => e instanceof FloatingPointError && /invalid value \(nan\) encountered in mul/.test((e as Error).message),
        `${platform}: debugNans should name mul`);
    } finally {
      config.update('debugNans', false);
      config.update('defaultDevice', null);
    }
  }
});
