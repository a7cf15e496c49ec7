// What is a pytree node and what is a leaf. The built-in nodes are JS arrays (JAX's lists), plain
// objects (dicts, children in sorted key order), `null` (None) and `undefined`; a class becomes a
// node once registered with `registerNode`. Everything else, Tracelens arrays and tracers included,
// is a leaf. A class matches by its exact prototype, as JAX matches the exact type: instances of an
// unregistered subclass are leaves.

import { ArrayBase } from '../core/array_base.js';
import { compareCodePoints, formatValue } from './format.js';
import { DictKey, FlattenedIndexKey, SequenceKey, type KeyEntry } from './keys.js';
import { ValueError } from './errors.js';

/** `flatten(node) → [children, auxData]`: the children are subtrees, auxData is static metadata. */
export type FlattenFn<T> = (node: T) => readonly [Iterable<unknown>, unknown];
/** `flattenWithKeys(node) → [[[key, child], …], auxData]`, which gives key paths their entries. */
export type FlattenWithKeysFn<T> = (node: T) => readonly [Iterable<readonly [KeyEntry, unknown]>, unknown];
/** `unflatten(auxData, children) → node`. */
export type UnflattenFn<T> = (auxData: any, children: unknown[]) => T;

/** A registered class. */
export interface NodeType {
  readonly cls: abstract new (...args: any[]) => unknown;
  readonly name: string;
  /** Registration order: part of the treedef key, so two classes of one name never compare equal. */
  readonly id: number;
  readonly flatten: (node: unknown) => [unknown[], unknown];
  readonly flattenWithKeys: ((node: unknown) => [KeyEntry[], unknown[], unknown]) | null;
  readonly unflatten: UnflattenFn<unknown>;
}

const registry = new Map<object, NodeType>();

export interface RegisterNodeOptions<T> {
  /** Children with key path entries (JAX's `flatten_with_keys`); without it, custom children get
   * FlattenedIndexKey entries in key paths. */
  flattenWithKeys?: FlattenWithKeysFn<T>;
}

/**
 * Makes instances of `cls` pytree nodes (JAX's `register_pytree_node`): `flatten(x)` returns
 * `[children, auxData]` and `unflatten(auxData, children)` rebuilds an instance. auxData is part of
 * the tree's structure: two instances whose auxData differ have different treedefs (compared by
 * value for numbers, strings, booleans, null/undefined and arrays/plain objects of them, by
 * identity for other objects), so jit retraces when it changes.
 */
export function registerNode<T>(
  cls: abstract new (...args: any[]) => T, flatten: FlattenFn<T>, unflatten: UnflattenFn<T>,
  opts: RegisterNodeOptions<T> = {},
): void {
  if (typeof cls !== 'function' || typeof cls.prototype !== 'object' || cls.prototype === null) {
    throw new TypeError(`registerNode: expected a class, got ${String(cls)}.`);
  }
  if (typeof flatten !== 'function' || typeof unflatten !== 'function') {
    throw new TypeError('registerNode(cls, flatten, unflatten): flatten and unflatten must be functions ' +
      '(flatten(x) → [children, auxData], unflatten(auxData, children) → x).');
  }
  const proto = cls.prototype as object;
  if (proto === globalThis.Array.prototype || proto === Object.prototype || registry.has(proto)) {
    const name = proto === globalThis.Array.prototype ? 'list' : proto === Object.prototype ? 'dict' : cls.name;
    throw new ValueError(`Duplicate custom PyTreeDef type registration for ${name}.`);
  }
  if (proto instanceof ArrayBase || proto === ArrayBase.prototype) {
    throw new TypeError(`registerNode: ${cls.name} is a Tracelens array type; arrays and tracers are always pytree leaves.`);
  }
  const withKeys = opts.flattenWithKeys;
  registry.set(proto, {
    cls, name: cls.name || 'anonymous', id: registry.size,
    flatten: (x) => checkFlattenResult(flatten(x as T)),
    flattenWithKeys: withKeys ? (x) => checkFlattenWithKeysResult(withKeys(x as T)) : null,
    unflatten: unflatten as UnflattenFn<unknown>,
  });
}

/** JAX's `register_pytree_with_keys`: like registerNode, with keyed children; `flatten` defaults to
 * flattenWithKeys without the keys. */
export function registerNodeWithKeys<T>(
  cls: abstract new (...args: any[]) => T, flattenWithKeys: FlattenWithKeysFn<T>, unflatten: UnflattenFn<T>,
  flatten?: FlattenFn<T>,
): void {
  if (typeof flattenWithKeys !== 'function') {
    throw new TypeError('registerNodeWithKeys(cls, flattenWithKeys, unflatten): flattenWithKeys must be a function ' +
      '(x → [[[key, child], …], auxData]).');
  }
  const dropKeys: FlattenFn<T> = (x) => {
    const [keys, children, aux] = checkFlattenWithKeysResult(flattenWithKeys(x));
    void keys;
    return [children, aux];
  };
  registerNode(cls, flatten ?? dropKeys, unflatten, { flattenWithKeys });
}

