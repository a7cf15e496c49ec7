// The scheduler's fusion decisions and the symbolic index arithmetic, on hand-built jaxprs (no GPU).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../engine/index.js';
import { ShapedArray } from '../../engine/core/aval.js';
import type { Primitive } from '../../engine/core/primitive.js';
import { ClosedJaxpr, Jaxpr, Literal, type Var, Var as JVar, newEqn, type JaxprEqn } from '../../engine/core/jaxpr.js';
import * as P from '../../engine/lax/primitives/index.js';
import { buildProgram } from '../../engine/backend/webgpu/jit/program.js';
import { schedule, type Group } from '../../engine/backend/webgpu/jit/schedule.js';
import { add, div, idxConst, idxVar, mod, mul, ravel, render, unravel } from '../../engine/backend/webgpu/jit/index_expr.js';
import { constantExpr } from '../../engine/backend/webgpu/jit/codegen.js';
import { planBuffers } from '../../engine/backend/webgpu/jit/buffer_plan.js';

const f32 = (...shape: number[]) => new ShapedArray(shape, 'float32');
const lit = (v: number) => new Literal(v, new ShapedArray([], 'float32', true));

/** A tiny jaxpr builder: `b.eqn(prim, inputs, params)` returns the out var. */
class Builder {
  readonly eqns: JaxprEqn[] = [];
  constructor(readonly invars: Var[]) {}
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  eqn(prim: Primitive<any>, inputs: (Var | Literal)[], params: Record<string, unknown> = {}): Var {
    const e = newEqn(prim, inputs, params, prim.abstractEval(inputs.map((a) => a.aval), params));
    this.eqns.push(e);
    return e.outBinders[0];
  }
  closed(outs: (Var | Literal)[]): ClosedJaxpr { return new ClosedJaxpr(new Jaxpr([], this.invars, this.eqns, outs), []); }
}

const groupsOf = (c: ClosedJaxpr, maxBindings = 8, fuse = true): Group[] => schedule(buildProgram(c), { maxBindings, fuse });
const kinds = (gs: Group[]) => gs.map((g) => `${g.kind}:${g.eqns.join(',')}`);

