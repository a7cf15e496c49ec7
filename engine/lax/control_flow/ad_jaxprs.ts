// Differentiating jaxprs, for the rules of the control-flow primitives (and reusable by any
// higher-order primitive): JAX's `ad.jvp_jaxpr`, `pe.partial_eval_jaxpr_nounits` (the known /
// unknown split of a jaxpr, with residuals), `ad.backward_pass` over a jaxpr whose inputs are part
// residuals, part linear (delegating to interpreters/ad.ts), and the binder rearrangements the loop
// rules need.
//
// The known/unknown split works on the jaxpr's equations (as JAX's `partial_eval_jaxpr_custom`):
// an equation none of whose inputs is unknown is known; one with an unknown input is unknown, and
// the known variables it reads become residuals — unless its primitive has a rule in
// `partialEvalJaxprRules`, which splits it itself (cond, scan and while do, so that a loop or branch
// differentiated inside another keeps its primal work in the known jaxpr). The same rules serve the
// tracing partial evaluator of interpreters/ad.ts (linearize) through `partialEvalWithRule`.

import type { ArrayBase } from '../../core/array_base.js';
import type { ShapedArray } from '../../core/aval.js';
import { type UndefinedPrimal, Zero, isUndefinedPrimal, isZero } from '../../core/ad_util.js';
import { type Atom, ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, Var } from '../../core/jaxpr.js';
import type { Primitive } from '../../core/primitive.js';
import { bind } from '../../core/trace.js';
import { evalJaxpr, literalValue } from '../../interpreters/eval_jaxpr.js';
import { type Tangent, instantiateZeros, jvpFlat, tangentAval } from '../../interpreters/jvp.js';
import { backwardPass as linearBackwardPass } from '../../interpreters/ad.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';

// ---- forward mode -------------------------------------------------------------------------------

/**
 * JAX's `ad.jvp_jaxpr`: a jaxpr taking `[...primals, ...tangents of the nonzero inputs]` and
 * returning `[...primal outputs, ...tangents of the nonzero outputs]`, and which outputs have a
 * nonzero tangent (those `instantiate` names always do: their zeros are materialized).
 */
export function jvpJaxpr(cj: ClosedJaxpr, nonzeros: readonly boolean[], instantiate: boolean | readonly boolean[]): [ClosedJaxpr, boolean[]] {
  const n = cj.inAvals.length;
  const inst = typeof instantiate === 'boolean' ? cj.outAvals.map(() => instantiate) : instantiate;
  const tangentAvals = cj.inAvals.filter((_, i) => nonzeros[i]).map(tangentAval);
  let outNz: boolean[] = [];
  const traced = traceToJaxpr((...args: ArrayBase[]) => {
    const primals = args.slice(0, n);
    const given = args.slice(n);
    let k = 0;
    const tangents: Tangent[] = primals.map((p, i) => (nonzeros[i] ? given[k++] : new Zero(tangentAval(p.aval))));
    const [po, to] = jvpFlat((...xs) => evalJaxpr(cj.jaxpr, cj.consts, xs), primals, tangents);
    outNz = to.map((t, i) => !isZero(t) || inst[i]);
    const tOut = to.filter((_, i) => outNz[i]).map(instantiateZeros);
    return [...po, ...tOut];
  }, [...cj.inAvals, ...tangentAvals]);
  return [traced, outNz];
}

/**
 * Reorders a jaxpr's binders: `inGroups`/`outGroups` give the sizes of consecutive groups and
 * `inOrder`/`outOrder` the order in which the groups are to appear (JAX's `ad.rearrange_binders`).
 */
