// Functions over the leaves of one or several pytrees: map, mapWithPath, broadcast, all, reduce,
// reduceAssociative, transpose. Several trees must each have the first tree's structure as a
// prefix (a leaf of the first tree may stand for a whole subtree of the others), as in JAX.

import { ArrayBase } from '../core/array_base.js';
import { flatten, flattenWithPath, leaves, structure, type PathTreeOptions, type TreeOptions } from './flatten.js';
import type { KeyPath } from './keys.js';
import { prefixErrors } from './prefix_error.js';
import { PyTreeDef } from './treedef.js';

/**
 * Splits a trailing options object off variadic trees: the last argument is options when it is a
 * non-empty plain object whose keys are all option names, each set to a function, a boolean,
 * null or undefined. (A dict tree of exactly such keys and leaves would be taken for options: pass
 * explicit options, e.g. `{isLeaf: undefined}`, after it.)
 */
function splitOptions<O>(args: unknown[], names: readonly string[]): [unknown[], O] {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.getPrototypeOf(last) === Object.prototype) {
    const entries = Object.entries(last);
    const optionLike = ([k, v]: [string, unknown]) =>
      names.includes(k) && (v === undefined || v === null || typeof v === 'function' || typeof v === 'boolean');
    if (entries.length > 0 && entries.every(optionLike)) return [args.slice(0, -1), last as O];
  }
  return [args, {} as O];
}

/** The leaves of `other` matched against `treedef` (the structure of `tree`), or JAX's prefix error. */
function flattenUpToOrExplain(treedef: PyTreeDef, tree: unknown, other: unknown, isLeaf: TreeOptions['isLeaf'], name: string): unknown[] {
  try {
    return treedef.flattenUpTo(other);
  } catch (e) {
    const [err] = prefixErrors(tree, other, { isLeaf });
    throw err ? err(name) : e;
  }
}

function mapLeaves(f: (...xs: any[]) => unknown, columns: unknown[][], first: (i: number) => unknown[]): unknown[] {
  const n = columns[0].length;
  const out = new globalThis.Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = f(...first(i), ...columns.map((c) => c[i]));
  return out;
}

/**
 * `map(f, tree, ...rest, {isLeaf})`: a tree of tree's structure whose leaves are
 * `f(leaf, ...corresponding leaves or subtrees of rest)`.
 */