describe('jit scheduler', () => {
  test('a chain whose middle value is also an output is one kernel storing both (multi-output fusion)', () => {
    const x = new JVar(f32(10));
    const b = new Builder([x]);
    const a1 = b.eqn(P.exp, [x]);
    const a2 = b.eqn(P.mul, [a1, lit(2)]);
    const a3 = b.eqn(P.add, [a2, lit(1)]);
    const a4 = b.eqn(P.tanh, [a3]);
    const gs = groupsOf(b.closed([a2, a4]));
    assert.deepEqual(kinds(gs), ['elementwise:0,1,2,3']);
    assert.deepEqual(gs[0].stores, [a2, a4]);
  });

  test('independent consumers of one value merge into one kernel (sibling fusion), the shared value unstored', () => {
    const x = new JVar(f32(10));
    const b = new Builder([x]);
    const a = b.eqn(P.exp, [x]);
    const p = b.eqn(P.add, [a, lit(1)]);
    const q = b.eqn(P.mul, [a, lit(2)]);
    const gs = groupsOf(b.closed([p, q]));
    assert.deepEqual(kinds(gs), ['elementwise:0,1,2']);
    assert.deepEqual(gs[0].stores, [p, q]);
  });

  test('a value read by a library kernel and by a kernel after it is stored by a kernel of its own (no cycle)', () => {
    const x = new JVar(f32(4, 4));
    const b = new Builder([x]);
    const v = b.eqn(P.exp, [x]);
    const d = b.eqn(P.dot_general, [v, v], { dimension_numbers: [[[1], [0]], [[], []]], precision: null, preferred_element_type: null });
    const s = b.eqn(P.add, [v, d]);
    const gs = groupsOf(b.closed([s]));
    assert.deepEqual(kinds(gs), ['elementwise:0', 'library:1', 'elementwise:2']);
    assert.deepEqual(gs[0].stores, [v]);
  });

  test('siblings are not merged around a library kernel that feeds one of them', () => {
    const x = new JVar(f32(4, 4));
    const b = new Builder([x]);
    const v = b.eqn(P.exp, [x]);
    const d = b.eqn(P.dot_general, [v, v], { dimension_numbers: [[[1], [0]], [[], []]], precision: null, preferred_element_type: null });
    const p = b.eqn(P.add, [v, d]);
    const q = b.eqn(P.mul, [v, lit(2)]);
    const gs = groupsOf(b.closed([p, q]));
    // v is stored before the dot; the two consumers may share a kernel after it, never one holding v.
    const gv = gs.find((g) => g.eqns.includes(0))!;
    const gdot = gs.find((g) => g.eqns.includes(1))!;
    assert.ok(gs.indexOf(gv) < gs.indexOf(gdot));
    assert.ok(!gv.eqns.includes(2));
  });

  test('a reduction takes its producers (prologue) and an elementwise consumer of its result (epilogue)', () => {
    const x = new JVar(f32(8, 16));
    const b = new Builder([x]);
    const sq = b.eqn(P.mul, [x, x]);
    const s = b.eqn(P.reduce_sum, [sq], { axes: [1] });
    const m = b.eqn(P.div, [s, lit(16)]);
    const r = b.eqn(P.sqrt, [m]);
    const gs = groupsOf(b.closed([r]));
    assert.deepEqual(kinds(gs), ['reduce:0,1,2,3']);
    assert.equal(gs[0].size, 128);
    assert.equal(gs[0].outSize, 8);
  });

  test('softmax: the exponentials are stored by the sum kernel that computes them; three kernels', () => {
    const x = new JVar(f32(4, 6));
    const b = new Builder([x]);
    const mx = b.eqn(P.reduce_max, [x], { axes: [1] });
    const mb = b.eqn(P.broadcast_in_dim, [mx], { shape: [4, 1], broadcast_dimensions: [0] });
    const d = b.eqn(P.sub, [x, mb]);
    const e = b.eqn(P.exp, [d]);
    const s = b.eqn(P.reduce_sum, [e], { axes: [1] });
    const sb = b.eqn(P.broadcast_in_dim, [s], { shape: [4, 1], broadcast_dimensions: [0] });
    const y = b.eqn(P.div, [e, sb]);
    const gs = groupsOf(b.closed([y]));
    assert.deepEqual(kinds(gs), ['reduce:0', 'reduce:1,2,3,4', 'elementwise:5,6']);
    assert.deepEqual(gs[1].stores, [e, s]);
  });

  test('fusion stops before a kernel would bind more storage buffers than the device allows', () => {
    const xs = [0, 1, 2, 3, 4].map(() => new JVar(f32(10)));
    const b = new Builder(xs);
    let acc = b.eqn(P.add, [xs[0], xs[1]]);
    for (const x of xs.slice(2)) acc = b.eqn(P.add, [acc, x]);
    assert.equal(groupsOf(b.closed([acc]), 8).length, 1);
    const limited = groupsOf(b.closed([acc]), 4);
    assert.ok(limited.length > 1);
    for (const g of limited) assert.ok(g.inputs.length + g.stores.length <= 4, kinds(limited).join(' '));
  });

  test('fuse: false gives one kernel per equation', () => {
    const x = new JVar(f32(10));
    const b = new Builder([x]);
    const y = b.eqn(P.neg, [b.eqn(P.exp, [x])]);
    assert.deepEqual(kinds(groupsOf(b.closed([y]), 8, false)), ['elementwise:0', 'elementwise:1']);
  });

  test('nested jit calls are inlined, their equations attributed to the call', () => {
    const y = new JVar(f32(3));
    const inner = new Builder([y]);
    const innerClosed = inner.closed([inner.eqn(P.sin, [inner.eqn(P.exp, [y])])]);
    const x = new JVar(f32(3));
    const outer = new Builder([x]);
    const call = newEqn({ name: 'jit', abstractEval: () => [f32(3)] } as never, [x], { jaxpr: innerClosed, name: 'g' }, [f32(3)]);
    outer.eqns.push(call);
    const z = outer.eqn(P.neg, [call.outBinders[0]]);
    const prog = buildProgram(outer.closed([z]));
    assert.deepEqual(prog.eqns.map((e) => `${e.primitive.name}@${e.origin}`), ['exp@0', 'sin@0', 'neg@1']);
    assert.equal(schedule(prog, { maxBindings: 8 }).length, 1);
  });

  test('dead equations are dropped', () => {
    const x = new JVar(f32(3));
    const b = new Builder([x]);
    b.eqn(P.exp, [x]);
    const y = b.eqn(P.sin, [x]);
    assert.deepEqual(buildProgram(b.closed([y])).eqns.map((e) => e.primitive.name), ['sin']);
  });
});

