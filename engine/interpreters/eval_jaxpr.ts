// Running a jaxpr: each equation is `bind`-ed in order (JAX's `core.eval_jaxpr`). On concrete
// arrays that evaluates it eagerly, one primitive at a time; under a transformation the equations
// are re-traced by whichever trace is on top, so a jaxpr can be inlined into another one, or
// differentiated, batched, … like the function it came from.

import type { ArrayBase } from '../core/array_base.js';
import { type Atom, type Jaxpr, Literal, type Var } from '../core/jaxpr.js';
import { bind } from '../core/trace.js';
import { scalarConstant } from '../lax/constants.js';

/** The value of a literal as an array (a cached rank-0 constant). */
export function literalValue(lit: Literal): ArrayBase {
  return scalarConstant(lit.value, lit.aval.dtype, lit.aval.weakType);
}

/** Evaluates `jaxpr` with its constvars bound to `consts` and its invars to `args`; returns the outputs. */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly ArrayBase[], args: readonly ArrayBase[]): ArrayBase[] {
  if (consts.length !== jaxpr.constvars.length || args.length !== jaxpr.invars.length) {
    throw new TypeError(`evalJaxpr: the jaxpr takes ${jaxpr.constvars.length} constants and ${jaxpr.invars.length} arguments, ` +
      `got ${consts.length} and ${args.length}.`);
  }
  const env = new Map<Var, ArrayBase>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => {
    const a = args[i];
    if (a.dtype !== v.aval.dtype || a.shape.join() !== v.aval.shape.join()) {
      throw new TypeError(`evalJaxpr: argument ${i} is ${a.aval.strShort()} but the jaxpr expects ${v.aval.strShort()}.`);
    }
    env.set(v, a);
  });
  const read = (a: Atom): ArrayBase => {
    if (a instanceof Literal) return literalValue(a);
    const v = env.get(a);
    if (v === undefined) throw new Error('internal: evalJaxpr read a variable before it was bound');
    return v;
  };
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.primitive, eqn.inputs.map(read), eqn.params);
    eqn.outBinders.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outvars.map(read);
}