export function map<R = any>(f: (...leaves: any[]) => unknown, tree: unknown, ...restAndOptions: [...rest: unknown[], options: TreeOptions]): R;
export function map<R = any>(f: (...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): R;
export function map<R = any>(f: (...leaves: any[]) => unknown, tree: unknown, ...restAndOptions: unknown[]): R {
  const [rest, opts] = splitOptions<TreeOptions>(restAndOptions, ['isLeaf']);
  const [xs, treedef] = flatten(tree, opts);
  const others = rest.map((r) => flattenUpToOrExplain(treedef, tree, r, opts.isLeaf, 'tree.map tree'));
  return treedef.unflatten(mapLeaves(f, [xs, ...others], () => []));
}

/** `mapWithPath(f, tree, ...rest, {isLeaf, isLeafTakesPath})`: like map, with `f(path, leaf, ...)`. */
export function mapWithPath<R = any>(f: (path: KeyPath, ...leaves: any[]) => unknown, tree: unknown, ...restAndOptions: [...rest: unknown[], options: PathTreeOptions]): R;
export function mapWithPath<R = any>(f: (path: KeyPath, ...leaves: any[]) => unknown, tree: unknown, ...rest: unknown[]): R;
export function mapWithPath<R = any>(f: (path: KeyPath, ...leaves: any[]) => unknown, tree: unknown, ...restAndOptions: unknown[]): R {
  const [rest, opts] = splitOptions<PathTreeOptions>(restAndOptions, ['isLeaf', 'isLeafTakesPath']);
  const [pathLeaves, treedef] = flattenWithPath(tree, opts);
  const isLeaf = opts.isLeaf && !opts.isLeafTakesPath ? opts.isLeaf as (x: unknown) => boolean : null;
  const others = rest.map((r) => flattenUpToOrExplain(treedef, tree, r, isLeaf, 'tree.mapWithPath tree'));
  const xs = pathLeaves.map(([, x]) => x);
  return treedef.unflatten(mapLeaves(f, [xs, ...others], (i) => [pathLeaves[i][0]]));
}

/**
 * For each leaf of `fullTree`, the leaf of `prefixTree` above it (JAX's `broadcast_prefix`): how
 * vmap's inAxes or grad's per-argument options reach every leaf of the arguments.
 */
export function broadcastPrefix(prefixTree: unknown, fullTree: unknown, opts: TreeOptions = {}): unknown[] {
  const [prefixLeaves, prefixDef] = flatten(prefixTree, opts);
  const subtrees = flattenUpToOrExplain(prefixDef, prefixTree, fullTree, opts.isLeaf, 'tree.broadcast prefixTree');
  const out: unknown[] = [];
  subtrees.forEach((sub, i) => {
    const n = structure(sub).numLeaves;
    for (let k = 0; k < n; k++) out.push(prefixLeaves[i]);
  });
  return out;
}

/** `broadcast(prefixTree, fullTree, {isLeaf})`: fullTree's structure, each leaf replaced by the
 * prefixTree leaf above it (JAX's `jax.tree.broadcast`). */
export function broadcast<R = any>(prefixTree: unknown, fullTree: unknown, opts: TreeOptions = {}): R {
  return structure(fullTree).unflatten(broadcastPrefix(prefixTree, fullTree, opts));
}

/**
 * True when every leaf is truthy. Array leaves cannot be tested: reading an array is asynchronous
 * in Tracelens, so reduce them first (`tree.map((x) => np.all(x), t)`, then read back).
 */
export function all(tree: unknown, opts: TreeOptions = {}): boolean {
  for (const x of leaves(tree, opts)) {
    if (x instanceof ArrayBase) {
      throw new TypeError(`tree.all: a leaf is an array (${x.aval.strShort()}), whose truth value needs a readback, which is ` +
        'asynchronous in Tracelens. Reduce the arrays and read the result instead, e.g. ' +
        '`await np.all(np.stack(tree.leaves(tree.map((x) => np.all(x), t)))).item()`.');
    }
    if (!x) return false;
  }
  return true;
}

/**
 * `reduce(f, tree, initializer?, {isLeaf})`: folds f over the leaves from the left, as Python's
 * `functools.reduce` (an undefined initializer means none).
 */
export function reduce<T = any>(f: (acc: T, leaf: any) => T, tree: unknown, initializer?: T, opts: TreeOptions = {}): T {
  const xs = leaves(tree, opts);
  if (initializer !== undefined) return xs.reduce(f, initializer);
  if (xs.length === 0) throw new TypeError('reduce() of empty iterable with no initial value');
  return xs.reduce(f);
}

/** `reduceAssociative(op, tree, {identity, isLeaf})`: combines the leaves pairwise as a balanced tree. */
export function reduceAssociative<T = any>(op: (a: T, b: T) => T, tree: unknown, opts: TreeOptions & { identity?: T } = {}): T {
  const xs = leaves<T>(tree, opts);
  const go = (lo: number, hi: number): T => {
    if (hi - lo === 1) return xs[lo];
    const mid = lo + Math.floor((hi - lo) / 2);
    return op(go(lo, mid), go(mid, hi));
  };
  if (xs.length === 0) {
    if (!('identity' in opts) || opts.identity === undefined) {
      throw new TypeError('Must specify identity for parallel reduction of empty sequence.');
    }
    return opts.identity;
  }
  return go(0, xs.length);
}

/**
 * Turns a tree of structure outer(inner(·)) into inner(outer(·)) (JAX's `tree.transpose`);
 * `inner` null takes it from the first of outer's subtrees.
 */
export function transpose<R = any>(outer: PyTreeDef, inner: PyTreeDef | null, tree: unknown): R {
  const [flat, treedef] = flatten(tree);
  const innerDef = inner ?? structure(outer.flattenUpTo(tree)[0]);
  const ni = innerDef.numLeaves, no = outer.numLeaves;
  if (treedef.numLeaves !== ni * no) {
    throw new TypeError(`Mismatch\n${treedef}\n != \n${outer.compose(innerDef)}`);
  }
  const subtrees = globalThis.Array.from({ length: ni }, (_, i) =>
    outer.unflatten(globalThis.Array.from({ length: no }, (_, o) => flat[o * ni + i])));
  return innerDef.unflatten(subtrees);
}