describe('buffer plan', () => {
  test('values whose lives do not overlap share a buffer; outputs never do', () => {
    const v = [0, 1, 2, 3, 4].map(() => new JVar(f32(1000)));
    // v0 → v1 → v2 → v3 → v4 (each step reads the one before); v4 is the output.
    const steps = [1, 2, 3, 4].map((k) => ({ reads: [v[k - 1]], writes: [v[k]], allocates: 'fused' as const }));
    const plan = planBuffers([{ reads: [], writes: [v[0]], allocates: 'fused' }, ...steps], new Set([v[4]]), () => 4000);
    assert.equal(plan.intermediates, 4);
    assert.equal(plan.buffers, 2);
    assert.deepEqual(plan.releaseAfter.map((r) => r.length), [0, 1, 1, 1, 1]);
  });
});

describe('index arithmetic', () => {
  test('a broadcast operand of a reduction simplifies to the output index', () => {
    const o = idxVar('o', 8), r = idxVar('r', 16);
    const x = add(mul(o, 16), r);
    assert.equal(render(div(x, 16)), 'o');
    assert.equal(render(mod(x, 16)), 'r');
    assert.equal(render(unravel(x, [8, 1, 16])[0]), 'o');
  });

  test('ravel of unravel and nested divisions', () => {
    const i = idxVar('i', 60);
    assert.equal(render(div(div(i, 3), 4)), 'i / 12u');
    const c = unravel(i, [3, 4, 5]);
    assert.deepEqual(c.map(render), ['i / 20u', '(i / 5u) % 4u', 'i % 5u']);
    assert.equal(render(mod(add(mul(i, 10), idxConst(3)), 5)), '3u');
    assert.equal(render(ravel([idxVar('a', 3), idxVar('b', 4)], [3, 4])), 'a * 4u + b');
  });
});

describe('WGSL constants', () => {
  test('are exact f32 values, and special values go through helpers', () => {
    const need: string[] = [];
    assert.equal(constantExpr(0.1, 'float32', (h) => need.push(h)), `f32(${Math.fround(0.1)})`);
    assert.equal(Number(constantExpr(1 / 3, 'float32', () => {}).slice(4, -1)), Math.fround(1 / 3));
    assert.equal(constantExpr(-0, 'float32', () => {}), 'f32(-0.0)');
    assert.equal(constantExpr(2, 'float32', () => {}), 'f32(2.0)');
    assert.equal(constantExpr(NaN, 'float32', (h) => need.push(h)), 'tl_nan()');
    assert.equal(constantExpr(-Infinity, 'float32', (h) => need.push(h)), '(-tl_inf())');
    assert.deepEqual(need, ['tl_nan', 'tl_inf']);
    assert.equal(constantExpr(1e-40, 'float32', () => {}), `bitcast<f32>(0x${new Uint32Array(Float32Array.of(1e-40).buffer)[0].toString(16).padStart(8, '0')}u)`);
    assert.equal(constantExpr(-2147483648, 'int32', () => {}), 'bitcast<i32>(0x80000000u)');
    assert.equal(constantExpr(-5, 'int32', () => {}), '-5i');
    assert.equal(constantExpr(4294967295, 'uint32', () => {}), '4294967295u');
    assert.equal(constantExpr(true, 'bool', () => {}), 'true');
  });
});
