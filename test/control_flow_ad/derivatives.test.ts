// Derivatives through control flow equal JAX's (test/golden/control_flow_ad/control_flow_ad.json):
// jvp of every program (cond, switch, fori with static and dynamic bounds, scan, reverse scan,
// nested cond in scan, while loops) and valueAndGrad of those JAX can reverse-differentiate, on
// every device, eagerly and under jit; reverse mode through while_loop raises JAX's error; the
// kinked linear regression of DESIGN example 2 trains to JAX's losses and weights; second
// derivatives (grad of grad, hessian, jvp of jvp, vmap of grad) go through the rules' own output.
//
// Floats must be within 2e-5 relative (2e-6 absolute near zero) of JAX's: derivatives chain the
// programs' transcendental functions through several loop trips, so a few ulps may separate two
// correct results. Dtypes and shapes must match exactly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, jit, jvp, grad, hessian, linearize, makeJaxpr, valueAndGrad, vmap, tree, Array as TArray } from '../../engine/index.js';
import { forEachBackend, type Platform } from '../engine/helpers.js';
import { type Encoded, PROGRAMS, type W, decode, kinkedLoss, loadGolden } from './programs.js';

const golden = loadGolden();
const REL = 2e-5, ABS = 2e-6;

async function compare(actual: unknown, expected: Encoded, platform: Platform, path = 'out'): Promise<string[]> {
  if (globalThis.Array.isArray(expected)) {
    if (!globalThis.Array.isArray(actual) || actual.length !== expected.length) return [`${path}: expected a list of ${expected.length}, got ${String(actual)}`];
    return (await Promise.all(expected.map((e, i) => compare(actual[i], e, platform, `${path}[${i}]`)))).flat();
  }
  if ('dict' in expected) {
    if (typeof actual !== 'object' || actual === null || actual instanceof TArray) return [`${path}: expected a dict, got ${String(actual)}`];
    const keys = Object.keys(expected.dict);
    return (await Promise.all(keys.map((k) => compare((actual as Record<string, unknown>)[k], expected.dict[k], platform, `${path}.${k}`)))).flat();
  }
  if (!(actual instanceof TArray)) return [`${path}: expected an array, got ${String(actual)}`];
  const problems: string[] = [];
  if (actual.device.platform !== platform) problems.push(`${path}: on ${actual.device.platform}, expected ${platform}`);
  if (actual.dtype !== expected.dtype) problems.push(`${path}: dtype ${actual.dtype}, JAX ${expected.dtype}`);
  if (actual.shape.join() !== expected.shape.join()) problems.push(`${path}: shape [${actual.shape}], JAX [${expected.shape}]`);
  if (problems.length) return problems;
  const data = await actual.data();
  expected.data.forEach((e, i) => {
    const a = Number(data[i]), b = Number(e);
    if (!(Math.abs(a - b) <= Math.max(REL * Math.abs(b), ABS))) problems.push(`${path}[${i}]: got ${a}, JAX gives ${b}`);
  });
  return problems;
}

async function assertMatches(actual: unknown, expected: Encoded, platform: Platform): Promise<void> {
  const problems = await compare(actual, expected, platform);
  assert.deepEqual(problems, [], problems.join('\n'));
}

test('every golden program has a TypeScript twin', () => {
  assert.deepEqual(Object.keys(PROGRAMS), golden.programs.map((p) => p.name));
});

// The jaxpr of grad through cond, switch, scan and fori is JAX's, text for text: a known cond
// returning every branch's residuals (JAX's empty2 filling the slots a branch leaves empty) and a
// cond of the transposed branches; a known scan stacking the residuals (xs read again rather than
// stacked, the weights of an RNN kept as a const), then the transposed scan running the other way
// with the consts' cotangents accumulated in its carry.
for (const { name, jaxpr } of golden.grad_jaxprs) {
  test(`makeJaxpr(grad(${name})) prints JAX's jaxpr`, () => {
    const g = golden.programs.find((p) => p.name === name)!;
    assert.equal(makeJaxpr(grad(PROGRAMS[name], { argnums: g.argnums }))(...g.args.map(decode)).toString(), jaxpr);
  });
}

// The jaxpr of jvp through cond, scan, fori and while is JAX's: tangents beside the primals in each
// branch (zeros instantiated where one branch has a tangent and another none), in the loop carry
// and consts; the while cond ignoring the tangents.
for (const { name, jaxpr } of golden.jvp_jaxprs) {
  test(`makeJaxpr(jvp(${name})) prints JAX's jaxpr`, () => {
    const g = golden.programs.find((p) => p.name === name)!;
    const diff = g.tangents.flatMap((t, i) => (t === null ? [] : [i]));
    const args = g.args.map(decode);
    const jvpFn = (...d: unknown[]) => jvp((...x: unknown[]) => PROGRAMS[name](...args.map((a, i) => (diff.includes(i) ? x[diff.indexOf(i)] : a))),
      d.slice(0, diff.length), d.slice(diff.length));
    assert.equal(makeJaxpr(jvpFn)(...diff.map((i) => args[i]), ...diff.map((i) => decode(g.tangents[i]!))).toString(), jaxpr);
  });
}

