// Batching (vmap), as JAX's interpreters/batching.py and Autodidax's BatchTrace: a BatchTracer is a
// value `val` with a batch dimension `batchDim` (null when the value is the same for every element
// of the batch); the tracer's aval is val's with that axis removed. A primitive applied to batch
// tracers runs its batching rule (`prim.batch`, defined beside the primitive in its family file) on
// the values and their batch dims, and wraps the results again. Primitives whose operands are all
// unbatched simply run on the values, one level down.
//
// `vmap(f, {inAxes, outAxes, axisSize})` maps f over an axis of its arguments: inAxes / outAxes are
// an int (negative counts from the end), null (not mapped) or a pytree prefix of the arguments /
// outputs, as in JAX, with JAX's error messages.

import { ArrayBase } from '../core/array_base.js';
import { ShapedArray } from '../core/aval.js';
import { ClosedJaxpr } from '../core/jaxpr.js';
import { type BatchRule, type Params, type Primitive, defineBatch } from '../core/primitive.js';
import { scalarType } from '../core/dtype.js';
import { type MainTrace, Trace, Tracer, bind, bind1, withMainTrace } from '../core/trace.js';
import { scalarConstant } from '../lax/constants.js';
import * as tree from '../tree/index.js';
import { ValueError } from '../tree/errors.js';
import {
  type BDim, SpecMatchError, broadcastAt, broadcastBatcher, canonicalizeAxis, installScalarMaker, matchaxis, moveaxis,
} from './batching_util.js';
import { evalJaxpr } from './eval_jaxpr.js';
import { jit_p, parameterNames } from './jit.js';
import { traceToJaxpr } from './partial_eval.js';

export type { BDim };

installScalarMaker((value, dtype) => scalarConstant(value, dtype, false));

/** What every tracer of one vmap shares: the size of the mapped axis. */
export interface AxisData { size: number }

export class BatchTracer extends Tracer {
  readonly aval: ShapedArray;
  constructor(readonly trace: BatchTrace, readonly val: ArrayBase, readonly batchDim: BDim) {
    super();
    const a = val.aval;
    this.aval = batchDim === null ? a : new ShapedArray(a.shape.filter((_, i) => i !== batchDim), a.dtype, a.weakType);
  }
  override fullLower(): ArrayBase {
    if (this.batchDim !== null) return this;
    return this.val instanceof Tracer ? this.val.fullLower() : this.val;
  }
}

export class BatchTrace extends Trace {
  get axisData(): AxisData { return this.main.globalData as AxisData; }
  pure(x: ArrayBase): BatchTracer { return new BatchTracer(this, x, null); }

  /** The value and batch dim of x as this trace sees it (a value of a lower level is unbatched). */
  toBatchInfo(x: ArrayBase): [ArrayBase, BDim] {
    return x instanceof BatchTracer && x.trace.main === this.main ? [x.val, x.batchDim] : [x, null];
  }

  processPrimitive(prim: Primitive, tracers: ArrayBase[], params: Params): ArrayBase[] {
    const info = tracers.map((t) => this.toBatchInfo(t));
    const vals = info.map(([v]) => v), dims = info.map(([, d]) => d);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const rule = prim.batch ?? fallbackRule(prim);
    if (!rule) {
      const e = new Error(`Batching rule for '${prim.name}' not implemented`);
      e.name = 'NotImplementedError'; // as JAX raises it
      throw e;
    }
    const [outs, outDims] = rule(vals, dims, params);
    return outs.map((o, i) => (outDims[i] === null ? o : new BatchTracer(this, o, outDims[i])));
  }
}

/**
 * The rule of a primitive defined without one: JAX's add_batched for `add_any` (the sum of tangents,
 * whose operands have one shape), broadcast_batcher for any other pointwise primitive (those of
 * engine/lax/primitives/elementwise.ts have it defined there; this covers ones defined elsewhere).
 */
const fallbackRules = new Map<Primitive, BatchRule>();
function fallbackRule(prim: Primitive): BatchRule | null {
  let rule = fallbackRules.get(prim);
  if (rule) return rule;
  if (prim.name === 'add_any') rule = addBatched(prim);
  else if (prim.elementwise) rule = broadcastBatcher(prim);
  else return null;
  fallbackRules.set(prim, rule);
  return rule;
}

