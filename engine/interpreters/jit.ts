// Staging user functions: `makeJaxpr(f)(...args)` traces f to a ClosedJaxpr; `jit(f)` traces it
// once per abstract signature and static arguments, caches the jaxpr and binds a `jit` primitive
// holding it, so a jitted function called under another trace shows as one `jit[name=f jaxpr={…}]`
// equation, and called on concrete arrays runs the cached jaxpr.
//
// Executing a jit equation on concrete arrays goes through an executor per platform. The default
// one interprets the jaxpr (evalJaxpr, one primitive at a time). A backend that compiles jaxprs
// (fused WebGPU kernels) installs its own with `setJitExecutor('webgpu', exec)`; it receives the
// ClosedJaxpr (consts concrete, possibly on another device), the argument arrays moved to the device
// the call runs on (JAX's committed-device rule over the arguments), and that device; it returns
// the outputs.

import { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { ShapedArray } from '../core/aval.js';
import { config } from '../core/config.js';
import { type DType, checkDType, scalarType } from '../core/dtype.js';
import { ClosedJaxpr, Jaxpr } from '../core/jaxpr.js';
import { type Primitive, definePrimitive } from '../core/primitive.js';
import { Tracer, bind } from '../core/trace.js';
import type { Platform } from '../backend/backend.js';
import type { Device } from '../backend/devices.js';
import { scalarConstant } from '../lax/constants.js';
import * as tree from '../tree/index.js';
import { staticKey } from '../tree/static_key.js';
import { deviceFor, registerEvalImpl } from './eval.js';
import { evalJaxpr } from './eval_jaxpr.js';
import { transferTo } from './transfer.js';
import { type DebugInfo, isStagingJaxpr, traceToJaxpr } from './partial_eval.js';

// ---- the jit primitive ------------------------------------------------------------------------------

export type JitParams = {
  /** The staged function; closed-over tracers of an enclosing trace are its leading invars. */
  jaxpr: ClosedJaxpr;
  /** The function's name (`<lambda>` for anonymous functions), as JAX's `name`. */
  name: string;
  /** One per invar: whether the caller donated that buffer (printed only when some are). */
  donated_invars: boolean[];
  inline: boolean;
  keep_unused: boolean;
};

export const jit_p = definePrimitive<JitParams>({
  name: 'jit',
  multipleResults: true,
  abstractEval(avals, { jaxpr, name }) {
    const want = jaxpr.inAvals;
    if (avals.length !== want.length || avals.some((a, i) => a.dtype !== want[i].dtype || !sameShape(a.shape, want[i].shape))) {
      throw new TypeError(`jit[name=${name}]: called with ${avals.map((a) => a.strShort()).join(', ') || 'no arguments'} ` +
        `but its jaxpr takes ${want.map((a) => a.strShort()).join(', ') || 'no arguments'}.`);
    }
    return jaxpr.outAvals;
  },
});

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** Runs a jaxpr on concrete arguments that live on `device`; returns the outputs. */
export type JitExecutor = (jaxpr: ClosedJaxpr, args: Array[], device: Device) => Array[];

const interpret: JitExecutor = (jaxpr, args) => evalJaxpr(jaxpr.jaxpr, jaxpr.consts, args) as Array[];
const executors = new Map<Platform, JitExecutor>();

/**
 * Installs how jitted code runs on a platform (the WebGPU jaxpr compiler installs itself here);
 * `null` restores the interpreter. An executor may return the interpreter's result for jaxprs it
 * does not handle by calling `interpretJaxpr`.
 */
export function setJitExecutor(platform: Platform, exec: JitExecutor | null): void {
  if (exec) executors.set(platform, exec);
  else executors.delete(platform);
}

/** The default executor: evaluates the jaxpr one primitive at a time. */
export const interpretJaxpr: JitExecutor = interpret;

registerEvalImpl(jit_p, (args, params) => {
  const { jaxpr } = params as JitParams;
  const device = deviceFor(jit_p as unknown as Primitive, args);
  const onDevice = args.map((a) => transferTo(a, device));
  return (executors.get(device.platform) ?? interpret)(jaxpr, onDevice, device);
});

// ---- arguments: pytrees, static values and abstract values ---------------------------------------

/** What makeJaxpr accepts for an argument leaf besides arrays and JS scalars: a shape and dtype. */
export interface ShapeDtypeSpec { shape: readonly number[]; dtype: DType; weakType?: boolean }

export interface StaticArgOptions {
  /** Positions of arguments that are static: plain JS values, part of the cache key, never traced. */
  staticArgnums?: number | number[];
  /** Names of parameters (as written in f's parameter list) that are static. */
  staticArgnames?: string | string[];
}

/** `<lambda>` for anonymous functions, as JAX names lambdas; otherwise the function's name. */
export function functionName(f: Function): string {
  return f.name ? f.name : '<lambda>';
}

/**
 * The parameter names of a function, from its source (null for a destructured parameter or when
 * the source is not available). Used to resolve staticArgnames and to name arguments in errors.
 */
export function parameterNames(f: Function): (string | null)[] {
  let names = parameterNamesCache.get(f);
  if (!names) parameterNamesCache.set(f, names = parseParameterNames(f));
  return names;
}
const parameterNamesCache = new WeakMap<Function, (string | null)[]>();

function parseParameterNames(f: Function): (string | null)[] {
  let src: string;
  try { src = Function.prototype.toString.call(f); } catch { return []; }
  src = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  let params: string;
  const arrow = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrow) {
    params = arrow[1];
  } else {
    const open = src.indexOf('(');
    if (open < 0) return [];
    let depth = 0, end = -1;
    for (let i = open; i < src.length; i++) {
      const ch = src[i];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') { depth--; if (depth === 0) { end = i; break; } }
    }
    if (end < 0) return [];
    params = src.slice(open + 1, end);
  }
  const parts: string[] = [];
  let depth = 0, cur = '';
  for (const ch of params) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)\s*(?:=[\s\S]*)?$/.exec(p);
    return m ? m[1] : null;
  });
}

