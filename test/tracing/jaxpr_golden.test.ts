// Every program of test/tracing/programs.ts traced with makeJaxpr prints exactly the jaxpr JAX 0.10
// prints for the same program (test/golden/jaxprs/jaxprs.json, written by generate.py).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJaxpr, ClosedJaxpr, Jaxpr } from '../../engine/index.js';
import { PROGRAMS, decodeArg, loadGoldenJaxprs } from './programs.js';

const golden = loadGoldenJaxprs();

test('the TypeScript programs are the golden programs, in the same order', () => {
  assert.deepEqual(PROGRAMS.map((p) => p.name), golden.programs.map((p) => p.name));
  assert.ok(golden.programs.length >= 60, `only ${golden.programs.length} golden programs`);
});

/** The primitive names of a jaxpr, nested jaxprs included, in printing order. */
function primitiveSequence(j: Jaxpr): string[] {
  return j.eqns.flatMap((e) => [e.primitive.name, ...Object.values(e.params).flatMap((v) => {
    const inner = v instanceof ClosedJaxpr ? v.jaxpr : v instanceof Jaxpr ? v : null;
    return inner ? primitiveSequence(inner) : [];
  })]);
}

/** The primitive names in JAX's text: the word after `=` (or starting an equation with no results). */
function primitiveSequenceOfText(text: string): string[] {
  return [...text.matchAll(/(?:= |let |; )([a-z_][\w-]*)(?=[\[ \n])/g)].map((m) => m[1]).filter((n) => n !== 'in');
}

for (const g of golden.programs) {
  const p = PROGRAMS.find((q) => q.name === g.name);
  test(`jaxpr of ${g.name}`, () => {
    assert.ok(p, `program ${g.name} is missing from programs.ts`);
    assert.deepEqual(p.staticArgnums ?? [], g.static_argnums, 'static_argnums differ from the golden program');
    const args = g.args.map(decodeArg);
    const jaxpr = makeJaxpr(p.fn, { staticArgnums: p.staticArgnums })(...args);
    if (p.primitivesOnly) {
      assert.deepEqual(primitiveSequence(jaxpr.jaxpr), primitiveSequenceOfText(g.jaxpr), p.primitivesOnly);
    } else {
      assert.equal(jaxpr.toString(), g.jaxpr);
    }
  });
}
