// What every vmap test checks: `vmap(f, {inAxes, outAxes})(...args)` equals f applied to each
// element of the batch in a plain loop (`x.index(':', i)` along each mapped axis) and stacked with
// np.stack along outAxes — same tree, shapes, dtypes and values.

import assert from 'node:assert/strict';
import { numpy as np, tree, vmap, Array as TArray } from '../../engine/index.js';
import type { AxisSpec, DType } from '../../engine/index.js';

type Fn = (...args: any[]) => unknown;

/** Deterministic values in [lo, hi) (integers for int dtypes, alternating for bool). */
export function vals(shape: number[], opts: { lo?: number; hi?: number; dtype?: DType; seed?: number } = {}): TArray {
  const { lo = -2, hi = 2, dtype = 'float32', seed = 1 } = opts;
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed * 7919 + n;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const data = Array.from({ length: n }, () => {
    const u = lo + (hi - lo) * next();
    if (dtype === 'bool') return u > (lo + hi) / 2;
    if (dtype === 'int32' || dtype === 'uint32') return Math.floor(u);
    return Math.round(u * 64) / 64;
  });
  return np.array(data, { dtype }).reshape(shape);
}

function canon(axis: number, ndim: number): number { return axis < 0 ? axis + ndim : axis; }

/** Element i of x along `axis`. */
function take(x: TArray, axis: number, i: number): TArray {
  const ax = canon(axis, x.ndim);
  return x.index(...new Array<string>(ax).fill(':'), i);
}

/** The arguments of batch element i: each mapped leaf indexed along its axis (spec is a prefix of arg). */
function sliceArg(arg: unknown, spec: AxisSpec, i: number): unknown {
  if (spec === null) return arg;
  if (typeof spec === 'number') return tree.map((l: unknown) => (l instanceof TArray ? take(l, spec, i) : l), arg);
  if (Array.isArray(spec)) return (arg as unknown[]).map((a, k) => sliceArg(a, spec[k], i));
  return Object.fromEntries(Object.keys(arg as object).map((k) => [k, sliceArg((arg as Record<string, unknown>)[k], (spec as Record<string, AxisSpec>)[k], i)]));
}

function specLeaves(arg: unknown, spec: AxisSpec): [TArray, number][] {
  if (spec === null) return [];
  if (typeof spec === 'number') return tree.leaves(arg).filter((l: unknown) => l instanceof TArray).map((l: TArray) => [l, spec]);
  if (Array.isArray(spec)) return (arg as unknown[]).flatMap((a, k) => specLeaves(a, spec[k]));
  return Object.keys(arg as object).flatMap((k) => specLeaves((arg as Record<string, unknown>)[k], (spec as Record<string, AxisSpec>)[k]));
}

export interface VmapCheck {
  inAxes?: AxisSpec;
  outAxes?: number;
  axisSize?: number;
  /** Relative tolerance for floats (default 1e-5); 0 asks for exact equality. */
  rtol?: number;
  /** Replaces vmap(f) (e.g. jit(vmap(f)) or vmap(jit(f))); called with the same arguments. */
  mapped?: (...args: unknown[]) => unknown;
}

/** The loop-and-stack expectation of vmap(f) on args. */
export function loopAndStack(f: Fn, args: unknown[], opts: VmapCheck = {}): unknown {
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const specs: AxisSpec[] = Array.isArray(inAxes) ? inAxes : args.map(() => inAxes);
  const mapped = args.flatMap((a, k) => specLeaves(a, specs[k]));
  const size = mapped.length ? mapped[0][0].shape[canon(mapped[0][1], mapped[0][0].ndim)] : opts.axisSize!;
  const outs = Array.from({ length: size }, (_, i) => f(...args.map((a, k) => sliceArg(a, specs[k], i))));
  const outAxis = opts.outAxes ?? 0;
  const [first, def] = tree.flatten(outs[0]);
  const leafLists = outs.map((o) => tree.flatten(o)[0]);
  return def.unflatten(first.map((_: unknown, j: number) => np.stack(leafLists.map((ls) => np.asarray(ls[j] as TArray)), { axis: outAxis })));
}

async function compareLeaves(actual: unknown, expected: unknown, rtol: number, what: string): Promise<void> {
  const [a, da] = tree.flatten(actual);
  const [e, de] = tree.flatten(expected);
  assert.equal(da.toString(), de.toString(), `${what}: output tree structure`);
  for (let j = 0; j < e.length; j++) {
    const x = a[j] as TArray, y = e[j] as TArray;
    assert.ok(x instanceof TArray, `${what}: output leaf ${j} is not an array`);
    assert.deepEqual(x.shape, y.shape, `${what}: shape of output leaf ${j}`);
    assert.equal(x.dtype, y.dtype, `${what}: dtype of output leaf ${j}`);
    const xs = Array.from(await x.data() as ArrayLike<number>, Number), ys = Array.from(await y.data() as ArrayLike<number>, Number);
    for (let k = 0; k < ys.length; k++) {
      const p = xs[k], q = ys[k];
      const ok = Object.is(p, q) || p === q || (Number.isNaN(p) && Number.isNaN(q)) ||
        (rtol > 0 && Math.abs(p - q) <= rtol * Math.max(1, Math.abs(q)));
      assert.ok(ok, `${what}: output leaf ${j} element ${k}: vmap gives ${p}, the loop gives ${q}\n  vmap: ${xs.join(', ')}\n  loop: ${ys.join(', ')}`);
    }
  }
}

/** Asserts that vmap(f, opts)(...args) (or opts.mapped) equals the loop-and-stack of f. */
export async function checkVmap(f: Fn, args: unknown[], opts: VmapCheck = {}, what = 'vmap'): Promise<void> {
  const mappedFn = opts.mapped ?? vmap(f, { inAxes: opts.inAxes, outAxes: opts.outAxes, axisSize: opts.axisSize });
  const actual = mappedFn(...args);
  const expected = loopAndStack(f, args, opts);
  await compareLeaves(actual, expected, opts.rtol ?? 1e-5, what);
}

/** `arg` with each mapped leaf's batch axis moved from 0 to `axis` (spec's 0 leaves become `axis`). */
export function moveBatchAxis(arg: unknown, spec: AxisSpec, axis: number): [unknown, AxisSpec] {
  if (spec === null) return [arg, null];
  if (typeof spec === 'number') {
    return [tree.map((l: unknown) => (l instanceof TArray ? np.moveaxis(l, 0, axis) : l), arg), axis];
  }
  if (Array.isArray(spec)) {
    const pairs = (arg as unknown[]).map((a, k) => moveBatchAxis(a, spec[k], axis));
    return [pairs.map(([a]) => a), pairs.map(([, s]) => s)];
  }
  const keys = Object.keys(arg as object);
  const pairs = keys.map((k) => moveBatchAxis((arg as Record<string, unknown>)[k], (spec as Record<string, AxisSpec>)[k], axis));
  return [Object.fromEntries(keys.map((k, i) => [k, pairs[i][0]])), Object.fromEntries(keys.map((k, i) => [k, pairs[i][1]]))];
}

/** The smallest rank among the mapped leaves. */
export function minMappedRank(args: unknown[], inAxes: AxisSpec[]): number {
  const ranks = args.flatMap((a, k) => specLeaves(a, inAxes[k])).map(([l]) => l.ndim);
  return ranks.length ? Math.min(...ranks) : 0;
}