function addBatched(prim: Primitive): BatchRule {
  return ([x, y], [bx, by]) => {
    if (bx === by) return [[bind1(prim, [x, y])], [bx]];
    if (bx === null) return [[bind1(prim, [broadcastAt(x, y.shape[by!], by!), y])], [by]];
    if (by === null) return [[bind1(prim, [x, broadcastAt(y, x.shape[bx], bx)])], [bx]];
    return [[bind1(prim, [moveaxis(x, bx, by), y])], [by]];
  };
}

// ---- batching jaxprs (for the rules of higher-order primitives) ---------------------------------

/** `a` with an axis of `size` inserted at `dim` (JAX's core.unmapped_aval). */
export function unmappedAval(a: ShapedArray, size: number, dim: number): ShapedArray {
  const shape = [...a.shape];
  shape.splice(dim, 0, size);
  return new ShapedArray(shape, a.dtype, a.weakType);
}

/** Where an output of a batched jaxpr goes: an axis, null (must be unbatched), or 'infer' (as it comes). */
export type OutDest = BDim | 'infer' | 'zeroIfMapped';

/**
 * JAX's batch_jaxpr_axes / batch_jaxpr2: the jaxpr of `cj` over inputs batched at `inDims`, and the
 * batch dim of each output. `outDest` per output: a number moves (or broadcasts) it there,
 * 'zeroIfMapped' moves a batched output to 0 and leaves an unbatched one, 'infer' keeps it as it is.
 */
export function batchJaxpr(cj: ClosedJaxpr, size: number, inDims: readonly BDim[], outDest: readonly OutDest[] | OutDest): [ClosedJaxpr, BDim[]] {
  // Cached per jaxpr, as JAX's weakref_lru_cache does, so that vmap(jit(f)) called again reuses
  // one batched jaxpr (and whatever the jit executor compiled for it). Jaxprs closing over tracers
  // are batched afresh each time.
  const cacheable = !cj.consts.some((c) => c instanceof Tracer);
  const key = `${size}|${inDims.join(',')}|${typeof outDest === 'object' && outDest !== null ? outDest.join(',') : String(outDest)}`;
  let perJaxpr = cacheable ? batchedJaxprs.get(cj) : undefined;
  const hit = perJaxpr?.get(key);
  if (hit) return [hit[0], [...hit[1]]];
  const result = batchJaxprUncached(cj, size, inDims, outDest);
  if (cacheable) {
    if (!perJaxpr) batchedJaxprs.set(cj, perJaxpr = new Map());
    perJaxpr.set(key, result);
  }
  return [result[0], [...result[1]]];
}
const batchedJaxprs = new WeakMap<ClosedJaxpr, Map<string, [ClosedJaxpr, BDim[]]>>();

function batchJaxprUncached(cj: ClosedJaxpr, size: number, inDims: readonly BDim[], outDest: readonly OutDest[] | OutDest): [ClosedJaxpr, BDim[]] {
  const inAvals = cj.inAvals.map((a, i) => (inDims[i] === null ? a : unmappedAval(a, size, inDims[i]!)));
  let outDims: BDim[] = [];
  const jaxpr = traceToJaxpr((...args) => withMainTrace(BatchTrace, { size } satisfies AxisData, (main) => {
    const trace = new BatchTrace(main);
    const tracers = args.map((x, i) => (inDims[i] === null ? x : new BatchTracer(trace, x, inDims[i])));
    const outs = evalJaxpr(cj.jaxpr, cj.consts, tracers);
    outDims = [];
    return outs.map((o, k) => {
      const [v, d] = trace.toBatchInfo(o);
      const want = typeof outDest === 'object' && outDest !== null ? outDest[k] : outDest;
      const dst = want === 'infer' ? d : want === 'zeroIfMapped' ? (d === null ? null : 0) : want;
      outDims.push(dst);
      return matchaxis(size, d, dst, v);
    });
  }), inAvals);
  return [jaxpr, outDims];
}

/**
 * JAX's batch_subtrace: runs `fn` on `vals` batched at `inDims` under a fresh vmap of `size`, and
 * returns its outputs as values with their batch dims. Outputs that are not arrays (a symbolic Zero)
 * are returned as they are, with dim null.
 */
