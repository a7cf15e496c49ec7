// Misuse of cond / switch / whileLoop / scan / fori raises JAX's errors with JAX's messages
// (test/golden/jaxprs/control_flow.json "errors"): branch outputs of different types or
// structures, loop carries whose type or structure the body changes, predicates that are not bool
// scalars, scan lengths that disagree. JAX names functions with their file and line, which JS
// cannot know; the golden messages are recorded without it (see control_flow.py).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, makeJaxpr, jit, Array as TArray } from '../../engine/index.js';
import { decodeArg } from '../tracing/programs.js';
import { ERROR_PROGRAMS, loadGolden } from './programs.js';

const golden = loadGolden();

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but the call returned');
}

test('every golden error program has a TypeScript twin', () => {
  assert.deepEqual(ERROR_PROGRAMS.map((p) => p.name), golden.errors.map((e) => e.name));
});

for (const g of golden.errors) {
  const p = ERROR_PROGRAMS.find((q) => q.name === g.name)!;
  test(`error › ${g.name}: ${g.type} with JAX's message`, () => {
    const err = thrown(() => p.fn(...g.args.map(decodeArg)));
    assert.equal(err.name, g.type, `${err.name}: ${err.message}`);
    if (g.exact) {
      assert.equal(err.message, g.message);
    } else {
      // The message shows the offending array, which NumPy and Tracelens print differently.
      assert.ok(err.message.startsWith(g.prefix!), `${err.message}\ndoes not start with\n${g.prefix}`);
      assert.ok(err.message.endsWith(g.suffix!), `${err.message}\ndoes not end with\n${g.suffix}`);
    }
  });
  test(`error › ${g.name} is raised the same way under makeJaxpr and jit`, () => {
    const args = g.args.map(decodeArg);
    for (const run of [() => makeJaxpr(p.fn)(...args), () => jit(p.fn)(...args)]) {
      const err = thrown(run);
      assert.equal(err.name, g.type);
      if (g.exact) assert.equal(err.message, g.message);
    }
  });
}

test('a binding of cond with operands its branches do not take is a JaxprTypeError', () => {
  const x = np.ones([3]);
  const closed = makeJaxpr((p: TArray, x: TArray) => lax.cond(p, (v: TArray) => v, (v: TArray) => v, x))(true, x);
  const eqn = closed.jaxpr.eqns.find((e) => e.primitive.name === 'cond')!;
  const err = thrown(() => eqn.primitive.abstractEval([np.ones([], { dtype: 'int32' }).aval, np.ones([4]).aval], eqn.params));
  assert.equal(err.name, 'JaxprTypeError');
  assert.equal(err.message, 'cond branches take input types float32[3], called with operands of type float32[4]');
});
