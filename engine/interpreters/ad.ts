// Reverse mode as JAX builds it: linearize by partial evaluation, then transpose.
//
// `linearizeFlat` runs the JVP of a function with the primals *known* and the tangents *unknown*
// (JAX's JaxprTrace with PartialVals, Autodidax's `partial_eval_flat`): every operation on known
// values runs at once, one level down (eagerly, or staged into an enclosing jaxpr), and every
// operation touching a tangent is recorded into the *linear jaxpr*, whose constants (the residuals)
// are the known values it reads. `backwardPass` then walks that jaxpr backwards applying each
// primitive's transpose rule, accumulating cotangents with `add_any` and keeping symbolic zeros
// symbolic (JAX's `backward_pass`). vjp is linearize followed by the backward pass, so
// `makeJaxpr(grad(f))` prints the forward (known) equations in program order, then the transposes.

import { ArrayBase } from '../core/array_base.js';
import type { ShapedArray } from '../core/aval.js';
import { UndefinedPrimal, Zero, isZero } from '../core/ad_util.js';
import { type Atom, Jaxpr, type JaxprEqn, Literal, Var } from '../core/jaxpr.js';
import type { Params, Primitive } from '../core/primitive.js';
import { MainTrace, Trace, Tracer, bind, withMainTrace } from '../core/trace.js';
import { literalValue } from './eval_jaxpr.js';
import { partialEvalWithRule } from '../lax/control_flow/ad_jaxprs.js';
import { type Tangent, NotImplementedError, addTangents, hasTangent, instantiateZeros, jvpFlat, tangentAval } from './jvp.js';

/** The linear jaxpr under construction (the unknown part of a partial evaluation). */
class LinearJaxprBuilder {
  readonly invars: Var[] = [];
  readonly eqns: JaxprEqn[] = [];
  readonly constvars: Var[] = [];
  readonly constvals: ArrayBase[] = [];
  private readonly constIndex = new Map<ArrayBase, Var>();

  /** The constvar holding a known value (one per value). */
  constVar(x: ArrayBase): Var {
    let v = this.constIndex.get(x);
    if (!v) {
      v = new Var(x.aval);
      this.constIndex.set(x, v);
      this.constvars.push(v);
      this.constvals.push(x);
    }
    return v;
  }
}

/** An unknown value of a partial evaluation: a variable of the linear jaxpr. */
export class PartialEvalTracer extends Tracer {
  constructor(readonly trace: PartialEvalTrace, readonly aval: ShapedArray, readonly variable: Var) { super(); }
}

/**
 * JAX's JaxprTrace: known values (anything that is not one of its tracers) stay as they are; a
 * primitive with an unknown operand is recorded, with its known operands becoming residuals.
 */
export class PartialEvalTrace extends Trace {
  get builder(): LinearJaxprBuilder { return this.main.globalData as LinearJaxprBuilder; }
  pure(x: ArrayBase): ArrayBase { return x; }

  newArg(aval: ShapedArray): PartialEvalTracer {
    const v = new Var(aval);
    this.builder.invars.push(v);
    return new PartialEvalTracer(this, aval, v);
  }

  private isUnknown(x: ArrayBase): x is PartialEvalTracer {
    return x instanceof PartialEvalTracer && x.trace.main === this.main;
  }

  processPrimitive(p: Primitive, args: ArrayBase[], params: Params): ArrayBase[] {
    if (!args.some((a) => this.isUnknown(a))) return bind(p, args, params);
    const b = this.builder;
    // Higher-order primitives (cond, scan, while) split themselves into known and unknown parts
    // (their rules live beside them in lax/control_flow); the rest are recorded whole.
    const split = partialEvalWithRule(p, args, params, args.map((a) => (this.isUnknown(a) ? a.variable : null)), (x) => b.constVar(x));
    if (split) {
      b.eqns.push(...split.eqns);
      return split.outs.map((o) => (o instanceof Var ? new PartialEvalTracer(this, o.aval, o) : o));
    }
    const inputs: Atom[] = args.map((a) => (this.isUnknown(a) ? a.variable : b.constVar(a)));
    const outAvals = p.abstractEval(args.map((a) => a.aval), params);
    const outBinders = outAvals.map((a) => new Var(a));
    b.eqns.push({ primitive: p, inputs, params, outBinders });
    return outBinders.map((v) => new PartialEvalTracer(this, v.aval, v));
  }
}