export function batchSubtrace<T>(size: number, vals: readonly ArrayBase[], inDims: readonly BDim[], fn: (xs: ArrayBase[]) => T[]): [(T | ArrayBase)[], BDim[]] {
  return withMainTrace(BatchTrace, { size } satisfies AxisData, (main) => {
    const trace = new BatchTrace(main);
    const outs = fn(vals.map((x, i) => (inDims[i] === null ? x : new BatchTracer(trace, x, inDims[i]))));
    const info = outs.map((o): [T | ArrayBase, BDim] => (o instanceof ArrayBase ? trace.toBatchInfo(o) : [o, null]));
    return [info.map(([v]) => v), info.map(([, d]) => d)];
  });
}

/** batchJaxpr with JAX's batch_jaxpr signature: inputs batched at 0 or not; outputs at 0 when batched or instantiated. */
export function batchJaxprAt0(cj: ClosedJaxpr, size: number, inBatched: readonly boolean[], instantiate: readonly boolean[] | boolean): [ClosedJaxpr, boolean[]] {
  const inst = typeof instantiate === 'boolean' ? cj.outAvals.map(() => instantiate) : instantiate;
  const [j, dims] = batchJaxpr(cj, size, inBatched.map((b) => (b ? 0 : null)), inst.map((b): OutDest => (b ? 0 : 'zeroIfMapped')));
  return [j, dims.map((d) => d !== null)];
}

// The jit primitive (engine/interpreters/jit.ts): its jaxpr is batched with the operands' batch
// dims as they are, and the outputs keep the dims the batched body gives them (JAX's _pjit_batcher).
defineBatch(jit_p, (args, dims, p) => {
  const size = args[dims.findIndex((d) => d !== null)].shape[dims.find((d) => d !== null)!];
  const [jaxpr, outDims] = batchJaxpr(p.jaxpr, size, dims, 'infer');
  const outs = bind(jit_p, args, { ...p, jaxpr });
  return [outs, outDims];
});

// ---- vmap -----------------------------------------------------------------------------------------

export interface VmapOptions {
  /** Which axis of each argument is mapped: an int, null, or a list with one entry (a pytree prefix) per argument. */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output: an int, null, or a pytree prefix of the output. */
  outAxes?: AxisSpec;
  /** The size of the mapped axis; required when no argument is mapped. */
  axisSize?: number;
}
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [k: string]: AxisSpec };

/** A null of an axis spec, made a leaf (JAX flattens axis specs with None as a leaf). */
class NoneLeaf { toString(): string { return 'None'; } }
const NONE = new NoneLeaf();
/** What the leaves of the full tree are replaced by in prefix errors (JAX's api_util.PytreeLeaf). */
class PytreeLeaf { toString(): string { return 'pytree leaf'; } }

function noneToLeaf(spec: unknown): unknown {
  if (spec === null) return NONE;
  if (globalThis.Array.isArray(spec)) return spec.map(noneToLeaf);
  if (typeof spec === 'object' && spec !== undefined && Object.getPrototypeOf(spec) === Object.prototype) {
    return Object.fromEntries(Object.entries(spec as object).map(([k, v]) => [k, noneToLeaf(v)]));
  }
  return spec;
}

/** Python's repr of an axis spec, for error messages: `(0, None)`, `{'a': 1}`. */
function specRepr(spec: unknown): string {
  if (spec === null || spec === undefined) return 'None';
  if (globalThis.Array.isArray(spec)) return spec.length === 1 ? `(${specRepr(spec[0])},)` : `(${spec.map(specRepr).join(', ')})`;
  if (typeof spec === 'string') return spec;
  if (typeof spec === 'object') return `{${Object.entries(spec as object).map(([k, v]) => `'${k}': ${specRepr(v)}`).join(', ')}}`;
  return String(spec);
}

const isAxisLeaf = (l: unknown) => l === NONE || (typeof l === 'number' && Number.isInteger(l));

