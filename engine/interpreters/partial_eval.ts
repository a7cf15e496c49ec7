// Tracing to a jaxpr, as JAX's DynamicJaxprTrace does it (omnistaging): while a function runs under
// `traceToJaxpr`, its trace is the *dynamic* trace, so every `bind` — even one whose operands are all
// constants, like `np.arange(3)` — is staged out as an equation instead of running. Concrete arrays
// met along the way become constants: rank-0 ones known on the host become Literals (`2.0:f32[]`),
// the others constvars of the resulting ClosedJaxpr. Tracers of an enclosing trace (a closure over
// an outer jit's argument) become constvars too, whose "values" are those outer tracers; jit and the
// control-flow primitives turn them into explicit operands.

import { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { ShapedArray } from '../core/aval.js';
import { type Atom, ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, Var } from '../core/jaxpr.js';
import type { Params, Primitive } from '../core/primitive.js';
import { MainTrace, Trace, Tracer, topMainTrace, withDynamicTrace, withMainTrace } from '../core/trace.js';

/** What a traced function is, for error messages: `f` traced for `jit` with arguments `x`, `y`. */
export interface DebugInfo {
  /** The function's name (`<lambda>` for anonymous functions, as JAX). */
  funcName: string;
  /** `jit`, `makeJaxpr`, `cond`, … — what the function is being traced for. */
  tracedFor: string;
  /** One name per flat input (`x`, `params['w']`), or null when unknown. */
  argNames: string[] | null;
}

export interface TraceToJaxprOptions {
  debugInfo?: DebugInfo;
}

/** The state of one tracing: the jaxpr under construction (JAX's JaxprStackFrame). */
export class JaxprBuilder {
  readonly invars: Var[] = [];
  readonly eqns: JaxprEqn[] = [];
  readonly constvars: Var[] = [];
  readonly constvals: ArrayBase[] = [];
  /** Constants already met, so one captured array is one constvar. */
  readonly constTracers = new Map<ArrayBase, DynamicJaxprTracer>();
  constructor(readonly debugInfo: DebugInfo | null) {}

  /** Which inputs a value depends on (positions in invars), walking the equations backwards. */
  progenitors(v: Atom): number[] {
    if (!(v instanceof Var)) return [];
    const active = new Set<Var>([v]);
    for (let i = this.eqns.length - 1; i >= 0; i--) {
      const e = this.eqns[i];
      if (!e.outBinders.some((o) => active.has(o))) continue;
      for (const o of e.outBinders) active.delete(o);
      for (const a of e.inputs) if (a instanceof Var) active.add(a);
    }
    return this.invars.flatMap((iv, i) => (active.has(iv) ? [i] : []));
  }
}

/** A value being traced into a jaxpr: an atom (a variable or a literal) of the jaxpr being built. */
export class DynamicJaxprTracer extends Tracer {
  constructor(readonly trace: DynamicJaxprTrace, readonly aval: ShapedArray, readonly atom: Atom) { super(); }

  /** `JitTracer(float32[3])`, JAX 0.10's repr of a tracer being staged into a jaxpr. */
  override toString(): string { return `JitTracer(${avalStr(this.aval)})`; }

  override originMessage(): string {
    const frame = this.trace.main.globalData as JaxprBuilder;
    const dbg = frame.debugInfo;
    if (!dbg) return '';
    let msg = `The error occurred while tracing the function ${dbg.funcName} for ${dbg.tracedFor}. `;
    const pos = frame.progenitors(this.atom);
    if (pos.length > 0) {
      const names = pos.map((i) => dbg.argNames?.[i] ?? `args[${i}]`);
      const list = names.length === 1 ? `the argument ${names[0]}`
        : names.length === 2 ? `the arguments ${names[0]} and ${names[1]}`
        : `the arguments ${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
      msg += `This concrete value was not available in JS because it depends on the value${pos.length > 1 ? 's' : ''} of ${list}.`;
    }
    return `\n${msg}`;
  }

  override leakInfo(): string {
    const frame = this.trace.main.globalData as JaxprBuilder;
    const dbg = frame.debugInfo;
    let msg = dbg ? `\nThe function being traced when the value leaked was ${dbg.funcName} traced for ${dbg.tracedFor}.` : '';
    const eqn = frame.eqns.find((e) => e.outBinders.includes(this.atom as Var));
    if (eqn) msg += ` The leaked value was created by the primitive \`${eqn.primitive.name}\`.`;
    else if (frame.invars.includes(this.atom as Var)) msg += ' The leaked value is an argument of that function.';
    return msg;
  }
}

/** JAX 0.10's `str(aval)`: `float32[3]`, `~float32[]` when weakly typed. */
export function avalStr(a: ShapedArray): string {
  return `${a.weakType ? '~' : ''}${a.dtype}[${a.shape.join(',')}]`;
}

/**
 * The value of a rank-0 concrete array when it is known on the host without waiting (a cached host
 * copy, or a synchronous read from the cpu backend): such constants become Literals, as JAX inlines
 * scalar constants. Others become constvars.
 */
export function hostScalar(x: ArrayBase): number | boolean | null {
  if (!(x instanceof Array) || x.ndim !== 0) return null;
  const host = x.hostValuesSync();
  if (!host) return null;
  return x.dtype === 'bool' ? host[0] !== 0 : host[0];
}

export class DynamicJaxprTrace extends Trace {
  get frame(): JaxprBuilder { return this.main.globalData as JaxprBuilder; }

  pure(x: ArrayBase): DynamicJaxprTracer {
    const frame = this.frame;
    const known = frame.constTracers.get(x);
    if (known) return known;
    const lit = hostScalar(x);
    if (lit !== null) return new DynamicJaxprTracer(this, x.aval, new Literal(lit, x.aval));
    const v = new Var(x.aval);
    frame.constvars.push(v);
    frame.constvals.push(x);
    const t = new DynamicJaxprTracer(this, x.aval, v);
    frame.constTracers.set(x, t);
    return t;
  }

  newArg(aval: ShapedArray): DynamicJaxprTracer {
    const v = new Var(aval);
    this.frame.invars.push(v);
    return new DynamicJaxprTracer(this, aval, v);
  }

  processPrimitive(prim: Primitive, tracers: ArrayBase[], params: Params): ArrayBase[] {
    const ins = tracers as DynamicJaxprTracer[];
    const outAvals = prim.abstractEval(ins.map((t) => t.aval), params);
    return this.emitEqn(prim, ins, params, outAvals);
  }

  /** Adds `outs = prim[params] ins` to the jaxpr and returns tracers for its outputs. */
  emitEqn(prim: Primitive, ins: DynamicJaxprTracer[], params: Params, outAvals: ShapedArray[]): DynamicJaxprTracer[] {
    const outBinders = outAvals.map((a) => new Var(a));
    this.frame.eqns.push({ primitive: prim, inputs: ins.map((t) => t.atom), params, outBinders });
    return outBinders.map((v) => new DynamicJaxprTracer(this, v.aval, v));
  }
}

/**
 * Traces `fn` on abstract inputs of the given avals and returns its jaxpr with the values of its
 * constants. `fn` takes and returns flat lists of arrays; an output may be any array (a captured
 * constant or an input returned as is). The constants of the result may include tracers of an
 * enclosing trace when `fn` closes over them (see the file comment).
 */
export function traceToJaxpr(
  fn: (...args: ArrayBase[]) => ArrayBase[], inAvals: readonly ShapedArray[], opts: TraceToJaxprOptions = {},
): ClosedJaxpr {
  const frame = new JaxprBuilder(opts.debugInfo ?? null);
  return withMainTrace(DynamicJaxprTrace, frame, (main: MainTrace) => withDynamicTrace(main, () => {
    const trace = new DynamicJaxprTrace(main);
    const args = inAvals.map((a) => trace.newArg(a));
    const outs = fn(...args);
    if (!globalThis.Array.isArray(outs)) {
      throw new TypeError(`traceToJaxpr: the traced function must return a list of arrays, got ${typeof outs}.`);
    }
    const outAtoms = outs.map((o, i) => {
      if (!(o instanceof ArrayBase)) {
        throw new TypeError(`traceToJaxpr: output ${i} of the traced function is not an array (${describe(o)}).`);
      }
      return toTracer(trace, o).atom;
    });
    const jaxpr = new Jaxpr(frame.constvars, frame.invars, frame.eqns, outAtoms);
    return new ClosedJaxpr(jaxpr, frame.constvals);
  }));
}

/** True while a function is being staged into a jaxpr (the innermost transformation is makeJaxpr / jit tracing). */
export function isStagingJaxpr(): boolean {
  return topMainTrace().traceType === DynamicJaxprTrace;
}

/** Raises any array to a tracer of `trace` (a constant, or an outer tracer lifted in as a constant). */
function toTracer(trace: DynamicJaxprTrace, x: ArrayBase): DynamicJaxprTracer {
  if (x instanceof DynamicJaxprTracer && x.trace.main === trace.main) return x;
  if (x instanceof Tracer && x.trace.main.finished) x.checkLeaked();
  return trace.pure(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return `an object of type ${(x as object).constructor?.name ?? 'Object'}`;
  return `a ${typeof x}`;
}
