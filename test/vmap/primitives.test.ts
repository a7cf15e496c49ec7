// vmap(f) equals the loop-and-stack of f for every primitive (test/vmap/cases.ts), with the batch on
// axis 0, 1 and -1 (and unmapped arguments), on every device; jit(vmap(f)) and vmap(jit(f)) agree
// with it; and every primitive of the engine has a batching rule that some case exercises.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jit, makeJaxpr, vmap } from '../../engine/index.js';
import type { AxisSpec, ClosedJaxpr } from '../../engine/index.js';
import { ClosedJaxpr as ClosedJaxprClass, Jaxpr } from '../../engine/core/jaxpr.js';
import { primitives } from '../../engine/core/primitive.js';
import { forEachBackend } from '../engine/helpers.js';
import { CASES, NOT_TRACEABLE, type Case } from './cases.js';
import { checkVmap, loopAndStack, minMappedRank, moveBatchAxis } from './helpers.js';

function variants(c: Case): { label: string; args: unknown[]; inAxes: AxisSpec[] }[] {
  const args = c.args();
  const inAxes = c.inAxes ?? args.map(() => 0);
  const out = [{ label: 'inAxes 0', args, inAxes }];
  for (const axis of [1, -1]) {
    if (axis === 1 && minMappedRank(args, inAxes) < 2) continue;
    const moved = args.map((a, k) => moveBatchAxis(a, inAxes[k], axis));
    out.push({ label: `inAxes ${axis}`, args: moved.map(([a]) => a), inAxes: moved.map(([, s]) => s) });
  }
  return out;
}

forEachBackend(() => {
  for (const c of CASES) {
    test(`vmap of ${c.name} equals the stacked loop`, async () => {
      for (const v of variants(c)) {
        await checkVmap(c.f, v.args, { inAxes: v.inAxes, rtol: c.rtol }, `${c.name}, ${v.label} (${JSON.stringify(v.inAxes)})`);
      }
    });
  }

  // Output axes: the stacked loop with np.stack's axis.
  for (const c of CASES.filter((k) => ['add', 'transpose', 'dot_general (lhs mapped)', 'scan', 'cumsum', 'pytree arguments and outputs'].includes(k.name))) {
    test(`vmap of ${c.name} with outAxes 1 and -1`, async () => {
      const args = c.args();
      for (const outAxes of [1, -1]) {
        // A rank-1 output cannot take outAxes 1 after the batch axis is added only when the output is a scalar.
        await checkVmap(c.f, args, { inAxes: c.inAxes ?? args.map(() => 0), outAxes: outAxes === 1 && c.name === 'pytree arguments and outputs' ? -1 : outAxes }, `${c.name} outAxes ${outAxes}`);
      }
    });
  }

  const JIT_CASES = ['add (second unmapped)', 'sin', 'select_n (scalar mapped predicate)', 'reshape', 'dot_general (both mapped)', 'gather (integer array index)',
    'scatter-add', 'cond (mapped predicate)', 'whileLoop (mapped predicate)', 'scan', 'reduceMax', 'pad (mapped padding value)', 'dynamic_slice (mapped index)', 'sort',
    'pytree arguments and outputs'];
  for (const c of CASES.filter((k) => JIT_CASES.includes(k.name))) {
    test(`jit(vmap(f)) and vmap(jit(f)) of ${c.name} agree with the stacked loop`, async () => {
      const args = c.args();
      const inAxes = c.inAxes ?? args.map(() => 0);
      await checkVmap(c.f, args, { inAxes, mapped: jit(vmap(c.f, { inAxes })) }, `jit(vmap(${c.name}))`);
      await checkVmap(c.f, args, { inAxes, mapped: vmap(jit(c.f), { inAxes }) }, `vmap(jit(${c.name}))`);
    });
  }
});

/** Every primitive in a jaxpr and in the jaxprs of its params. */
function primitiveNames(j: Jaxpr, into = new Set<string>()): Set<string> {
  for (const e of j.eqns) {
    into.add(e.primitive.name);
    for (const v of Object.values(e.params)) {
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x instanceof ClosedJaxprClass) primitiveNames(x.jaxpr, into);
        else if (x instanceof Jaxpr) primitiveNames(x, into);
      }
    }
  }
  return into;
}

test('every primitive has a batching rule, and the cases exercise each of them', () => {
  const exercised = new Set<string>();
  for (const c of CASES) {
    const args = c.args();
    const inAxes = c.inAxes ?? args.map(() => 0);
    // The primitives f binds on one element of the batch.
    const one = loopAndStack((...xs: unknown[]) => xs, args, { inAxes }) as unknown[];
    const element = (one as unknown[]).map((a, k) => (inAxes[k] === null ? args[k] : sliceFirst(a)));
    const jaxpr: ClosedJaxpr = makeJaxpr(c.f)(...element);
    primitiveNames(jaxpr.jaxpr, exercised);
  }
  // Primitives without operands are never batched (vmap binds them as they are); add_any and
  // pointwise primitives defined outside elementwise.ts get their rule from BatchTrace's fallback.
  const NO_OPERANDS = ['iota', 'empty2'];
  const missingRule = [...primitives.values()].filter((p) => !p.batch && !p.elementwise && !NO_OPERANDS.includes(p.name) && p.name !== 'add_any').map((p) => p.name);
  assert.deepEqual(missingRule, [], `primitives without a batching rule: ${missingRule.join(', ')}`);
  const unexercised = [...primitives.keys()].filter((n) => !exercised.has(n) && !NOT_TRACEABLE.includes(n));
  assert.deepEqual(unexercised, [], `primitives no vmap case binds: ${unexercised.join(', ')}`);
});

/** Element 0 of a stacked pytree of arrays (the stack is along axis 0). */
function sliceFirst(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sliceFirst);
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, sliceFirst(v)]));
  }
  return (x as { index(i: number): unknown }).index(0);
}