forEachBackend((platform) => {
  for (const g of golden.programs) {
    const f = PROGRAMS[g.name];
    const diff = g.tangents.flatMap((t, i) => (t === null ? [] : [i]));
    // f of the differentiated arguments, the others fixed (as the generator's jax.jvp call).
    const jvpOf = (...all: unknown[]) => {
      const fDiff = (...d: unknown[]) => f(...all.map((a, i) => (diff.includes(i) ? d[diff.indexOf(i)] : a)));
      return jvp(fDiff, diff.map((i) => all[i]), diff.map((i) => decode(g.tangents[i]!)));
    };
    for (const mode of ['eager', 'jit'] as const) {
      const run = <R>(fn: (...a: any[]) => R) => (mode === 'jit' ? jit(fn) : fn);
      test(`${platform} › ${mode} › jvp › ${g.name} equals JAX`, async () => {
        await assertMatches(run(jvpOf)(...g.args.map(decode)), g.jvp, platform);
      });
      if (g.value_and_grad) {
        test(`${platform} › ${mode} › valueAndGrad › ${g.name} equals JAX`, async () => {
          const out = run(valueAndGrad(f, { argnums: g.argnums }))(...g.args.map(decode));
          await assertMatches(out, g.value_and_grad!, platform);
        });
      }
    }
  }

  for (const e of golden.errors) {
    test(`${platform} › ${e.name}: reverse mode through while_loop raises JAX's ${e.type}`, () => {
      const whileFn = (x: TArray) => lax.whileLoop((v: TArray) => v.lt(10.0), (v: TArray) => v.mul(2.0), x);
      const foriFn = jit((n: TArray, x: TArray) => grad((x: TArray) => lax.fori(0, n, (_i: TArray, v: TArray) => v.mul(v), x))(x));
      const call = e.name === 'grad_while'
        ? () => grad(whileFn)(np.array(1.0, { dtype: 'float32' }))
        : () => foriFn(np.array(3, { dtype: 'int32' }), np.array(0.9, { dtype: 'float32' }));
      assert.throws(call, (err: Error) => {
        assert.equal(err.name, e.type);
        assert.equal(err.message, e.message);
        return true;
      });
    });
  }

  test(`${platform} › second derivatives through cond, scan and while equal JAX's`, async () => {
    const f32 = (v: number | number[] | number[][]) => np.array(v, { dtype: 'float32' });
    const ho = golden.higher_order;
    const h = (x: TArray) => lax.cond(x.gt(0), (v: TArray) => np.sin(v).mul(v), (v: TArray) => v.mul(v).mul(v), x);
    const s = (x: TArray) => lax.scan((c: TArray, e: TArray) => [c.mul(e).add(np.sin(c)), c], x, f32([1.5, 0.5, 2.0]))[0];
    const w2 = (x: TArray) => lax.whileLoop(([i]: [TArray, TArray]) => i.lt(3), ([i, v]: [TArray, TArray]) => [i.add(1), np.sin(v)], [0, x])[1];
    const rnnOfW = (w: TArray) => PROGRAMS.scan_rnn(w, f32([0.1, -0.2]), f32([[1.0, 0.5], [-0.5, 0.25], [0.3, -1.0]]));
    const ggh = grad(grad(h));
    await assertMatches([ggh(f32(0.7)), ggh(f32(-0.7))], ho.grad_grad_cond, platform);
    await assertMatches(grad(grad(s))(f32(0.3)), ho.grad_grad_scan, platform);
    await assertMatches(hessian(rnnOfW)(f32([[0.5, -0.3], [0.2, 0.8]])), ho.hessian_rnn, platform);
    await assertMatches(jvp((x: TArray) => jvp(w2, [x], [f32(1.0)])[1], [f32(0.5)], [f32(1.0)])[1], ho.jvp_jvp_while, platform);
    const gc = grad((x: TArray) => lax.cond(x.gt(0), (v: TArray) => v.mul(v), (v: TArray) => np.sin(v), x));
    await assertMatches(vmap(gc)(f32([-1.0, 0.5, 2.0])), ho.vmap_grad_cond, platform);
  });

  test(`${platform} › linearize through a while loop gives JAX's jvp`, async () => {
    const g = golden.programs.find((p) => p.name === 'while_forward')!;
    const [y, fJvp] = linearize(PROGRAMS.while_forward, decode(g.args[0]));
    await assertMatches([y, fJvp(decode(g.tangents[0]!))], g.jvp, platform);
  });

  test(`${platform} › kinked linear regression (DESIGN example 2) trains to JAX's losses and weights`, async () => {
    let w: W = { a: np.array(1.0, { dtype: 'float32' }), b: np.array(0.0, { dtype: 'float32' }), c: np.array(0.5, { dtype: 'float32' }) };
    const step = jit(valueAndGrad(kinkedLoss));
    const losses: TArray[] = [];
    for (let k = 0; k < 20; k++) {
      const [loss, g] = step(w);
      w = tree.map((p: TArray, d: TArray) => p.sub(d.mul(0.1)), w, g) as W;
      losses.push(loss);
    }
    await assertMatches(np.stack(losses), golden.kinked_training.losses, platform);
    await assertMatches(w, golden.kinked_training.w, platform);
  });
});