export function rearrangeBinders(cj: ClosedJaxpr, inGroups: readonly number[], inOrder: readonly number[],
  outGroups: readonly number[], outOrder: readonly number[]): ClosedJaxpr {
  const regroup = <T>(xs: readonly T[], sizes: readonly number[], order: readonly number[]): T[] => {
    const groups: T[][] = [];
    let at = 0;
    for (const s of sizes) { groups.push(xs.slice(at, at + s)); at += s; }
    if (at !== xs.length) throw new Error(`internal: rearrangeBinders: groups cover ${at} of ${xs.length} binders`);
    return order.flatMap((g) => groups[g]);
  };
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, regroup(j.invars, inGroups, inOrder), j.eqns, regroup(j.outvars, outGroups, outOrder)), cj.consts);
}

// ---- partial evaluation: the known / unknown split ---------------------------------------------

/** The result of splitting one equation with unknown inputs (see partialEvalJaxprRules). */
export interface EqnSplit {
  /** Equations that compute known values from known ones (they go to the known jaxpr). */
  known: JaxprEqn[];
  /** Equations that compute the unknown outputs; the known variables they read become residuals. */
  unknown: JaxprEqn[];
  /** Per output binder of the equation: whether it is unknown. */
  outUnknowns: boolean[];
}

/**
 * A primitive's own known/unknown split of one of its equations (JAX's
 * `partial_eval_jaxpr_custom_rules`). `inUnknowns` flags the equation's inputs; the rule returns
 * new equations whose known outputs bind the original out binders (unknown ones too, in `unknown`).
 */
export type PartialEvalJaxprRule = (eqn: JaxprEqn, inUnknowns: boolean[]) => EqnSplit;
export const partialEvalJaxprRules = new Map<Primitive<any>, PartialEvalJaxprRule>();

/** What `partialEvalJaxprNounits` returns. */
export interface JaxprSplit {
  /** Takes the known inputs; returns the known outputs, then the residuals. */
  known: ClosedJaxpr;
  /** Takes the residuals, then the unknown inputs; returns the unknown outputs. */
  unknown: ClosedJaxpr;
  /** Per output: whether it is unknown (computed by `unknown`). */
  outUnknowns: boolean[];
  /** The types of the residuals. */
  resAvals: ShapedArray[];
}

/**
 * JAX's `pe.partial_eval_jaxpr_nounits`: splits `cj` given which inputs are unknown. An output named
 * by `instantiate` is unknown even when it could be known (its value is then a residual that the
 * unknown jaxpr returns).
 */
