// makeJaxpr of grad / jvp / vjp / valueAndGrad / linearize prints exactly the jaxpr JAX 0.10 prints
// for the same program (test/golden/autodiff/jaxprs.json, written by jaxprs.py): forward equations
// in program order, then the transposes, cotangents summed with add_any, unused inputs costing no
// equation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJaxpr, grad, numpy as np } from '../../engine/index.js';
import { AUTODIFF_PROGRAMS, loadGoldenAutodiffJaxprs } from './jaxpr_programs.js';

const golden = loadGoldenAutodiffJaxprs();

test('the TypeScript programs are the golden programs, in the same order', () => {
  assert.deepEqual(AUTODIFF_PROGRAMS.map((p) => p.name), golden.programs.map((p) => p.name));
  assert.ok(golden.programs.length >= 15);
});

for (const g of golden.programs) {
  const p = AUTODIFF_PROGRAMS.find((q) => q.name === g.name);
  test(`jaxpr of ${g.name}`, () => {
    assert.ok(p, `program ${g.name} is missing from jaxpr_programs.ts`);
    const args = g.args.map((a) => np.ones(a.shape, { dtype: a.dtype }));
    const fn = p.grad ? grad(p.fn, p.grad) : p.fn;
    assert.equal(makeJaxpr(fn)(...args).toString(), g.jaxpr);
  });
}
