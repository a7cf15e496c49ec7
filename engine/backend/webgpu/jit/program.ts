// The jaxpr as the scheduler sees it: nested `jit` equations inlined (each inlined equation still
// points at the outer equation it came from, for `plan.kernels[].eqns`), dead equations dropped,
// and every equation classified by how it can be lowered.

import type { ArrayBase } from '../../../core/array_base.js';
import { type Atom, ClosedJaxpr, DropVar, Jaxpr, type JaxprEqn, Literal, Var } from '../../../core/jaxpr.js';
import { gpuKernels } from '../kernel.js';

/**
 * elementwise  a pointwise primitive (its `elementwise` formulas): fused
 * view         broadcast_in_dim, reshape, squeeze, expand_dims, copy: index maps, fused
 * iota         a fused source (the value is a coordinate)
 * reduce       reduce_{sum,prod,max,min,and,or}: fused with producers (and an elementwise epilogue)
 * library      any other primitive with a webgpu kernel (dot_general, gather, sort, …): that kernel
 * host         no kernel (control flow with sub-jaxprs, …): run by `bind` between plan segments
 */
export type EqnKind = 'elementwise' | 'view' | 'iota' | 'reduce' | 'library' | 'host';

export const VIEW_PRIMITIVES = new Set(['broadcast_in_dim', 'reshape', 'squeeze', 'expand_dims', 'copy', 'copy_p']);
export const REDUCE_MONOIDS: Record<string, 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or'> = {
  reduce_sum: 'sum', reduce_prod: 'prod', reduce_max: 'max', reduce_min: 'min', reduce_and: 'and', reduce_or: 'or',
};
const CALL_PRIMITIVES = new Set(['jit', 'pjit', 'closed_call', 'core_call']);

export function classify(eqn: JaxprEqn): EqnKind {
  const name = eqn.primitive.name;
  if (eqn.primitive.elementwise) return 'elementwise';
  if (VIEW_PRIMITIVES.has(name)) return name === 'reshape' && eqn.params.dimensions ? 'library' : 'view';
  if (name === 'iota') return 'iota';
  if (name in REDUCE_MONOIDS) return 'reduce';
  if (gpuKernels.has(name)) return 'library';
  return 'host';
}

export interface ProgramEqn extends JaxprEqn {
  kind: EqnKind;
  /** Index of the equation of the original (outer) jaxpr this one is or was inlined from. */
  origin: number;
}

export interface Program {
  jaxpr: Jaxpr;
  eqns: ProgramEqn[];
  invars: Var[];
  /** Constants: the closed jaxpr's and those of inlined sub-jaxprs. */
  consts: { v: Var; value: ArrayBase }[];
  outvars: Atom[];
}

/** Flattens a closed jaxpr: inlines calls, drops equations nothing reads. */
export function buildProgram(closed: ClosedJaxpr): Program {
  const jaxpr = closed.jaxpr;
  const consts = jaxpr.constvars.map((v, i) => ({ v, value: closed.consts[i] }));
  const eqns: ProgramEqn[] = [];
  const inline = (inner: Jaxpr, innerConsts: readonly ArrayBase[], args: Atom[], outBinders: Var[], origin: number) => {
    const env = new Map<Var, Atom>();
    inner.constvars.forEach((v, i) => {
      const fresh = new Var(v.aval);
      consts.push({ v: fresh, value: innerConsts[i] });
      env.set(v, fresh);
    });
    inner.invars.forEach((v, i) => env.set(v, args[i]));
    const read = (a: Atom): Atom => (a instanceof Literal ? a : env.get(a) ?? a);
    for (const e of inner.eqns) {
      const outs = e.outBinders.map((v) => new Var(v.aval));
      e.outBinders.forEach((v, i) => env.set(v, outs[i]));
      visit({ primitive: e.primitive, inputs: e.inputs.map(read), params: e.params, outBinders: outs }, origin);
    }
    // The call's results are the inner outputs; route them through identity copies only where the
    // outer binder must stay distinct from an input (never needed: rebinding below suffices).
    inner.outvars.forEach((o, i) => rebind.set(outBinders[i], read(o)));
  };
  const rebind = new Map<Var, Atom>();
  const resolve = (a: Atom): Atom => {
    let cur = a;
    while (cur instanceof Var && rebind.has(cur)) cur = rebind.get(cur)!;
    return cur;
  };
  const visit = (eqn: JaxprEqn, origin: number) => {
    const inputs = eqn.inputs.map(resolve);
    const sub = eqn.params.jaxpr;
    if (CALL_PRIMITIVES.has(eqn.primitive.name) && (sub instanceof ClosedJaxpr || sub instanceof Jaxpr)) {
      const inner = sub instanceof ClosedJaxpr ? sub.jaxpr : sub;
      const innerConsts = sub instanceof ClosedJaxpr ? sub.consts : [];
      inline(inner, innerConsts, inputs, eqn.outBinders, origin);
      return;
    }
    const e: ProgramEqn = { primitive: eqn.primitive, inputs, params: eqn.params, outBinders: eqn.outBinders, kind: 'host', origin };
    e.kind = classify(e);
    eqns.push(e);
  };
  jaxpr.eqns.forEach((e, i) => visit(e, i));
  const outvars = jaxpr.outvars.map(resolve);
  return { jaxpr, eqns: deadCodeEliminated(eqns, outvars), invars: jaxpr.invars, consts, outvars };
}

function deadCodeEliminated(eqns: ProgramEqn[], outvars: Atom[]): ProgramEqn[] {
  const live = new Set<Var>(outvars.filter((a): a is Var => a instanceof Var));
  const kept: ProgramEqn[] = [];
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i];
    // Host equations may have effects (they run user-visible control flow): always kept.
    if (e.kind !== 'host' && !e.outBinders.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  return kept.reverse();
}

/** Names as the jaxpr printer assigns them: a, b, …, z, ba, bb, … over constvars, invars, then binders. */
export function varNames(jaxpr: Jaxpr): Map<Var, string> {
  const names = new Map<Var, string>();
  let n = 0;
  const name = (i: number): string => {
    let s = '';
    do { s = String.fromCharCode(97 + (i % 26)) + s; i = Math.floor(i / 26); } while (i > 0);
    return s;
  };
  const add = (v: Var) => { if (!(v instanceof DropVar) && !names.has(v)) names.set(v, name(n++)); };
  jaxpr.constvars.forEach(add);
  jaxpr.invars.forEach(add);
  for (const e of jaxpr.eqns) e.outBinders.forEach(add);
  return names;
}
