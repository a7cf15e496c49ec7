// The JVP and transpose rules of shape ops, reductions, dot_general, gather/scatter, sort and jit,
// checked against JAX: vjp with a fixed cotangent and jvp with fixed tangents of each program of
// rule_programs.ts give JAX's numbers (test/golden/autodiff/jaxprs_rule_values.json), on every
// device; jacfwd / jacrev / hessian too.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, vjp, jvp, jacfwd, jacrev, hessian, devices, devicePut, Array as TArray } from '../../engine/index.js';
import { JACOBIAN_PROGRAMS, RULE_PROGRAMS, loadGoldenRuleValues } from './rule_programs.js';

const golden = loadGoldenRuleValues();

function flat(x: unknown): number[] { return Array.isArray(x) ? x.flatMap(flat) : [x as number]; }

async function assertClose(actual: TArray, expected: unknown, what: string, tol = 2e-5): Promise<void> {
  const got = Array.from(await actual.data() as Float32Array);
  const want = flat(expected);
  assert.equal(got.length, want.length, `${what}: ${got.length} values, JAX has ${want.length}`);
  got.forEach((g, i) => {
    assert.ok(Math.abs(g - want[i]) <= tol + tol * Math.abs(want[i]), `${what}[${i}]: ${g} vs JAX ${want[i]}`);
  });
}

for (const device of devices()) {
  describe(`${device.platform}`, () => {
    const put = (values: unknown, shape: number[]) => devicePut(np.array(flat(values), { dtype: 'float32' }).reshape(shape), device);
    test('every golden program has a TypeScript program', () => {
      for (const c of golden.cases) assert.ok(RULE_PROGRAMS[c.name], c.name);
      assert.ok(golden.cases.length >= 20);
    });
    for (const c of golden.cases) {
      test(`vjp and jvp of ${c.name} match JAX`, async () => {
        const fn = RULE_PROGRAMS[c.name];
        const args = c.args.map((a, i) => put(a, c.shapes[i]));
        const [out, vjpFn] = vjp(fn, ...args);
        assert.deepEqual(out.shape, c.out_shape);
        await assertClose(out, c.out, 'primal output');
        const cts = vjpFn(put(c.cotangent, c.out_shape)) as TArray[];
        assert.equal(cts.length, args.length);
        for (let i = 0; i < cts.length; i++) {
          assert.deepEqual(cts[i].shape, c.shapes[i]);
          await assertClose(cts[i], c.cts[i], `cotangent of argument ${i}`);
        }
        const [, tOut] = jvp(fn, args, c.tangents.map((t, i) => put(t, c.shapes[i])));
        await assertClose(tOut, c.jvp, 'output tangent');
      });
    }
    for (const j of golden.jacobians) {
      test(`${j.hessian ? 'hessian' : 'jacfwd and jacrev'} of ${j.name} match JAX`, async () => {
        const fn = JACOBIAN_PROGRAMS[j.name];
        const x = put(j.arg, j.shape);
        if (j.hessian) {
          await assertClose(hessian(fn)(x), j.hessian, 'hessian', 1e-4);
        } else {
          await assertClose(jacfwd(fn)(x), j.jacfwd, 'jacfwd');
          await assertClose(jacrev(fn)(x), j.jacrev, 'jacrev');
        }
      });
    }
  });
}