/** JAX's flatten_axes: the axis of each leaf of `full`, from the prefix tree `spec` (null is a leaf). */
function flattenAxes(name: string, treedef: tree.PyTreeDef, spec: unknown): BDim[] {
  const prefix = noneToLeaf(spec);
  const dummy = treedef.unflatten(new globalThis.Array(treedef.numLeaves).fill(0).map(() => new PytreeLeaf()));
  let axes: unknown[];
  try {
    axes = tree.broadcastPrefix(prefix, dummy);
  } catch {
    const errors = tree.prefixErrors(prefix, dummy);
    if (errors.length === 0) throw new ValueError(`${name} specification must be a tree prefix of the corresponding value.`);
    const details = errors.map((e) => e(name).message).join('\n  ');
    throw new ValueError(`${name} specification must be a tree prefix of the corresponding value; \n  Mismatch details (${errors.length} found):\n  ${details}`);
  }
  return axes.map((a) => (a === NONE ? null : (a as number)));
}

function axisTypeStr(x: unknown): string {
  if (x instanceof ArrayBase) return `${x.dtype}[${x.shape.join(',')}]`;
  if (typeof x === 'number' || typeof x === 'boolean') return `${scalarType(x).dtype}[]`;
  return 'unknown';
}

/** JAX's _mapped_axis_size, with its messages; arguments are named `argument x['a']`, or `args[1]` when unnamed. */
function mappedAxisSize(f: Function, paths: tree.KeyPath[], vals: unknown[], dims: BDim[], axisSize: number | undefined): number {
  if (vals.length === 0) {
    if (axisSize !== undefined) return axisSize;
    throw new ValueError('vmap wrapped function must be passed at least one argument containing an array or axis_size must be specified, got empty *args=() and **kwargs={}');
  }
  const sizeOf = (x: unknown, axis: number): number | null => {
    const shape = x instanceof ArrayBase ? x.shape : typeof x === 'number' || typeof x === 'boolean' ? [] : null;
    if (shape === null) return null;
    const i = axis < 0 ? axis + shape.length : axis;
    if (i < 0 || i >= shape.length) {
      const minRank = axis >= 0 ? axis + 1 : -axis;
      const shown = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      throw new ValueError(`vmap was requested to map its argument along axis ${axis}, which implies that its rank should be at least ${minRank}, ` +
        `but is only ${shape.length} (its shape is ${shown})`);
    }
    return shape[i];
  };
  const all = vals.map((x, i) => (dims[i] === null ? null : sizeOf(x, dims[i]!)));
  const sizes = all.filter((s): s is number => s !== null);
  if (axisSize !== undefined) sizes.push(axisSize);
  const distinct = [...new Set(sizes)];
  if (distinct.length === 1) return distinct[0];
  if (distinct.length === 0) throw new ValueError('vmap must have at least one non-None value in in_axes or axis_size must be specified');

  const names = parameterNames(f);
  const argName = (p: tree.KeyPath) => {
    const i = (p[0] as tree.SequenceKey).idx;
    const n = names[i];
    if (n === null || n === undefined) return `args${tree.keystr(p)}`;
    return `argument ${n}${tree.keystr(p.slice(1))}`;
  };
  const counts = new Map<number, number>();
  for (const s of all) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  // Counter.most_common: by count, ties in order of first appearance (Map keeps insertion order; sort is stable).
  const ordered = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const lines = ['vmap got inconsistent sizes for array axes to be mapped:\n'];
  if (axisSize !== undefined) lines.push(`  * the \`axis_size\` argument was ${axisSize};\n`);
  ordered.forEach(([sz, ct], k) => {
    const i = all.indexOf(sz);
    const ex = `${argName(paths[i])} of type ${axisTypeStr(vals[i])}`;
    if (ct === 1) lines.push(`  * one axis had size ${sz}: axis ${dims[i]} of ${ex};\n`);
    else lines.push(`  * ${k === 0 ? 'most' : 'some'} axes (${ct} of them) had size ${sz}, e.g. axis ${dims[i]} of ${ex};\n`);
  });
  throw new ValueError(lines.join('').slice(0, -2));
}