function asList(x: number | number[] | string | string[] | undefined): (number | string)[] {
  return x === undefined ? [] : globalThis.Array.isArray(x) ? x : [x];
}

/** The positions of static arguments, from staticArgnums and staticArgnames (resolved by parameter name). */
export function staticPositions(f: Function, opts: StaticArgOptions, nargs: number, api: string): Set<number> {
  const names = parameterNames(f);
  const out = new Set<number>();
  for (const n of asList(opts.staticArgnums) as number[]) {
    if (!Number.isInteger(n)) throw new TypeError(`${api}: staticArgnums must be integers, got ${JSON.stringify(n)}.`);
    const i = n < 0 ? n + nargs : n;
    if (i >= 0 && i < nargs) out.add(i);
  }
  for (const name of asList(opts.staticArgnames) as string[]) {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new TypeError(`${api}: staticArgnames names '${name}', which is not a parameter of ${functionName(f)} ` +
        `(its parameters are ${names.filter((x) => x !== null).map((x) => `'${x}'`).join(', ') || 'unknown'}). ` +
        'Use staticArgnums with the argument\'s position instead.');
    }
    if (i < nargs) out.add(i);
  }
  return out;
}

/** The key of a static argument's value; arrays and tracers are refused, as JAX refuses unhashable values. */
function staticArgKey(x: unknown, pos: number, fname: string): string {
  const bad = findArray(x);
  if (bad) {
    throw new TypeError(`Non-hashable static arguments are not supported: argument ${pos} of ${fname} is static but holds ` +
      `${bad instanceof Tracer ? 'a traced array' : `an array (${bad.aval.strShort()})`}. Static arguments must be plain JS ` +
      'values (numbers, strings, booleans, null, and arrays / plain objects of them) that fix the computation; pass arrays ' +
      'as ordinary (traced) arguments instead, or remove this position from staticArgnums.');
  }
  return staticKey(x);
}

