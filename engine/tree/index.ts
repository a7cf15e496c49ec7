// Pytrees (JAX's jax.tree / jax.tree_util): nested JS arrays (lists), plain objects (dicts, keys
// sorted), null (None) and registered classes, whose leaves are everything else — Tracelens arrays
// and tracers, numbers, booleans, strings, unregistered class instances.
//
// `undefined` is a node with no children, like null, so it is never a leaf and round-trips as
// undefined; it is its own structure (`PyTreeDef(undefined)`), distinct from null's
// (`PyTreeDef(None)`), so `tree.map(f, {a: null}, {a: undefined})` is a structure error.
//
// Functions take JAX's keyword arguments in a trailing options object: `tree.map(f, a, b, {isLeaf})`.

export { PyTreeDef } from './treedef.js';
export { flatten, leaves, structure, unflatten, flattenWithPath, leavesWithPath } from './flatten.js';
export type { TreeOptions, PathTreeOptions } from './flatten.js';
export { map, mapWithPath, broadcast, broadcastPrefix, all, reduce, reduceAssociative, transpose } from './map.js';
export { registerNode, registerNodeWithKeys } from './registry.js';
export type { FlattenFn, FlattenWithKeysFn, UnflattenFn, RegisterNodeOptions } from './registry.js';
export { DictKey, SequenceKey, GetAttrKey, FlattenedIndexKey, keystr } from './keys.js';
export type { KeyEntry, KeyPath, KeystrOptions } from './keys.js';
export { prefixErrors } from './prefix_error.js';
export type { PrefixError } from './prefix_error.js';
export { staticKey } from './static_key.js';
export { ValueError } from './errors.js';
