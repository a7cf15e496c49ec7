// findMarks over the reference programs in examples/: the functions a user of each would expect to
// see lenses on, with their markers, the line the lens sits on and where the runner picks them up;
// any @shapes the examples declare must parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { findMarks } from '../../../extension/analysis/find_marks.js';
import { parseShapeSpec } from '../../../extension/analysis/shape_spec.js';
import type { Mark } from '../../../extension/analysis/mark.js';

const describe = (text: string, m: Mark) => ({
  name: m.name,
  markers: m.markers.join(' '),
  lens: text.slice(m.lensAt, text.indexOf('(', m.lensAt) + 1).trim(),
  registrations: m.registrations.map((r) => (r.kind === 'wrap' ? `wrap ${text.slice(r.range.start, r.range.end)}` : `after ${r.expression}`)).join(', '),
});

/** Every example, with what its marks must be. */
const EXPECTED: Record<string, ReturnType<typeof describe>[]> = {
  'chebyshev.ts': [
    { name: 'chebyshev(n)', markers: 'vmap', lens: 'values[n] = Array.from(', registrations: 'wrap chebyshev(n)' },
    { name: 'grad(chebyshev(n))', markers: 'vmap', lens: 'derivatives[n] = Array.from(', registrations: 'wrap grad(chebyshev(n))' },
    { name: 'chebyshev(n)', markers: 'grad', lens: 'derivatives[n] = Array.from(', registrations: 'wrap chebyshev(n)' },
    { name: 'grad(chebyshev(2))', markers: 'vmap', lens: 'await vmap(', registrations: 'wrap grad(chebyshev(2))' },
    { name: 'chebyshev(2)', markers: 'grad', lens: 'await vmap(', registrations: 'wrap chebyshev(2)' },
  ],
  'chebyshev_demo.ts': [],
  'fixed_point.ts': [
    { name: 'lossImplicit', markers: 'grad checkGrads', lens: 'const lossImplicit = (', registrations: 'after lossImplicit, wrap lossImplicit, wrap lossImplicit' },
    { name: 'lossUnrolled', markers: 'grad', lens: 'const lossUnrolled = (', registrations: 'after lossUnrolled, wrap lossUnrolled' },
  ],
  'fixed_leaves.ts': [
    { name: 'loss', markers: 'valueAndGrad', lens: 'function loss(', registrations: 'after loss, wrap loss' },
    {
      name: 'jit((params, state, x, y) => …)', markers: 'jit', lens: 'const step = jit(',
      registrations: `wrap (params: Params, state: OptState, x: TlArray, y: TlArray) => {
  const [value, grads] = valueAndGrad(loss)(params, x, y) as [TlArray, Params];
  const [updates, next] = optimizer.update(grads, state, params);
  return [value, optax.applyUpdates(params, updates), next, grads] as [TlArray, Params, OptState, Params];
}`,
    },
  ],
  'kinked_regression.ts': [
    { name: 'predict', markers: 'vmap', lens: 'function predict(', registrations: 'after predict, wrap predict' },
    { name: 'loss', markers: 'valueAndGrad', lens: 'function loss(', registrations: 'after loss, wrap loss' },
    { name: 'valueAndGrad(loss)', markers: 'jit', lens: 'const step = jit(', registrations: 'wrap valueAndGrad(loss)' },
  ],
  'mlp_classifier.ts': [],
  'random_init.ts': [],
  'three_body.ts': [
    { name: 'kinetic', markers: 'vmap', lens: 'function kinetic(', registrations: 'after kinetic, wrap kinetic' },
    { name: 'potential', markers: 'vmap', lens: 'function potential(', registrations: 'after potential, wrap potential' },
    { name: 'lagrangian', markers: 'valueAndGrad', lens: 'function lagrangian(', registrations: 'after lagrangian, wrap lagrangian' },
  ],
};

test('every example has its expected marks listed here', () => {
  assert.deepEqual(readdirSync('examples').filter((f) => f.endsWith('.ts')).sort(), Object.keys(EXPECTED).sort());
});

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`examples/${file}`, () => {
    const text = readFileSync(`examples/${file}`, 'utf8');
    const marks = findMarks(`examples/${file}`, text);
    assert.deepEqual(marks.map((m) => describe(text, m)), expected);
    assert.deepEqual(marks.map((m) => m.id), marks.map((_, i) => i));
    for (const m of marks) {
      assert.equal(m.gradMarked, m.markers.some((k) => ['grad', 'valueAndGrad', 'checkGrads', '@grad'].includes(k)));
      if (m.shapes === null) continue;
      assert.equal(text.slice(m.shapesRange!.start, m.shapesRange!.end), m.shapes, 'single-line @shapes, exactly');
      assert.doesNotThrow(() => parseShapeSpec(m.shapes!), `${m.name}: @shapes ${m.shapes}`);
    }
  });
}
