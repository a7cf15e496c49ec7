// The jaxpr IR, as JAX's core has it: typed variables, literals, equations (a primitive applied to
// atoms, binding new variables), and a Jaxpr (constvars; invars. eqns; outvars). A ClosedJaxpr
// pairs a Jaxpr with the values of its constvars. Printing lives in ./jaxpr_printer.ts; building
// jaxprs by tracing lives in ../interpreters/partial_eval.ts; running them in ../interpreters.

import type { ShapedArray } from './aval.js';
import type { ArrayBase } from './array_base.js';
import type { Primitive, Params } from './primitive.js';

/** A variable. Names are not stored: the printer assigns a, b, …, z, ba, bb, … in binding order. */
export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** An output binder that nothing reads, printed `_`. */
export class DropVar extends Var {}

/** A scalar constant inlined in an equation, printed `2.0:f32[]`. */
export class Literal {
  constructor(readonly value: number | boolean, readonly aval: ShapedArray) {}
}

export type Atom = Var | Literal;

export interface JaxprEqn {
  primitive: Primitive;
  inputs: Atom[];
  params: Params;
  outBinders: Var[];
}

export class Jaxpr {
  constructor(
    readonly constvars: Var[],
    readonly invars: Var[],
    readonly eqns: JaxprEqn[],
    readonly outvars: Atom[],
  ) {}
  get inAvals(): ShapedArray[] { return this.invars.map((v) => v.aval); }
  get outAvals(): ShapedArray[] { return this.outvars.map((v) => v.aval); }
  /** JAX's text format, installed by jaxpr_printer.ts. */
  toString(): string { return printJaxpr(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

/**
 * A Jaxpr with the values of its constvars (JAX's ClosedJaxpr). A const is usually a concrete array;
 * when a traced function closes over a tracer of an enclosing trace, that tracer is a const too.
 */
export class ClosedJaxpr {
  constructor(readonly jaxpr: Jaxpr, readonly consts: ArrayBase[]) {
    if (consts.length !== jaxpr.constvars.length) {
      throw new Error(`internal: ClosedJaxpr with ${consts.length} consts for ${jaxpr.constvars.length} constvars`);
    }
  }
  get inAvals(): ShapedArray[] { return this.jaxpr.inAvals; }
  get outAvals(): ShapedArray[] { return this.jaxpr.outAvals; }
  /** JAX's text format, installed by jaxpr_printer.ts. */
  toString(): string { return printJaxpr(this.jaxpr); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

type Printer = (j: Jaxpr) => string;
let printJaxpr: Printer = () => '<jaxpr printer not loaded>';
export function installJaxprPrinter(p: Printer): void { printJaxpr = p; }

/** Equation constructor with the out binders made from the avals. */
export function newEqn(primitive: Primitive, inputs: Atom[], params: Params, outAvals: ShapedArray[]): JaxprEqn {
  return { primitive, inputs, params, outBinders: outAvals.map((a) => new Var(a)) };
}
