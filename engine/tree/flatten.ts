// Flattening a pytree into its leaves (in JAX's order: lists by index, dicts by sorted key, custom
// nodes in their flatten order) and a PyTreeDef, optionally with each leaf's key path.

import { DictKey, SequenceKey, type KeyEntry, type KeyPath } from './keys.js';
import { kindOf, nodeTypeOf, openNode, sortedKeys } from './registry.js';
import { PyTreeDef } from './treedef.js';

export interface TreeOptions {
  /** Called on every value met; returning true makes that value (a node or not) a leaf. */
  isLeaf?: ((x: any) => boolean) | null;
}

export interface PathTreeOptions {
  /** As in TreeOptions; with `isLeafTakesPath`, it is called as `isLeaf(path, x)`. */
  isLeaf?: ((x: any) => boolean) | ((path: KeyPath, x: any) => boolean) | null;
  isLeafTakesPath?: boolean;
}

type Pred = ((path: KeyPath, x: unknown) => boolean) | null;

/** `[leaves, treedef]`. */
export function flatten<L = any>(tree: unknown, opts: TreeOptions = {}): [L[], PyTreeDef] {
  const leaves: unknown[] = [];
  const isLeaf = opts.isLeaf ?? null;
  const td = walk(tree, isLeaf ? (_p, x) => isLeaf(x) : null, leaves, null, null);
  return [leaves as L[], td];
}

/** The leaves, in flatten's order. */
export function leaves<L = any>(tree: unknown, opts: TreeOptions = {}): L[] {
  return flatten<L>(tree, opts)[0];
}

/** The tree's structure. */
export function structure(tree: unknown, opts: TreeOptions = {}): PyTreeDef {
  return flatten(tree, opts)[1];
}

/** Rebuilds a tree of structure `treedef` from leaves. */
export function unflatten(treedef: PyTreeDef, leaves: Iterable<unknown>): any {
  if (!(treedef instanceof PyTreeDef)) {
    throw new TypeError(`tree.unflatten(treedef, leaves): the first argument must be a PyTreeDef (from tree.flatten or tree.structure), got ${String(treedef)}.`);
  }
  return treedef.unflatten(leaves);
}

/** `[[[path, leaf], …], treedef]`. */
export function flattenWithPath<L = any>(tree: unknown, opts: PathTreeOptions = {}): [[KeyPath, L][], PyTreeDef] {
  const leaves: unknown[] = [];
  const paths: KeyPath[] = [];
  const td = walk(tree, pathPredicate(opts), leaves, paths, []);
  return [paths.map((p, i) => [p, leaves[i] as L]), td];
}

/** `[[path, leaf], …]`, in flatten's order. */
export function leavesWithPath<L = any>(tree: unknown, opts: PathTreeOptions = {}): [KeyPath, L][] {
  return flattenWithPath<L>(tree, opts)[0];
}

function pathPredicate(opts: PathTreeOptions): Pred {
  const isLeaf = opts.isLeaf ?? null;
  if (!isLeaf) return null;
  return opts.isLeafTakesPath ? isLeaf as (p: KeyPath, x: unknown) => boolean : (_p, x) => (isLeaf as (x: unknown) => boolean)(x);
}

/** Flattens `x` into `leaves` (and, when `path` is given, each leaf's key path into `paths`). */
function walk(x: unknown, isLeaf: Pred, leaves: unknown[], paths: KeyPath[] | null, path: KeyEntry[] | null): PyTreeDef {
  if (isLeaf && isLeaf(path ? [...path] : [], x)) {
    leaves.push(x);
    if (paths) paths.push([...path!]);
    return PyTreeDef.LEAF;
  }
  const kind = kindOf(x);
  switch (kind) {
    case 'leaf':
      leaves.push(x);
      if (paths) paths.push([...path!]);
      return PyTreeDef.LEAF;
    case 'none': return PyTreeDef.NONE;
    case 'undefined': return PyTreeDef.UNDEFINED;
    case 'list': {
      const xs = x as unknown[];
      const children = new globalThis.Array<PyTreeDef>(xs.length);
      for (let i = 0; i < xs.length; i++) {
        if (path) path.push(new SequenceKey(i));
        children[i] = walk(xs[i], isLeaf, leaves, paths, path);
        if (path) path.pop();
      }
      return new PyTreeDef('list', children, null, null, null);
    }
    case 'dict': {
      const obj = x as Record<string, unknown>;
      const keys = sortedKeys(obj);
      const children = keys.map((k) => {
        if (path) path.push(new DictKey(k));
        const c = walk(obj[k], isLeaf, leaves, paths, path);
        if (path) path.pop();
        return c;
      });
      return new PyTreeDef('dict', children, keys, null, null);
    }
    case 'custom': {
      const node = openNode(x, 'custom', path !== null);
      const keys = path ? node.keys() : null;
      const children = node.children.map((c, i) => {
        if (path) path.push(keys![i]);
        const td = walk(c, isLeaf, leaves, paths, path);
        if (path) path.pop();
        return td;
      });
      return new PyTreeDef('custom', children, null, nodeTypeOf(x as object)!, node.meta);
    }
  }
}