/** A linear function as a jaxpr: its invars are the nonzero tangent inputs, its constvars the residuals. */
export interface LinearJaxpr {
  jaxpr: Jaxpr;
  consts: ArrayBase[];
  /** Per input: whether it has an invar (a nonzero tangent), in order. */
  inNonzero: boolean[];
  /** Per output: whether its tangent is nonzero (has an outvar), in order. */
  outNonzero: boolean[];
  inAvals: ShapedArray[];
  outAvals: ShapedArray[];
}

/** Keeps the equations that the outputs need (JAX's `dce_jaxpr`), and the constvars they read. */
function dce(b: LinearJaxprBuilder, outvars: Atom[]): Jaxpr {
  const live = new Set<Var>(outvars.filter((a): a is Var => a instanceof Var));
  const kept: JaxprEqn[] = [];
  for (let i = b.eqns.length - 1; i >= 0; i--) {
    const e = b.eqns[i];
    if (!e.outBinders.some((o) => live.has(o))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  const constvars = b.constvars.filter((v) => live.has(v));
  return new Jaxpr(constvars, b.invars, kept, outvars);
}

/**
 * Linearizes a flat function at `primals`: the primal outputs (computed now) and the linear map
 * from input tangents to output tangents as a jaxpr. Inputs without tangents (integer, boolean)
 * and outputs whose tangent is structurally zero have no variables.
 */
export function linearizeFlat(fn: (...xs: ArrayBase[]) => ArrayBase[], primals: ArrayBase[]): [ArrayBase[], LinearJaxpr] {
  const b = new LinearJaxprBuilder();
  return withMainTrace(PartialEvalTrace, b, (main: MainTrace) => {
    const trace = new PartialEvalTrace(main);
    const inNonzero = primals.map((p) => hasTangent(p.aval));
    const tangentsIn: Tangent[] = primals.map((p, i) => (inNonzero[i] ? trace.newArg(tangentAval(p.aval)) : new Zero(tangentAval(p.aval))));
    const [primalsOut, tangentsOut] = jvpFlat(fn, primals, tangentsIn);
    const outNonzero = tangentsOut.map((t) => !isZero(t));
    const outvars: Atom[] = [];
    for (const t of tangentsOut) {
      if (isZero(t)) continue;
      outvars.push(t instanceof PartialEvalTracer && t.trace.main === main ? t.variable : b.constVar(t));
    }
    const jaxpr = dce(b, outvars);
    const constIdx = new Map(b.constvars.map((v, i) => [v, i]));
    const consts = jaxpr.constvars.map((v) => b.constvals[constIdx.get(v)!]);
    return [primalsOut, {
      jaxpr, consts, inNonzero, outNonzero,
      inAvals: primals.map((p) => tangentAval(p.aval)), outAvals: primalsOut.map((p) => tangentAval(p.aval)),
    }];
  });
}

/** JAX's ValAccum: the cotangent accumulated so far for one linear variable. */
class CtAccum {
  val: Tangent;
  constructor(readonly aval: ShapedArray) { this.val = new Zero(aval); }
  accum(ct: Tangent | null | undefined): void {
    if (ct === null || ct === undefined) return;
    const ctAval = ct.aval;
    if (ctAval.shape.join() !== this.aval.shape.join()) {
      throw new TypeError(`Expected cotangent type ${this.aval.strShort()} but got ${ctAval.strShort()}`);
    }
    this.val = addTangents(this.val, ct);
  }
}

/**
 * JAX's `backward_pass`: transposes the linear jaxpr. `cts` holds one cotangent per outvar (Zero
 * allowed); returns one cotangent per invar (Zero where none flowed).
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly ArrayBase[], cts: readonly Tangent[],
  initialCts?: readonly (Tangent | null)[]): Tangent[] {
  const accums = jaxpr.invars.map((v) => new CtAccum(v.aval));
  // A transposed loop body accumulates into cotangents it was given (JAX's ValAccum(aval, x)).
  initialCts?.forEach((ct, i) => accums[i].accum(ct));
  if (cts.every(isZero)) return accums.map((a) => a.val);
  const env = new Map<Var, ArrayBase | CtAccum>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => env.set(v, accums[i]));
  const read = (a: Atom): ArrayBase | CtAccum => {
    if (a instanceof Literal) return literalValue(a);
    const x = env.get(a);
    if (x === undefined) throw new Error('internal: backwardPass read an unbound variable');
    return x;
  };
  // Equations that do not touch the linear inputs (e.g. zeros made inside a rule) run forwards first.
  const linEqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const ins = e.inputs.map(read);
    if (ins.some((x) => x instanceof CtAccum)) {
      for (const o of e.outBinders) env.set(o, new CtAccum(o.aval));
      linEqns.push(e);
    } else {
      const outs = bind(e.primitive, ins as ArrayBase[], e.params);
      e.outBinders.forEach((o, i) => { if (!env.has(o)) env.set(o, outs[i]); });
    }
  }
  jaxpr.outvars.forEach((a, i) => {
    const acc = read(a);
    if (acc instanceof CtAccum) acc.accum(cts[i]);
  });
  for (let k = linEqns.length - 1; k >= 0; k--) {
    const e = linEqns[k];
    const ctsIn = e.outBinders.map((o) => {
      const acc = env.get(o) as CtAccum;
      env.delete(o);
      return acc.val;
    });
    const rule = e.primitive.transpose;
    if (!rule) throw new NotImplementedError(`Transpose rule (for reverse-mode differentiation) for '${e.primitive.name}' not implemented`);
    const ins = e.inputs.map(read);
    const args = ins.map((x) => (x instanceof CtAccum ? new UndefinedPrimal(x.aval) : x));
    const ctsOut = rule(ctsIn, args, e.params);
    ins.forEach((x, i) => { if (x instanceof CtAccum) x.accum(ctsOut[i]); });
  }
  return accums.map((a) => a.val);
}

/** Applies a linear jaxpr forwards to the nonzero input tangents (JAX's `linearize` jvp function). */
export function applyLinear(lin: LinearJaxpr, tangents: readonly Tangent[]): Tangent[] {
  const ins = lin.inNonzero.flatMap((nz, i) => (nz ? [tangents[i]] : []));
  const env = new Map<Var, Tangent>();
  lin.jaxpr.constvars.forEach((v, i) => env.set(v, lin.consts[i]));
  lin.jaxpr.invars.forEach((v, i) => env.set(v, ins[i]));
  const read = (a: Atom): Tangent => (a instanceof Literal ? literalValue(a) : env.get(a)!);
  for (const e of lin.jaxpr.eqns) {
    const xs = e.inputs.map(read);
    let outs: Tangent[];
    if (xs.every(isZero)) outs = e.outBinders.map((o) => new Zero(o.aval));
    else {
      const zeroAt = xs.findIndex(isZero);
      const vals = zeroAt < 0 ? (xs as ArrayBase[]) : xs.map(instantiateZeros);
      outs = bind(e.primitive, vals, e.params);
    }
    e.outBinders.forEach((o, i) => env.set(o, outs[i]));
  }
  const outs = lin.jaxpr.outvars.map(read);
  let j = 0;
  return lin.outNonzero.map((nz, i) => (nz ? outs[j++] : new Zero(lin.outAvals[i])));
}

/**
 * Flat vjp: the primal outputs and a function from output cotangents (Zero allowed) to input
 * cotangents (Zero where none flowed, always Zero for inputs without tangents).
 */
export function vjpFlat(fn: (...xs: ArrayBase[]) => ArrayBase[], primals: ArrayBase[]): [ArrayBase[], (cts: readonly Tangent[]) => Tangent[], LinearJaxpr] {
  const [primalsOut, lin] = linearizeFlat(fn, primals);
  const backward = (cts: readonly Tangent[]): Tangent[] => {
    const nzCts = cts.filter((_, i) => lin.outNonzero[i]);
    const ctsIn = backwardPass(lin.jaxpr, lin.consts, nzCts);
    let j = 0;
    return lin.inNonzero.map((nz, i) => (nz ? ctsIn[j++] : new Zero(lin.inAvals[i])));
  };
  return [primalsOut, backward, lin];
}

export { isZero };
