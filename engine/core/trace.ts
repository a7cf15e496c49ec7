// The trace stack and `bind`, in the manner of Autodidax.
//
// Every operation on arrays ends in `bind(prim, args, params)`. bind finds the highest-level trace
// among its arguments (concrete arrays belong to the bottom, eval, trace), raises every argument to
// it and lets that trace process the primitive. Each transformation is a Trace subclass.

import type { ShapedArray } from './aval.js';
import type { Primitive, Params } from './primitive.js';
import { ArrayBase } from './array_base.js';
import { UnexpectedTracerError } from './errors.js';

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from a lower level (or a concrete array) as a tracer of this trace. */
  abstract pure(x: ArrayBase): Tracer | ArrayBase;
  lift(x: ArrayBase): Tracer | ArrayBase { return this.pure(x); }
  abstract processPrimitive(prim: Primitive, tracers: ArrayBase[], params: Params): ArrayBase[];
}

export class MainTrace {
  constructor(
    readonly level: number,
    readonly traceType: new (main: MainTrace) => Trace,
    readonly globalData: unknown,
  ) {}
  /** Set when the transformation that owns this trace has finished: its tracers are then leaked. */
  finished = false;
}

/** A value being traced: it knows its abstract value and the trace that owns it. */
export abstract class Tracer extends ArrayBase {
  abstract readonly trace: Trace;
  /** Lowers to a plain array when the tracer carries no information beyond it (see fullLower). */
  fullLower(): ArrayBase { return this; }
  override toString(): string {
    return `Traced<${this.aval}>with<${this.trace.constructor.name}(level=${this.trace.main.level})>`;
  }
}

const stack: MainTrace[] = [];
let evalTraceType: (new (main: MainTrace) => Trace) | null = null;
/** A trace that every bind must go through even without tracer arguments (JAX's dynamic trace, used by jit tracing). */
let dynamicTrace: MainTrace | null = null;

/** Called once by the eval interpreter to install the bottom of the stack. */
export function installEvalTrace(t: new (main: MainTrace) => Trace): void {
  evalTraceType = t;
  stack.length = 0;
  stack.push(new MainTrace(0, t, null));
}

/** Runs `fn` with a new main trace of the given type on top of the stack. */
export function withMainTrace<R>(traceType: new (main: MainTrace) => Trace, globalData: unknown, fn: (main: MainTrace) => R): R {
  const main = new MainTrace(stack.length, traceType, globalData);
  stack.push(main);
  try {
    return fn(main);
  } finally {
    stack.pop();
    main.finished = true;
  }
}

/** Runs `fn` with `main` as the dynamic trace (every bind reaches at least that level). */
export function withDynamicTrace<R>(main: MainTrace, fn: () => R): R {
  const prev = dynamicTrace;
  dynamicTrace = main;
  try { return fn(); } finally { dynamicTrace = prev; }
}

export function currentLevel(): number { return stack.length - 1; }

function findTopTrace(xs: ArrayBase[]): Trace {
  let top: MainTrace = stack[0];
  for (const x of xs) {
    if (x instanceof Tracer) {
      const m = x.trace.main;
      if (m.finished) {
        throw new UnexpectedTracerError(
          `Encountered an unexpected tracer: ${x}. A function transformed by JAX had a side effect that ` +
          'leaked one of its intermediate values (a tracer) out of the transformation, e.g. by storing it in a ' +
          'variable outside the function. Return the value from the transformed function instead.');
      }
      if (m.level > top.level) top = m;
    }
  }
  if (dynamicTrace && dynamicTrace.level > top.level) top = dynamicTrace;
  return new top.traceType(top);
}

function fullRaise(trace: Trace, x: ArrayBase): ArrayBase {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const level = trace.main.level;
  if (x.trace.main === trace.main) return x;
  if (x.trace.main.level < level) return trace.lift(x);
  throw new UnexpectedTracerError(`Can't lift a tracer of level ${x.trace.main.level} to level ${level}: a tracer from an outer transformation escaped into an inner one.`);
}

function fullLower(x: ArrayBase): ArrayBase {
  return x instanceof Tracer ? x.fullLower() : x;
}

/** Applies a primitive to arrays or tracers. Returns one value, or a list when multipleResults. */
export function bind<P extends Params>(prim: Primitive<P>, args: ArrayBase[], params: P = {} as P): ArrayBase[] {
  if (!evalTraceType) throw new Error('tracelens internal error: the eval interpreter is not installed');
  const trace = findTopTrace(args);
  const tracers = args.map((a) => fullRaise(trace, a));
  const outs = trace.processPrimitive(prim as Primitive, tracers, params);
  return outs.map(fullLower);
}

/** bind for single-result primitives. */
export function bind1<P extends Params>(prim: Primitive<P>, args: ArrayBase[], params: P = {} as P): ArrayBase {
  return bind(prim, args, params)[0];
}

export type { ShapedArray };