function findArray(x: unknown, seen = new Set<unknown>()): ArrayBase | null {
  if (x instanceof ArrayBase) return x;
  if (x === null || typeof x !== 'object' || seen.has(x)) return null;
  seen.add(x);
  for (const v of Object.values(x)) {
    const found = findArray(v, seen);
    if (found) return found;
  }
  return null;
}

function isSpec(x: unknown): x is ShapeDtypeSpec {
  return typeof x === 'object' && x !== null && !(x instanceof ArrayBase) && globalThis.Array.isArray((x as ShapeDtypeSpec).shape) &&
    typeof (x as ShapeDtypeSpec).dtype === 'string';
}

/** The abstract value of one argument leaf (JAX's `shaped_abstractify`). */
export function abstractify(leaf: unknown, where: string): ShapedArray {
  if (leaf instanceof ArrayBase) return leaf.aval;
  if (leaf instanceof ShapedArray) return leaf;
  if (typeof leaf === 'number' || typeof leaf === 'boolean') {
    const t = scalarType(leaf);
    return new ShapedArray([], t.dtype, t.weakType);
  }
  if (isSpec(leaf)) return new ShapedArray(leaf.shape, checkDType(leaf.dtype, where), leaf.weakType ?? false);
  const what = typeof leaf === 'string' ? `'${leaf}' of type string` : `of type ${leaf === null ? 'null' : (leaf as object)?.constructor?.name ?? typeof leaf}`;
  throw new TypeError(`${where}: argument ${what} is not a valid Tracelens type. Arguments must be arrays, JS numbers or ` +
    'booleans (or pytrees of them); mark configuration values static with staticArgnums / staticArgnames.');
}

/** A leaf as an array to feed to the staged function (JS scalars become weakly typed constants). */
function leafValue(leaf: unknown, aval: ShapedArray): ArrayBase {
  if (leaf instanceof ArrayBase) return leaf;
  if (typeof leaf === 'number' || typeof leaf === 'boolean') return scalarConstant(leaf, aval.dtype, aval.weakType);
  throw new TypeError(`jit: an argument is a shape/dtype spec (${aval.strShort()}), which has no values to compute with. ` +
    'Pass arrays to call a jitted function; specs are for makeJaxpr(f)(…) and jitted.trace(…).');
}

interface SplitArgs {
  /** The leaves of the dynamic arguments (taken as one list), their structure and avals. */
  leaves: unknown[];
  treedef: tree.PyTreeDef;
  avals: ShapedArray[];
  /** Part of the cache key: static values, tree structure and abstract signature. */
  key: string;
  /** The name of each leaf (`params['w']`), for tracing's debug info: built only when f is traced. */
  argNames(): string[];
  /** For each leaf, the position of the argument it belongs to. */
  leafPositions: number[];
}

function splitArgs(f: Function, args: unknown[], statics: Set<number>, api: string): SplitArgs {
  const fname = functionName(f);
  const dynamic: unknown[] = [];
  const dynPositions: number[] = [];
  const staticKeys: string[] = [];
  args.forEach((a, i) => {
    if (statics.has(i)) staticKeys.push(`${i}=${staticArgKey(a, i, fname)}`);
    else { dynamic.push(a); dynPositions.push(i); }
  });
  const [withPaths, treedef] = tree.flattenWithPath(dynamic, { isLeaf: isSpec });
  const leaves = withPaths.map(([, l]) => l);
  const avals = leaves.map((l) => abstractify(l, `${api}(${fname})`));
  const leafPositions = withPaths.map(([path]) => dynPositions[(path[0] as tree.SequenceKey).idx]);
  const argNames = () => {
    const names = parameterNames(f);
    return withPaths.map(([path], i) => (names[leafPositions[i]] ?? `args[${leafPositions[i]}]`) + tree.keystr(path.slice(1)));
  };
  const sig = avals.map((a) => `${a.dtype}${a.weakType ? '~' : ''}[${a.shape.join(',')}]`).join(';');
  const key = `${treedef.key}|${sig}|${staticKeys.join(';')}|x64=${config.enableX64}`;
  return { leaves, treedef, avals, key, argNames, leafPositions };
}

