// Every control-flow program of test/control_flow/programs.ts traced with makeJaxpr prints exactly
// the jaxpr JAX 0.10 prints for the same program (test/golden/jaxprs/control_flow.json, written by
// test/golden/jaxprs/control_flow.py): cond / switch / while / fori / scan equations with their
// params, hoisted closure constants, forwarded outputs and nested jaxprs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJaxpr } from '../../engine/index.js';
import { decodeArg } from '../tracing/programs.js';
import { PROGRAMS, loadGolden } from './programs.js';

const golden = loadGolden();

test('the TypeScript control-flow programs are the golden programs, in the same order', () => {
  assert.deepEqual(PROGRAMS.map((p) => p.name), golden.programs.map((p) => p.name));
  assert.ok(golden.programs.length >= 12, `only ${golden.programs.length} golden control-flow programs`);
  for (const prim of ['cond[', 'while[', 'scan[']) {
    assert.ok(golden.programs.some((p) => p.jaxpr.includes(prim)), `no golden program has a ${prim} equation`);
  }
});

for (const g of golden.programs) {
  const p = PROGRAMS.find((q) => q.name === g.name);
  test(`jaxpr of ${g.name}`, () => {
    assert.ok(p, `program ${g.name} is missing from programs.ts`);
    const jaxpr = makeJaxpr(p.fn)(...g.args.map(decodeArg));
    assert.equal(jaxpr.toString(), g.jaxpr);
  });
}
