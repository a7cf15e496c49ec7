// Regression: a fusion decision checked against equation edges alone made a cycle of kernels
// ("the jit scheduler made a cycle of kernels", first seen in jit(hessian(h))). A path between
// kernels can enter one at a member and leave it from another member the first does not feed (a
// side output stored by multi-output fusion); the check must follow kernels, not equations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { numpy as np, jit, makeJaxpr } from '../../engine/index.js';
import { buildProgram } from '../../engine/backend/webgpu/jit/program.js';
import { schedule } from '../../engine/backend/webgpu/jit/schedule.js';
import { planFor } from '../../engine/backend/webgpu/jit/index.js';
import { compareResults, gpuTest, randomFloats, webgpu } from './helpers.js';

type A = ReturnType<typeof np.asarray>;

/**
 *   b = sin a;  c = b·b (dot);  d = cos a;  f = Σ(c − d);  g = d + b;  outputs f, g.
 * d joins the sum kernel as a side output (its first consumer, c − d, is the sum's prologue), so
 * that kernel is entered at c − d (from the dot) and left from d (to g). Storing b in g's kernel
 * would then make g → dot → sum → g: b must get a kernel of its own.
 */
const sideOutputAroundDot = (a: A): A[] => {
  const b = np.sin(a);
  const c = np.matmul(b, b);
  const d = np.cos(a);
  return [np.sum(np.subtract(c, d)), np.add(d, b)];
};

describe('jit scheduler: no cycle through a kernel\'s side output', () => {
  test('the value feeding both a library kernel and a kernel after it gets its own kernel', () => {
    const closed = makeJaxpr(sideOutputAroundDot)(np.ones([3, 3]));
    const prog = buildProgram(closed);
    assert.deepEqual(prog.eqns.map((e) => e.primitive.name), ['sin', 'dot_general', 'cos', 'sub', 'reduce_sum', 'add']);
    for (const maxBindings of [6, 8, 16]) {
      const groups = schedule(prog, { maxBindings });
      assert.deepEqual(groups.map((g) => `${g.kind}:${g.eqns.join(',')}`),
        ['elementwise:0', 'library:1', 'reduce:2,3,4', 'elementwise:5'], `maxBindings ${maxBindings}`);
    }
  });

  gpuTest('it compiles and matches eager on webgpu', async () => {
    const a = np.asarray(randomFloats(9, 3)).reshape([3, 3]);
    const closed = makeJaxpr(sideOutputAroundDot)(a);
    assert.equal(planFor(closed, webgpu()).kernels.length, 4);
    assert.deepEqual(await compareResults(jit(sideOutputAroundDot)(a), sideOutputAroundDot(a), 'ulp'), []);
  });
});
