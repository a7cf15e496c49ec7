// The jaxpr surgery the control-flow wrappers do before binding, as JAX's partial_eval.py and
// control_flow/common.py do it: closed-over constants hoisted to leading operands (separate_consts),
// the consts of several branches merged, inputs returned unchanged found (forwarding) and pruned,
// binders moved to the front, and dead code eliminated. Jaxprs are immutable: each function returns
// a new Jaxpr sharing the Vars of the old one.

import type { ArrayBase } from '../../core/array_base.js';
import type { ShapedArray } from '../../core/aval.js';
import { type Atom, ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, Var } from '../../core/jaxpr.js';
import { shapeEq } from '../../core/shape.js';

/** JAX's `core.typematch`: equal shapes and dtypes; weak types are ignored. */
export function typematch(a: ShapedArray, b: ShapedArray): boolean {
  return a.dtype === b.dtype && shapeEq(a.shape, b.shape);
}

/** `pe.separate_consts`: the constvars become the leading invars; returns the jaxpr and the const values. */
export function separateConsts(cj: ClosedJaxpr): [ClosedJaxpr, ArrayBase[]] {
  const j = cj.jaxpr;
  const lifted = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return [new ClosedJaxpr(lifted, []), [...cj.consts]];
}

/** A closed jaxpr with no consts. */
export function closeJaxpr(j: Jaxpr): ClosedJaxpr { return new ClosedJaxpr(j, []); }

/**
 * Forwarding rules (JAX's `pe.forwarding_rules`): which operand an equation's output is, when the
 * equation is an identity (a conversion to the same type, a broadcast to the same shape).
 */
const forwardingRules: Record<string, (e: JaxprEqn) => (number | null)[]> = {
  convert_element_type: (e) => {
    const a = e.inputs[0].aval;
    return [a.dtype === e.params.new_dtype && a.weakType === e.params.weak_type && !e.params.sharding ? 0 : null];
  },
  broadcast_in_dim: (e) => {
    const a = e.inputs[0].aval;
    return [shapeEq(a.shape, e.params.shape as number[]) && !e.params.sharding ? 0 : null];
  },
};

/** `pe._jaxpr_forwarding`: for each output, the index of the input it is (through identity equations), else null. */
export function jaxprForwarding(j: Jaxpr): (number | null)[] {
  const fwd = new Map<Var, Atom>(j.invars.map((v) => [v, v]));
  for (const e of j.eqns) {
    const rule = forwardingRules[e.primitive.name];
    if (!rule) continue;
    const ins = e.inputs.map((a) => (a instanceof Var ? fwd.get(a) ?? a : a));
    rule(e).forEach((idx, k) => {
      if (idx !== null) fwd.set(e.outBinders[k], ins[idx]);
    });
  }
  const pos = new Map<Atom, number>(j.invars.map((v, i) => [v, i]));
  return j.outvars.map((v) => {
    if (v instanceof Literal) return null;
    const f = fwd.get(v);
    return f === undefined ? null : pos.get(f) ?? null;
  });
}

/** `pe.prune_closed_jaxpr_outputs`: keeps the outputs whose flag is set. */
export function pruneOutputs(cj: ClosedJaxpr, keep: readonly boolean[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, j.eqns, j.outvars.filter((_, i) => keep[i])), cj.consts);
}

/** `pe.move_binders_to_front`: the invars whose flag is set first, in order, then the others. */
export function moveBindersToFront(cj: ClosedJaxpr, toMove: readonly boolean[]): ClosedJaxpr {
  const j = cj.jaxpr;
  if (toMove.length !== j.invars.length) throw new Error('internal: moveBindersToFront arity');
  return new ClosedJaxpr(new Jaxpr(j.constvars, moveToFront(j.invars, toMove), j.eqns, j.outvars), cj.consts);
}

export function moveToFront<T>(xs: readonly T[], toMove: readonly boolean[]): T[] {
  return [...xs.filter((_, i) => toMove[i]), ...xs.filter((_, i) => !toMove[i])];
}

/** `util.partition_list`: [the items whose flag is false, the items whose flag is true]. */
export function partitionList<T>(flags: readonly boolean[], xs: readonly T[]): [T[], T[]] {
  return [xs.filter((_, i) => !flags[i]), xs.filter((_, i) => flags[i])];
}

/** `util.merge_lists`: interleaves two lists back, taking from `whenTrue` where the flag is set. */
export function mergeLists<T>(flags: readonly boolean[], whenFalse: readonly T[], whenTrue: readonly T[]): T[] {
  let f = 0, t = 0;
  return flags.map((b) => (b ? whenTrue[t++] : whenFalse[f++]));
}

/**
 * `pe.dce_jaxpr`: drops equations whose results are unused and inputs nothing reads (unless
 * `instantiate` keeps them). Returns the new jaxpr and which inputs it still takes.
 */
export function dceJaxpr(j: Jaxpr, usedOutputs: readonly boolean[], instantiate: readonly boolean[]): [Jaxpr, boolean[]] {
  const used = new Set<Var>();
  j.outvars.forEach((v, i) => { if (usedOutputs[i] && v instanceof Var) used.add(v); });
  const kept: JaxprEqn[] = [];
  for (let i = j.eqns.length - 1; i >= 0; i--) {
    const e = j.eqns[i];
    if (!e.outBinders.some((v) => used.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) used.add(a);
  }
  const usedInputs = j.invars.map((v, i) => used.has(v) || instantiate[i]);
  const out = new Jaxpr(j.constvars, j.invars.filter((_, i) => usedInputs[i]), kept.reverse(),
    j.outvars.filter((_, i) => usedOutputs[i]));
  return [out, usedInputs];
}

/**
 * `_merge_common_consts`: the branches of a cond must take the same operands, so each branch's
 * consts (already leading invars, see separateConsts) are padded with fresh binders for the other
 * branches' consts; a const shared by several branches becomes one operand.
 */
export function mergeCommonConsts(jaxprs: readonly ClosedJaxpr[], allConsts: readonly ArrayBase[][]): [ClosedJaxpr[], ArrayBase[]] {
  const consts = allConsts.flat();
  const lens = allConsts.map((cs) => cs.length);
  const padded = jaxprs.map((cj, i) => {
    const before = lens.slice(0, i).reduce((a, b) => a + b, 0);
    const after = before + lens[i];
    const j = cj.jaxpr;
    const fresh = (c: ArrayBase) => new Var(c.aval);
    const invars = [...consts.slice(0, before).map(fresh), ...j.invars.slice(0, lens[i]),
      ...consts.slice(after).map(fresh), ...j.invars.slice(lens[i])];
    return new Jaxpr(j.constvars, invars, j.eqns, j.outvars);
  });
  // De-duplicate shared constants: the first binder of each distinct value stands for all of them.
  const firstIndex = consts.map((c) => consts.indexOf(c));
  const ddConsts = consts.filter((c, i) => firstIndex[i] === i);
  const merged = padded.map((j) => {
    const canon = new Map<Var, Var>();
    j.invars.slice(0, consts.length).forEach((v, i) => canon.set(v, j.invars[firstIndex[i]]));
    const sub = (a: Atom): Atom => (a instanceof Var ? canon.get(a) ?? a : a);
    const eqns = j.eqns.map((e) => ({ ...e, inputs: e.inputs.map(sub) }));
    const invars = [...j.invars.slice(0, consts.length).filter((_, i) => firstIndex[i] === i), ...j.invars.slice(consts.length)];
    return closeJaxpr(new Jaxpr(j.constvars, invars, eqns, j.outvars.map(sub)));
  });
  return [merged, ddConsts];
}