/** A JS scalar output as a weakly typed constant; arrays as they are. */
function outputArray(x: unknown, i: number): ArrayBase {
  if (x instanceof ArrayBase) return x;
  if (typeof x === 'number' || typeof x === 'boolean') {
    const t = scalarType(x);
    return scalarConstant(x, t.dtype, t.weakType);
  }
  throw new TypeError(`vmap: output leaf ${i} of the mapped function is not an array (${x === null ? 'null' : typeof x}). ` +
    'Mapped functions must return arrays, JS numbers or pytrees of them.');
}

/**
 * `vmap(f, {inAxes = 0, outAxes = 0, axisSize})`: f mapped over an axis of its arguments. The result
 * takes the same arguments as f with an extra axis where inAxes says, and returns f's outputs with
 * an extra axis where outAxes says.
 */
export function vmap<F extends (...args: any[]) => any>(f: F, opts: VmapOptions = {}): (...args: any[]) => any {
  if (typeof f !== 'function') throw new TypeError(`vmap expects a function, got ${typeof f}.`);
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxes = opts.outAxes === undefined ? 0 : opts.outAxes;
  const { axisSize } = opts;
  if (!(inAxes === null || Number.isInteger(inAxes) || globalThis.Array.isArray(inAxes))) {
    throw new TypeError('vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the ' +
      `function, but got ${specRepr(inAxes)}.`);
  }
  if (!tree.leaves(noneToLeaf(inAxes)).every(isAxisLeaf)) {
    throw new TypeError(`vmap in_axes must be an int, None, or (nested) container with those types as leaves, but got ${specRepr(inAxes)}.`);
  }
  if (!tree.leaves(noneToLeaf(outAxes)).every(isAxisLeaf)) {
    throw new TypeError(`vmap out_axes must be an int, None, or (nested) container with those types as leaves, but got ${specRepr(outAxes)}.`);
  }
  if (axisSize !== undefined && !(Number.isInteger(axisSize) && axisSize >= 0)) {
    throw new TypeError(`vmap axisSize must be a non-negative integer, got ${String(axisSize)}.`);
  }

  const vmapped = (...args: unknown[]) => {
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length) {
      throw new ValueError('vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the ' +
        `function, but got len(in_axes)=${inAxes.length}, len(args)=${args.length}`);
    }
    const [withPaths, inTree] = tree.flattenWithPath(args);
    const leaves = withPaths.map(([, l]) => l);
    const inDims = flattenAxes('vmap in_axes', inTree, inAxes);
    const size = mappedAxisSize(f, withPaths.map(([p]) => p), leaves, inDims, axisSize);
    leaves.forEach((l, i) => {
      if (inDims[i] !== null && !(l instanceof ArrayBase)) {
        throw new TypeError(`vmap: argument ${tree.keystr(withPaths[i][0])} is mapped (in_axes ${inDims[i]}) but is not an array ` +
          `(${typeof l}); pass arrays for mapped arguments, or null in inAxes for this one.`);
      }
    });
    return withMainTrace(BatchTrace, { size } satisfies AxisData, (main: MainTrace) => {
      const trace = new BatchTrace(main);
      const inTracers = leaves.map((l, i) => {
        const d = inDims[i];
        if (d === null) return l;
        const x = l as ArrayBase;
        return new BatchTracer(trace, x, canonicalizeAxis(d, x.ndim));
      });
      const out = f(...(inTree.unflatten(inTracers) as unknown[]));
      const [outLeaves, outTree] = tree.flatten(out);
      const outDims = flattenAxes('vmap out_axes', outTree, outAxes);
      const results = outLeaves.map((o, i) => {
        const [v, d] = trace.toBatchInfo(outputArray(o, i));
        try {
          return matchaxis(size, d, outDims[i], v);
        } catch (e) {
          if (!(e instanceof SpecMatchError)) throw e;
          const full = outTree.unflatten(outDims.map((x) => (x === null ? NONE : x)));
          const [path] = tree.leavesWithPath(full)[i];
          throw new ValueError(`at vmap out_axes${tree.keystr(path)}, got axis spec None but output was batched on axis ${e.src}`);
        }
      });
      return outTree.unflatten(results);
    });
  };
  // As JAX's functools.wraps: the mapped function keeps f's name (jit(vmap(f)) stages `jit[name=f …]`).
  Object.defineProperty(vmapped, 'name', { value: f.name });
  return vmapped;
}
