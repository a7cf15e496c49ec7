// The trace stack and `bind`, in the manner of Autodidax.
//
// Every operation on arrays ends in `bind(prim, args, params)`. bind finds the highest-level trace
// among its arguments (concrete arrays belong to the bottom, eval, trace), raises every argument to
// it and lets that trace process the primitive. Each transformation is a Trace subclass.

import type { ShapedArray } from './aval.js';
import type { Primitive, Params } from './primitive.js';
import { ArrayBase } from './array_base.js';
import { ConcretizationTypeError, TracerArrayConversionError, UnexpectedTracerError } from './errors.js';

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
  /** `JVPTracer<float32[3]>`-like: the class name and JAX 0.10's `str(aval)`. */
  override toString(): string {
    return `${this.constructor.name}<${this.aval.weakType ? '~' : ''}${this.aval.dtype}[${this.aval.shape.join(',')}]>`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  /**
   * The value when this tracer carries a concrete one known on the host (e.g. the primal of eager
   * differentiation), so that `Number(x)` and `x > 0` work as in JAX; null (the default) when the
   * value is abstract.
   */
  concreteValue(): number | boolean | null { return null; }

  /** Where the value came from, for errors: `\nThe error occurred while tracing the function f for jit. …`. */
  originMessage(): string { return ''; }

  /** For UnexpectedTracerError: which function was traced, and what made this value (default: nothing known). */
  leakInfo(): string { return ''; }

  /** `traced array with shape float32[3]`, as JAX's `_error_repr`. */
  errorRepr(): string { return `traced array with shape ${this.aval.dtype}[${this.aval.shape.join(',')}]`; }

  /** Throws UnexpectedTracerError when this tracer's transformation has already finished. */
  checkLeaked(): void {
    if (this.trace.main.finished) throw leakedTracerError(this);
  }

  // A tracer used where JS wants a primitive value: `Number(x)`, `+x`, `x > 0`, `x == 1`, `${x}`.
  // JS calls this for all of them (`if (x)` on an object is always true and cannot be intercepted).
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | boolean | string {
    const v = this.concreteValue();
    if (v !== null && hint !== 'string') return v;
    throw concretizationError(this, hint);
  }
  override valueOf(): number | boolean { return this[Symbol.toPrimitive]('number') as number | boolean; }

  // Readback: a traced value has no data, only a shape and dtype.
  data(): never { throw arrayConversionError(this, 'data()'); }
  tolist(): never { throw arrayConversionError(this, 'tolist()'); }
  item(): never { throw arrayConversionError(this, 'item()'); }
  blockUntilReady(): never { throw arrayConversionError(this, 'blockUntilReady()'); }
}

const ERRORS_URL = 'https://docs.jax.dev/en/latest/errors.html#jax.errors.';

const STATIC_TIP =
  'A traced value has a shape and dtype but no value while its function is traced (by jit, grad, vmap, makeJaxpr, …). ' +
  'If the value only configures the computation (a size, a flag, a count), pass it as a static argument: ' +
  '`jit(f, {staticArgnums: [1]})` or `{staticArgnames: [\'n\']}`, and it stays a plain JS value. ' +
  'If the computation must branch on data, use lax.cond or np.where (elementwise), and lax.whileLoop / lax.fori for loops.';

function concretizationError(t: Tracer, hint: 'number' | 'string' | 'default'): ConcretizationTypeError {
  const what = hint === 'string'
    ? 'The problem arose with a conversion of the traced value to a string (a template literal `${x}` or String(x)). ' +
      'To print what is being traced, use x.toString() (its abstract value, e.g. JitTracer(float32[3])).'
    : 'The problem arose with a conversion of the traced value to a JS number or boolean: `Number(x)`, `+x`, or a ' +
      'comparison with a JS operator such as `if (x > 0)` or `x == 1`. Compare arrays with np.greater(x, 0) / x.gt(0), ' +
      'which stay traced.';
  return new ConcretizationTypeError(
    `Abstract tracer value encountered where concrete value is expected: ${t.errorRepr()}\n${what}${t.originMessage()}\n` +
    `${STATIC_TIP}\nSee ${ERRORS_URL}ConcretizationTypeError`);
}

function arrayConversionError(t: Tracer, method: string): TracerArrayConversionError {
  return new TracerArrayConversionError(
    `The array conversion method ${method} was called on ${t.errorRepr()}${t.originMessage()}\n` +
    'A traced array has no values, only a shape and dtype. Keep the computation in Tracelens operations and return the ' +
    'value from the transformed function; read it (await y.data()) outside, after the call. ' +
    `If the value only configures the computation, make that argument static (jit(f, {staticArgnums: […]})).\nSee ${ERRORS_URL}TracerArrayConversionError`);
}

/** JAX's escaped-tracer error, for a tracer used after the transformation that made it finished. */
export function leakedTracerError(t: Tracer): UnexpectedTracerError {
  const where = t.leakInfo();
  return new UnexpectedTracerError(
    'Encountered an unexpected tracer. A function transformed by Tracelens had a side effect, allowing for a reference ' +
    `to an intermediate value with type ${t.aval.strShort()} wrapped in a ${t.constructor.name} to escape the scope ` +
    'of the transformation.\nTracelens transformations require that functions explicitly return their outputs, and ' +
    `disallow saving intermediate values to global state (a variable outside the function, a closure, a class field).${where}\n` +
    `Return the value from the transformed function instead.\nSee ${ERRORS_URL}UnexpectedTracerError`);
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

/** The main traces on the stack, innermost last (the eval trace's first). */
export function mainTraces(): readonly MainTrace[] { return stack; }

/** The innermost transformation in progress (the eval trace's MainTrace when none is). */
export function topMainTrace(): MainTrace { return stack[stack.length - 1]; }

function findTopTrace(xs: ArrayBase[]): Trace {
  let top: MainTrace = stack[0];
  for (const x of xs) {
    if (x instanceof Tracer) {
      const m = x.trace.main;
      if (m.finished) throw leakedTracerError(x);
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