export function partialEvalJaxprNounits(cj: ClosedJaxpr, inUnknowns: readonly boolean[], instantiate: boolean | readonly boolean[]): JaxprSplit {
  const j = cj.jaxpr;
  const inst = typeof instantiate === 'boolean' ? j.outvars.map(() => instantiate) : instantiate;
  const unknownVars = new Set<Var>();
  j.invars.forEach((v, i) => { if (inUnknowns[i]) unknownVars.add(v); });
  const isUnknown = (a: Atom) => a instanceof Var && unknownVars.has(a);
  const knownEqns: JaxprEqn[] = [];
  const unknownEqns: JaxprEqn[] = [];
  for (const e of j.eqns) {
    const uks = e.inputs.map(isUnknown);
    if (!uks.some((u) => u)) { knownEqns.push(e); continue; }
    const rule = partialEvalJaxprRules.get(e.primitive);
    if (rule) {
      const split = rule(e, uks);
      knownEqns.push(...split.known);
      unknownEqns.push(...split.unknown);
      e.outBinders.forEach((v, i) => { if (split.outUnknowns[i]) unknownVars.add(v); });
    } else {
      unknownEqns.push(e);
      for (const v of e.outBinders) unknownVars.add(v);
    }
  }
  const outUnknowns = j.outvars.map((v, i) => isUnknown(v) || inst[i]);
  // Only the unknown equations the unknown outputs need are kept (a tracing partial evaluator
  // records no others), so that no residual is saved for nothing.
  const live = new Set<Var>(j.outvars.filter((v, i): v is Var => outUnknowns[i] && v instanceof Var));
  const neededEqns: JaxprEqn[] = [];
  for (let k = unknownEqns.length - 1; k >= 0; k--) {
    const e = unknownEqns[k];
    if (!e.outBinders.some((v) => live.has(v))) continue;
    neededEqns.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  neededEqns.reverse();
  // Residuals: the known variables that unknown equations or instantiated outputs read.
  const residuals: Var[] = [];
  const seen = new Set<Var>();
  const addRes = (a: Atom) => {
    if (a instanceof Var && !unknownVars.has(a) && !seen.has(a)) { seen.add(a); residuals.push(a); }
  };
  for (const e of neededEqns) e.inputs.forEach(addRes);
  j.outvars.forEach((v, i) => { if (outUnknowns[i]) addRes(v); });
  const knownInvars = j.invars.filter((_, i) => !inUnknowns[i]);
  // Constvars of the jaxpr are known values: the known jaxpr keeps them; the unknown one gets
  // them as residuals.
  const known = new ClosedJaxpr(new Jaxpr(j.constvars, knownInvars, knownEqns,
    [...j.outvars.filter((_, i) => !outUnknowns[i]), ...residuals]), cj.consts);
  // The unknown jaxpr binds each residual to a fresh variable standing for the same value.
  const resVars = residuals.map((r) => new Var(r.aval));
  const sub = new Map<Var, Var>(residuals.map((r, i) => [r, resVars[i]]));
  const rename = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const eqns = neededEqns.map((e) => ({ ...e, inputs: e.inputs.map(rename) }));
  const unknown = new ClosedJaxpr(new Jaxpr([], [...resVars, ...j.invars.filter((_, i) => inUnknowns[i])], eqns,
    j.outvars.filter((_, i) => outUnknowns[i]).map(rename)), []);
  return { known, unknown, outUnknowns, resAvals: residuals.map((r) => r.aval) };
}

/**
 * A primitive's partial-eval rule applied by a *trace-based* partial evaluator (the linearize of
 * interpreters/ad.ts): `args` are the operands, `unknownVars[i]` the linear-jaxpr variable of an
 * unknown operand (null for a known one). The known equations of the split run now on the known
 * values (bind, one level down); the unknown ones are returned for the caller's jaxpr, the known
 * values they read turned into its constvars by `constVar`. Outputs are known values, or the Var
 * of an unknown output. Returns null when the primitive has no rule.
 */
export function partialEvalWithRule(p: Primitive<any>, args: readonly ArrayBase[], params: Record<string, unknown>,
  unknownVars: readonly (Var | null)[], constVar: (x: ArrayBase) => Var): { outs: (ArrayBase | Var)[]; eqns: JaxprEqn[] } | null {
  const rule = partialEvalJaxprRules.get(p);
  if (!rule) return null;
  const inVars = args.map((a, i) => unknownVars[i] ?? new Var(a.aval));
  const outAvals = p.abstractEval(args.map((a) => a.aval), params);
  const eqn = makeEqn(p, inVars, params, freshVars(outAvals));
  const split = rule(eqn, unknownVars.map((v) => v !== null));
  const known = new Map<Var, ArrayBase>();
  inVars.forEach((v, i) => { if (unknownVars[i] === null) known.set(v, args[i]); });
  const read = (a: Atom): ArrayBase => (a instanceof Literal ? literalValue(a) : known.get(a)!);
  for (const e of split.known) {
    const outs = bind(e.primitive, e.inputs.map(read), e.params);
    e.outBinders.forEach((v, i) => known.set(v, outs[i]));
  }
  const toAtom = (a: Atom): Atom => (a instanceof Var && known.has(a) ? constVar(known.get(a)!) : a);
  const eqns = split.unknown.map((e) => ({ ...e, inputs: e.inputs.map(toAtom) }));
  const outs = eqn.outBinders.map((v, i) => (split.outUnknowns[i] ? v : known.get(v)!));
  return { outs, eqns };
}

/**
 * A primitive's dead-code rule (JAX's `pe.dce_rules`): given which outputs of the equation are
 * used, the equation to keep (null: drop it) and which of its inputs it reads.
 */
export type DceRule = (eqn: JaxprEqn, usedOutputs: boolean[]) => [JaxprEqn | null, boolean[]];
export const dceRules = new Map<Primitive<any>, DceRule>();

/**
 * JAX's `pe.dce_jaxpr`: drops the equations whose results nothing uses, recursing into the
 * sub-jaxprs of primitives with a rule in `dceRules`. Returns the jaxpr and which inputs it reads
 * (those `instantiate` names are kept either way).
 */
export function dceJaxprDeep(j: Jaxpr, usedOutputs: readonly boolean[], instantiate: boolean | readonly boolean[] = false): [Jaxpr, boolean[]] {
  const inst = typeof instantiate === 'boolean' ? j.invars.map(() => instantiate) : instantiate;
  const live = new Set<Var>(j.outvars.filter((v, i): v is Var => usedOutputs[i] && v instanceof Var));
  const kept: JaxprEqn[] = [];
  for (let k = j.eqns.length - 1; k >= 0; k--) {
    const e = j.eqns[k];
    const used = e.outBinders.map((v) => live.has(v));
    if (!used.some((u) => u)) continue;
    const rule = dceRules.get(e.primitive);
    const [newEqn, usedInputs] = rule ? rule(e, used) : [e, e.inputs.map(() => true)];
    if (!newEqn) continue;
    kept.push(newEqn);
    e.inputs.forEach((a, i) => { if (usedInputs[i] && a instanceof Var) live.add(a); });
  }
  const usedInvars = j.invars.map((v, i) => live.has(v) || inst[i]);
  return [new Jaxpr(j.constvars, j.invars.filter((_, i) => usedInvars[i]), kept.reverse(),
    j.outvars.filter((_, i) => usedOutputs[i])), usedInvars];
}

/** An equation binding `outs = prim[params] ins`. */
export function makeEqn(primitive: Primitive<any>, inputs: Atom[], params: Record<string, unknown>, outBinders: Var[]): JaxprEqn {
  return { primitive: primitive as Primitive, inputs, params, outBinders };
}

/** Fresh binders for these avals. */
export const freshVars = (avals: readonly ShapedArray[]): Var[] => avals.map((a) => new Var(a));

// ---- transposition ------------------------------------------------------------------------------

export type Cotangent = ArrayBase | Zero;

/**
 * JAX's `ad.backward_pass` over a jaxpr some of whose inputs are linear (given as UndefinedPrimal)
 * and the others known (residuals): the known inputs become constants of interpreters/ad.ts's
 * backward pass. `initialCts` seeds the cotangents of (linear) inputs that a transposed loop body
 * accumulates into. Returns the cotangent of each input (Zero where none flows, null for the known).
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly ArrayBase[], args: readonly (ArrayBase | UndefinedPrimal)[],
  cts: readonly Cotangent[], initialCts?: readonly (Cotangent | null)[]): (Cotangent | null)[] {
  const linear = args.map(isUndefinedPrimal);
  const lifted = new Jaxpr([...jaxpr.constvars, ...jaxpr.invars.filter((_, i) => !linear[i])],
    jaxpr.invars.filter((_, i) => linear[i]), jaxpr.eqns, jaxpr.outvars);
  const ctsIn = linearBackwardPass(lifted, [...consts, ...args.filter((_, i) => !linear[i]) as ArrayBase[]], cts,
    initialCts?.filter((_, i) => linear[i]));
  let next = 0;
  return linear.map((l) => (l ? ctsIn[next++] : null));
}

/** Runs a closed jaxpr on any values (concrete or traced). */
export const callJaxpr = (cj: ClosedJaxpr, args: readonly ArrayBase[]): ArrayBase[] => evalJaxpr(cj.jaxpr, cj.consts, args);