function checkFlattenResult(r: unknown): [unknown[], unknown] {
  if (!globalThis.Array.isArray(r) || r.length !== 2) {
    throw new ValueError(`The flatten function for a custom PyTree node should return a [children, auxData] pair, got ${formatValue(r)}`);
  }
  const [children, aux] = r as [unknown, unknown];
  if (!isIterable(children)) {
    throw new ValueError(`The flatten function for a custom PyTree node should return a [children, auxData] pair where 'children' is iterable, got ${formatValue(r)}`);
  }
  return [globalThis.Array.from(children), aux];
}

function checkFlattenWithKeysResult(r: unknown): [KeyEntry[], unknown[], unknown] {
  if (!globalThis.Array.isArray(r) || r.length !== 2) {
    throw new ValueError(`The flattenWithKeys function for a custom PyTree node should return a [keyChildPairs, auxData] pair, got ${formatValue(r)}`);
  }
  const [pairs, aux] = r as [unknown, unknown];
  if (!isIterable(pairs)) {
    throw new ValueError(`The flattenWithKeys function for a custom PyTree node should return a [keyChildPairs, auxData] pair where 'keyChildPairs' is iterable, got ${formatValue(r)}`);
  }
  const keys: KeyEntry[] = [];
  const children: unknown[] = [];
  for (const p of pairs) {
    if (!globalThis.Array.isArray(p) || p.length !== 2) {
      throw new ValueError(`The flattenWithKeys function for a custom PyTree node should return a [keyChildPairs, auxData] pair where each of 'keyChildPairs' is a [key, child] pair, got ${formatValue(p)}`);
    }
    keys.push(p[0] as KeyEntry);
    children.push(p[1]);
  }
  return [keys, children, aux];
}

const isIterable = (x: unknown): x is Iterable<unknown> =>
  x !== null && x !== undefined && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';


/** The registration of `x`'s exact class, if any. */
export function nodeTypeOf(x: object): NodeType | undefined {
  return registry.get(Object.getPrototypeOf(x) as object);
}

/** The kinds of pytree node; `leaf` is anything else. */
export type NodeKind = 'leaf' | 'none' | 'undefined' | 'list' | 'dict' | 'custom';

/** Classifies `x` as a node kind (isLeaf not applied). */
export function kindOf(x: unknown): NodeKind {
  if (x === null) return 'none';
  if (x === undefined) return 'undefined';
  if (typeof x !== 'object') return 'leaf';
  if (x instanceof ArrayBase) return 'leaf';
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto === globalThis.Array.prototype) return 'list';
  if (proto === Object.prototype || proto === null) return 'dict';
  return registry.has(proto as object) ? 'custom' : 'leaf';
}

/** A dict's keys in JAX's order (Python's sort of the key strings). */
export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length < 2) return keys;
  // JS's own string order (UTF-16 code units) is Python's unless a key holds a unit >= U+D800.
  const cmp = keys.some((k) => HIGH_UNITS.test(k)) ? compareCodePoints : compareCodeUnits;
  // Objects made by unflatten, or written in order, need no sort.
  for (let i = 1; i < keys.length; i++) {
    if (cmp(keys[i - 1], keys[i]) > 0) return keys.sort(cmp);
  }
  return keys;
}
const HIGH_UNITS = /[\ud800-\uffff]/;
const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One node opened up: its children, their key path entries and its metadata. */
export interface OpenedNode {
  kind: Exclude<NodeKind, 'leaf'>;
  children: unknown[];
  /** Key path entries, computed only when asked for. */
  keys: () => KeyEntry[];
  /** dict: the sorted keys; custom: auxData; otherwise null. */
  meta: unknown;
  nodeType?: NodeType;
}

/** Opens one level of a node (the kind must not be 'leaf'). */
export function openNode(x: unknown, kind: Exclude<NodeKind, 'leaf'>, withKeys = false): OpenedNode {
  switch (kind) {
    case 'none': case 'undefined':
      return { kind, children: [], keys: () => [], meta: null };
    case 'list': {
      const xs = x as unknown[];
      const children = globalThis.Array.from({ length: xs.length }, (_, i) => xs[i]);
      return { kind, children, keys: () => children.map((_, i) => new SequenceKey(i)), meta: null };
    }
    case 'dict': {
      const obj = x as Record<string, unknown>;
      const keys = sortedKeys(obj);
      return { kind, children: keys.map((k) => obj[k]), keys: () => keys.map((k) => new DictKey(k)), meta: keys };
    }
    case 'custom': {
      const nodeType = nodeTypeOf(x as object)!;
      if (withKeys && nodeType.flattenWithKeys) {
        const [entries, children, aux] = nodeType.flattenWithKeys(x);
        return { kind, children, keys: () => entries, meta: aux, nodeType };
      }
      const [children, aux] = nodeType.flatten(x);
      return { kind, children, keys: () => children.map((_, i) => new FlattenedIndexKey(i)), meta: aux, nodeType };
    }
  }
}
