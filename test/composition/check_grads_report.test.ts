// checkGrads itself: it passes correct derivatives with a per-leaf report, and it fails — with an
// error whose `report` and message name the leaf — for a wrong derivative; tolerances scale with
// the leaf's size as JAX scales them; higher orders recurse like JAX's. (A wrong customJvp rule:
// check_grads_custom_rule.test.ts.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, config, checkGrads, type Array as TArray } from '../../engine/index.js';
import { forEachBackend } from '../engine/helpers.js';
import { vec, rejection, rows } from './check_grads_helpers.js';

forEachBackend((platform) => {
  test(`${platform} › a correct function passes, with one report row per leaf`, async () => {
    const f = (p: { u: TArray; v: TArray }) => ({ a: np.sin(p.u), b: np.multiply(p.u.sum(), np.exp(p.v)) });
    const report = await checkGrads(f, [{ u: vec(0.1, 0.5, -0.3), v: vec(0.2, 0.4) }], 1);
    assert.equal(report.pass, true);
    assert.deepEqual(rows(report, 'JVP', 'tangent').map((l) => l.path), ["['a']", "['b']"]);
    assert.deepEqual(rows(report, 'VJP', 'cotangent projection').map((l) => l.path), ['(all arguments)', "[0]['u']", "[0]['v']"]);
    // JAX scales the float32 tolerance 2e-3 by the leaf's size
    const a = rows(report, 'JVP', 'tangent')[0];
    assert.equal(a.dtype, 'float32');
    assert.deepEqual(a.shape, [3]);
    assert.ok(Math.abs(a.atol - 6e-3) < 1e-12 && Math.abs(a.rtol - 6e-3) < 1e-12, `atol ${a.atol}, rtol ${a.rtol}`);
    for (const l of report.leaves) assert.ok(l.maxAbsError <= l.atol + l.rtol, `${l.check} ${l.part} ${l.path}: ${l.maxAbsError}`);
  });

  test(`${platform} › order 2 recurses like JAX (JVP of JVP, VJP of VJP)`, async () => {
    const report = await checkGrads((x: TArray) => np.tanh(x), [vec(0.3, -0.8)], 2);
    const checks = [...new Set(report.leaves.map((l) => l.check))];
    assert.deepEqual(checks, ['JVP', 'JVP of JVP', 'VJP of JVP', 'VJP', 'JVP of VJP', 'VJP of VJP']);
    const modesFwd = await checkGrads((x: TArray) => np.tanh(x), [vec(0.3)], 3, { modes: ['fwd'] });
    assert.deepEqual([...new Set(modesFwd.leaves.map((l) => l.check))], ['JVP', 'JVP of JVP', 'JVP of JVP of JVP']);
  });

  test(`${platform} › a wrong derivative (stopGradient trick) fails and names the leaf`, async () => {
    // value sin(x), derivative 1: wrong
    const f = (p: { good: TArray; bad: TArray }) => [np.cos(p.good), np.add(p.bad, lax.stopGradient(np.subtract(np.sin(p.bad), p.bad)))];
    const e = await rejection(checkGrads(f, [{ bad: vec(0.9, 1.2), good: vec(0.1, 0.2) }], 1));
    const failing = e.report.leaves.filter((l) => !l.pass);
    assert.deepEqual(failing.map((l) => `${l.check} ${l.part} ${l.path}`),
      ['JVP tangent [1]', 'VJP cotangent projection (all arguments)', "VJP cotangent projection [0]['bad']"]);
    assert.match(e.message, /JVP tangent at output \[1\]/);
    assert.match(e.message, /VJP cotangent projection at argument \[0\]\['bad'\]/);
    assert.doesNotMatch(e.message, /\['good'\]/, 'the message lists only failing leaves');
  });

  test(`${platform} › explicit tolerances and eps are honoured; integer arguments are refused`, async () => {
    const bad = (x: TArray) => np.add(x, lax.stopGradient(np.subtract(np.sin(x), x))); // derivative 1, not cos x
    const report = await checkGrads(bad, [vec(0.2)], 1, { modes: ['fwd'], atol: 10, rtol: 10 });
    assert.ok(report.pass && report.leaves.every((l) => l.atol === 10 && l.rtol === 10));
    assert.equal((await checkGrads((x: TArray) => np.exp(x), [vec(0.2)], 1, { eps: 1e-3 })).eps, 1e-3);
    await assert.rejects(checkGrads((x: TArray) => x, [np.array([1, 2], { dtype: 'int32' })], 1), /only floating-point/);
    await assert.rejects(checkGrads((x: TArray) => x, [vec(1)], 1, { modes: ['lin' as never] }), /unknown mode 'lin'/);
  });
});

test('cpu › float64 arguments (enableX64) get float64 tolerances (1e-5 per element, scaled by size)', async () => {
  config.update('enableX64', true);
  config.update('defaultDevice', 'cpu');
  try {
    const x = np.array([0.1, 0.7, -0.4, 1.3], { dtype: 'float64' });
    const report = await checkGrads((v: TArray) => np.multiply(np.sin(v), np.exp(v)), [x], 2);
    assert.ok(report.pass);
    const t = rows(report, 'JVP', 'tangent')[0];
    assert.equal(t.dtype, 'float64');
    assert.ok(Math.abs(t.atol - 4e-5) < 1e-15, `atol ${t.atol}`);
    // central differences in double precision are accurate to ~eps², far inside the tolerance
    assert.ok(t.maxAbsError < 1e-6, `max abs error ${t.maxAbsError}`);
  } finally {
    config.update('enableX64', false);
    config.update('defaultDevice', null);
  }
});