/** Calls f with the dynamic leaves (tracers) put back among the static arguments. */
function callWithLeaves(f: Function, args: unknown[], statics: Set<number>, treedef: tree.PyTreeDef, leaves: unknown[]): unknown {
  const dynamic = tree.unflatten(treedef, leaves) as unknown[];
  let d = 0;
  const full = args.map((a, i) => (statics.has(i) ? a : dynamic[d++]));
  return f(...full);
}

/** Flattens f's result into arrays (JS scalars as weakly typed constants). */
function flattenOutputs(out: unknown, fname: string): [ArrayBase[], tree.PyTreeDef] {
  const [leaves, treedef] = tree.flatten(out);
  const arrays = leaves.map((l, i) => {
    if (l instanceof ArrayBase) return l;
    if (typeof l === 'number' || typeof l === 'boolean') {
      const t = scalarType(l);
      return scalarConstant(l, t.dtype, t.weakType);
    }
    throw new TypeError(`${fname} returned a value that is not an array (output leaf ${i}: ` +
      `${l === null ? 'null' : typeof l === 'object' ? (l as object).constructor?.name : typeof l}). ` +
      'Transformed functions must return arrays, JS numbers or pytrees of them.');
  });
  return [arrays, treedef];
}

interface Staged {
  jaxpr: ClosedJaxpr;
  outTree: tree.PyTreeDef;
}

/** Traces f on the abstract values of the dynamic arguments. */
function stage(f: Function, args: unknown[], statics: Set<number>, split: SplitArgs, tracedFor: string): Staged {
  const fname = functionName(f);
  let outTree: tree.PyTreeDef | null = null;
  const debugInfo: DebugInfo = { funcName: fname, tracedFor, argNames: split.argNames() };
  const jaxpr = traceToJaxpr((...tracers) => {
    const out = callWithLeaves(f, args, statics, split.treedef, tracers);
    const [arrays, t] = flattenOutputs(out, fname);
    outTree = t;
    return arrays;
  }, split.avals, { debugInfo });
  return { jaxpr, outTree: outTree! };
}

// ---- makeJaxpr ----------------------------------------------------------------------------------

export interface MakeJaxprOptions extends StaticArgOptions {
  /** Also return the output's shape: a pytree of `{shape, dtype}` like f's result. */
  returnShape?: boolean;
}

/** A shape and dtype, as JAX's ShapeDtypeStruct prints: `ShapeDtypeStruct(shape=(3,), dtype=float32)`. */
export class ShapeDtypeStruct implements ShapeDtypeSpec {
  readonly shape: readonly number[];
  constructor(shape: readonly number[], readonly dtype: DType, readonly weakType = false) { this.shape = [...shape]; }
  toString(): string {
    const s = this.shape.length === 1 ? `(${this.shape[0]},)` : `(${this.shape.join(', ')})`;
    return `ShapeDtypeStruct(shape=${s}, dtype=${this.dtype}${this.weakType ? ', weak_type=True' : ''})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

/**
 * `makeJaxpr(f)(...args)`: the jaxpr of f on arguments like `args` (arrays, JS scalars, ShapedArrays
 * or `{shape, dtype}` specs, in pytrees). With `returnShape: true`, returns `[jaxpr, outShape]`.
 */
export function makeJaxpr<F extends (...args: any[]) => unknown>(f: F, opts: MakeJaxprOptions & { returnShape: true }): (...args: unknown[]) => [ClosedJaxpr, unknown];
export function makeJaxpr<F extends (...args: any[]) => unknown>(f: F, opts?: MakeJaxprOptions): (...args: unknown[]) => ClosedJaxpr;
export function makeJaxpr(f: Function, opts: MakeJaxprOptions = {}): (...args: unknown[]) => ClosedJaxpr | [ClosedJaxpr, unknown] {
  if (typeof f !== 'function') throw new TypeError(`makeJaxpr expects a function, got ${typeof f}.`);
  return (...args: unknown[]) => {
    const statics = staticPositions(f, opts, args.length, 'makeJaxpr');
    const split = splitArgs(f, args, statics, 'makeJaxpr');
    const { jaxpr, outTree } = stage(f, args, statics, split, 'makeJaxpr');
    if (!opts.returnShape) return jaxpr;
    const shapes = jaxpr.outAvals.map((a) => new ShapeDtypeStruct(a.shape, a.dtype, a.weakType));
    return [jaxpr, tree.unflatten(outTree, shapes)];
  };
}

// ---- jit ------------------------------------------------------------------------------------------

export interface JitOptions extends StaticArgOptions {
  /** Positions of arguments whose buffers the caller gives up (recorded as JAX's donated_invars). */
  donateArgnums?: number | number[];
}

/** What `jitted.trace(...args)` returns: the staged jaxpr and the shapes of the inputs and output. */
export interface Traced {
  jaxpr: ClosedJaxpr;
  inAvals: ShapedArray[];
  outTree: tree.PyTreeDef;
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Traces (or takes from the cache) the jaxpr for these arguments, without running it. */
  trace(...args: Parameters<F>): Traced;
  /** How many distinct signatures have been traced. */
  readonly cacheSize: number;
  /** Drops the cached jaxprs. */
  clearCache(): void;
}

/**
 * `jit(f, {staticArgnums, staticArgnames, donateArgnums})`: f traced once per (tree structure and
 * abstract values of the dynamic arguments, static argument values), cached, and run as one unit.
 */
export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  if (typeof f !== 'function') throw new TypeError(`jit expects a function, got ${typeof f}.`);
  const fname = functionName(f);
  const cache = new Map<string, Staged>();

  const donated = new Set(asList(opts.donateArgnums) as number[]);
  // The static positions depend only on the number of arguments: resolved once per arity.
  const staticsByArity = new Map<number, Set<number>>();

  const lookup = (args: unknown[]): { staged: Staged; split: SplitArgs } => {
    let statics = staticsByArity.get(args.length);
    if (!statics) staticsByArity.set(args.length, (statics = staticPositions(f, opts, args.length, 'jit')));
    const split = splitArgs(f, args, statics, 'jit');
    let staged = cache.get(split.key);
    if (!staged || hasLeakedConst(staged.jaxpr)) {
      staged = stage(f, args, statics, split, 'jit');
      cache.set(split.key, staged);
    }
    return { staged, split };
  };

  const jitted = (...args: unknown[]) => {
    const { staged, split } = lookup(args);
    const { jaxpr, inputs } = closeOverTracers(staged.jaxpr);
    const leafDonated = split.leafPositions.map((pos) => donated.has(pos) || donated.has(pos - args.length));
    const params: JitParams = {
      jaxpr, name: fname,
      donated_invars: [...inputs.map(() => false), ...leafDonated],
      inline: false, keep_unused: false,
    };
    const flatArgs = [...inputs, ...split.leaves.map((l, i) => leafValue(l, split.avals[i]))];
    const outs = bind(jit_p, flatArgs, params);
    return tree.unflatten(staged.outTree, outs);
  };
  const traceFn = (...args: unknown[]): Traced => {
    const { staged, split } = lookup(args);
    return { jaxpr: staged.jaxpr, inAvals: split.avals, outTree: staged.outTree };
  };
  Object.defineProperty(jitted, 'name', { value: fname });
  Object.defineProperty(jitted, 'trace', { value: traceFn });
  Object.defineProperty(jitted, 'cacheSize', { get: () => cache.size });
  Object.defineProperty(jitted, 'clearCache', { value: () => cache.clear() });
  return jitted as unknown as Jitted<F>;
}

/** A cached jaxpr closing over tracers of a trace that has ended must be traced again. */
function hasLeakedConst(j: ClosedJaxpr): boolean {
  return j.consts.some((c) => c instanceof Tracer && c.trace.main.finished);
}

/**
 * The jaxpr a jit equation holds: constants that are tracers of an enclosing trace become leading
 * invars (the equation passes them as operands, as JAX does); concrete constants stay constvars.
 */
function closeOverTracers(j: ClosedJaxpr): { jaxpr: ClosedJaxpr; inputs: ArrayBase[] } {
  if (!j.consts.some((c) => c instanceof Tracer)) return { jaxpr: j, inputs: [] };
  // One converted jaxpr per cached one, so repeated calls share it (printed once, as `let f = …`).
  const known = converted.get(j);
  if (known) return known;
  const traced = j.jaxpr.constvars.map((_, i) => j.consts[i] instanceof Tracer);
  const constvars = j.jaxpr.constvars.filter((_, i) => !traced[i]);
  const consts = j.consts.filter((_, i) => !traced[i]);
  const movedVars = j.jaxpr.constvars.filter((_, i) => traced[i]);
  const inputs = j.consts.filter((_, i) => traced[i]);
  const jaxpr = new Jaxpr(constvars, [...movedVars, ...j.jaxpr.invars], j.jaxpr.eqns, j.jaxpr.outvars);
  const result = { jaxpr: new ClosedJaxpr(jaxpr, consts), inputs };
  converted.set(j, result);
  return result;
}
const converted = new WeakMap<ClosedJaxpr, { jaxpr: ClosedJaxpr; inputs: ArrayBase[] }>();

/**
 * A library function staged as its own `jit[name=…]` equation when called while a jaxpr is being
 * built, as JAX's `@jit`-decorated jax.numpy functions are (`jit[name=_where …]`, `jit[name=clip …]`);
 * called eagerly, or under another transformation, it simply runs `fn` — the result is the same.
 */
export function jitWhenStaging<F extends (...args: any[]) => any>(name: string, fn: F, opts: StaticArgOptions = {}): F {
  Object.defineProperty(fn, 'name', { value: name });
  const jitted = jit(fn, opts);
  const wrapped = (...args: Parameters<F>): ReturnType<F> => (stagingUnderAutodiff() ? jitted(...args) : fn(...args));
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped as F;
}

/**
 * True while a jaxpr is being built under nothing but differentiation (jvp / linearize): JAX stages
 * its jitted library functions there too, so `makeJaxpr(grad(f))` prints their `jit` equations.
 */
function stagingUnderAutodiff(): boolean {
  if (isStagingJaxpr()) return true;
  const stack = mainTraces();
  for (let i = stack.length - 1; i > 0; i--) {
    const t = stack[i].traceType;
    if (t === JVPTrace || t === PartialEvalTrace) continue;
    return t === DynamicJaxprTrace;
  }
  return false;
}

// ---- JVP, partial evaluation and transpose rules -----------------------------------------------
// As JAX's pjit rules: the JVP of a jit call is a jit call of the JVP of its jaxpr; under linearize
// a call splits into a known call (primal outputs and residuals) and an unknown one (the tangents);
// its transpose is a jit call of the transposed jaxpr. Every call keeps the function's name.
import { defineJvp, defineTranspose } from '../core/primitive.js';
import { Zero, isUndefinedPrimal, isZero } from '../core/ad_util.js';
import { JVPTrace, instantiateZeros } from './jvp.js';
import { PartialEvalTrace } from './ad.js';
import { mainTraces } from '../core/trace.js';
import { DynamicJaxprTrace } from './partial_eval.js';
import { Var } from '../core/jaxpr.js';
import {
  backwardPass as jaxprBackwardPass, jvpJaxpr, makeEqn, partialEvalJaxprNounits, partialEvalJaxprRules,
} from '../lax/control_flow/ad_jaxprs.js';

defineJvp(jit_p, (primals, tangents, params) => {
  const nonzeros = tangents.map((t) => !isZero(t));
  const [jvpJ, outNz] = jvpJaxpr(params.jaxpr, nonzeros, false);
  const nzTangents = tangents.filter((t): t is ArrayBase => !isZero(t));
  const outs = bind(jit_p, [...primals, ...nzTangents], {
    ...params, jaxpr: jvpJ, donated_invars: [...params.donated_invars, ...nzTangents.map(() => false)],
  });
  const n = params.jaxpr.outAvals.length;
  let k = n;
  return [outs.slice(0, n), outNz.map((nz, i) => (nz ? outs[k++] : new Zero(params.jaxpr.outAvals[i])))];
});

partialEvalJaxprRules.set(jit_p, (eqn, inUnknowns) => {
  const params = eqn.params as JitParams;
  const split = partialEvalJaxprNounits(params.jaxpr, inUnknowns, false);
  // Residuals that are known inputs of the call are passed to the unknown call directly, not
  // returned by the known one (JAX's input forwarding).
  const kj = split.known.jaxpr;
  const knownIns = eqn.inputs.filter((_, i) => !inUnknowns[i]);
  const nKnownOuts = kj.outvars.length - split.resAvals.length;
  const resOutvars = kj.outvars.slice(nKnownOuts);
  const forwarded = resOutvars.map((v) => (v instanceof Var ? kj.invars.indexOf(v) : -1));
  const resAtoms = forwarded.map((f, i) => (f >= 0 ? knownIns[f] : new Var(split.resAvals[i])));
  const knownJaxpr = new ClosedJaxpr(new Jaxpr(kj.constvars, kj.invars, kj.eqns,
    [...kj.outvars.slice(0, nKnownOuts), ...resOutvars.filter((_, i) => forwarded[i] < 0)]), split.known.consts);
  const knownOuts = eqn.outBinders.filter((_, i) => !split.outUnknowns[i]);
  const known = makeEqn(jit_p, knownIns, {
    ...params, jaxpr: knownJaxpr, donated_invars: params.donated_invars.filter((_, i) => !inUnknowns[i]),
  }, [...knownOuts, ...resAtoms.filter((_, i) => forwarded[i] < 0) as Var[]]);
  const unknownIns = eqn.inputs.filter((_, i) => inUnknowns[i]);
  const unknown = makeEqn(jit_p, [...resAtoms, ...unknownIns], {
    ...params, jaxpr: split.unknown, donated_invars: [...resAtoms, ...unknownIns].map(() => false),
  }, eqn.outBinders.filter((_, i) => split.outUnknowns[i]));
  return { known: [known], unknown: [unknown], outUnknowns: split.outUnknowns };
});

defineTranspose(jit_p, (cts, args, params) => {
  const linear = args.map(isUndefinedPrimal);
  const known = args.filter((a): a is ArrayBase => !isUndefinedPrimal(a));
  const nzCts = cts.filter((c): c is ArrayBase => !isZero(c));
  const transposed = traceToJaxpr((...xs: ArrayBase[]) => {
    const res = xs.slice(0, known.length);
    const ctVals = xs.slice(known.length);
    let r = 0, c = 0;
    const full = args.map((a, i) => (linear[i] ? a : res[r++]));
    const ctsFull = cts.map((ct) => (isZero(ct) ? ct : ctVals[c++]));
    const out = jaxprBackwardPass(params.jaxpr.jaxpr, params.jaxpr.consts, full, ctsFull);
    return out.filter((_, i) => linear[i]).map((ct) => instantiateZeros(ct!));
  }, [...known.map((a) => a.aval), ...nzCts.map((ct) => ct.aval)]);
  const { jaxpr, inputs } = closeOverTracers(transposed);
  const callArgs = [...inputs, ...known, ...nzCts];
  const outs = bind(jit_p, callArgs, { ...params, jaxpr, donated_invars: callArgs.map(() => false) });
  let k = 0;
  return linear.map((l) => (l ? outs[k++] : null));
});
