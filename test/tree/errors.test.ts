// Structure errors with JAX's messages (test/golden/tree/tree.json holds JAX's text, "jax", and the
// same text with Python's type and function names in JS terms, "js"; generate.py states the
// translation): tree.map / mapWithPath / broadcast between mismatched trees (JAX's "pytree
// structure error: …" with the key path and a difflib diff of the metadata), treedef.flattenUpTo
// ("List arity mismatch: 4 != 5; list: [1, 2, 3, 4].", "Dict key mismatch; …", "Expected list, got
// 3.", "Custom node type mismatch: …"), unflatten with the wrong number of leaves, transpose, and
// registration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tree } from '../../engine/index.js';
import { check, decode, golden, outcome } from './golden.js';

test('the golden file has failing and passing prefix cases', () => {
  assert.ok(golden.prefixes.filter((c) => 'error' in c.map).length >= 20);
  assert.ok(golden.prefixes.some((c) => 'value' in c.map));
});

for (const c of golden.prefixes) {
  test(`prefix › ${c.name}`, async () => {
    const prefix = decode(c.prefix);
    const full = decode(c.full);
    check(await outcome(() => tree.structure(prefix).flattenUpTo(full)), c.flatten_up_to, 'structure(prefix).flattenUpTo(full)');
    check(await outcome(() => tree.map((...xs: unknown[]) => xs, prefix, full)), c.map, 'tree.map');
    check(await outcome(() => tree.mapWithPath((p: tree.KeyPath, ...xs: unknown[]) => [tree.keystr(p), ...xs], prefix, full)),
      c.map_with_path, 'tree.mapWithPath');
    check(await outcome(() => tree.broadcast(prefix, full)), c.broadcast, 'tree.broadcast');
  });
}

for (const c of golden.unflattens) {
  test(`unflatten › ${c.name}`, async () => {
    const td = tree.structure(decode(c.tree));
    const leaves = Array.from({ length: c.n }, (_, i) => 100 + i);
    check(await outcome(() => tree.unflatten(td, leaves)), c.result, 'tree.unflatten');
    check(await outcome(() => td.unflatten(leaves)), c.result, 'treedef.unflatten');
    // Any iterable of leaves will do, as in JAX.
    check(await outcome(() => td.unflatten(new Set(leaves))), c.result, 'treedef.unflatten(Set)');
  });
}

for (const c of golden.transposes) {
  test(`transpose › ${c.name}`, async () => {
    const outer = tree.structure(decode(c.outer));
    const inner = c.inner === null ? null : tree.structure(decode(c.inner));
    check(await outcome(() => tree.transpose(outer, inner, decode(c.tree))), c.result, 'tree.transpose');
  });
}

test('the None hint of flattenUpTo names the TypeScript fix', () => {
  // The TypeScript snippet in the hint must do what it says: treat null in the first tree as a leaf.
  const f = (x: number, y: number) => x + y;
  const a = [null, 1];
  const b = [[5, 6], 2];
  const out = tree.map((x, y) => (x === null ? null : f(x, y)), a, b, { isLeaf: (x) => x === null });
  assert.deepEqual(out, [null, 3]);
  assert.throws(() => tree.structure(a).flattenUpTo(b), { message: /\{isLeaf: \(x\) => x === null\}\)$/ });
});

test('messages print JS values readably', () => {
  const td = tree.structure([0, 0]);
  assert.throws(() => td.flattenUpTo({ a: true, b: undefined, c: [null, 'x'] }),
    { name: 'ValueError', message: "Expected list, got {'a': true, 'b': undefined, 'c': [null, 'x']}." });
  class Thing { constructor(readonly n = 1, readonly s = 'v') {} }
  assert.throws(() => td.flattenUpTo(new Thing()), { message: "Expected list, got Thing {'n': 1, 's': 'v'}." });
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  cyclic.push(2);
  assert.throws(() => td.flattenUpTo(cyclic), { message: 'List arity mismatch: 3 != 2; list: [1, [Circular], 2].' });
  assert.throws(() => td.flattenUpTo(Math.max), { message: 'Expected list, got [Function: max].' });
  assert.throws(() => tree.map((x: unknown) => x, [1, 2], [1, 'a', 3]),
    { message: /has a subtree of type list of length 2, but the full pytree has a subtree of the same type but of length 3\.$/ });
  // Types in JS terms: a boolean leaf where a dict is expected.
  assert.throws(() => tree.map((x: unknown) => x, { a: {} }, { a: false }),
    { message: /tree\.map tree\['a'\]\n[^]*of type\n {4}dict\n[^]*of different type\n {4}boolean\.$/ });
});

test('registerNode: duplicate registration, built-in node types and arrays are refused', async () => {
  class Once { constructor(readonly v: unknown) {} }
  tree.registerNode(Once, (o) => [[o.v], null], (_a, [v]) => new Once(v));
  assert.throws(() => tree.registerNode(Once, (o) => [[o.v], null], (_a, [v]) => new Once(v)),
    { name: 'ValueError', message: 'Duplicate custom PyTreeDef type registration for Once.' });
  assert.throws(() => tree.registerNode(Array, (x) => [x, null], (_a, c) => c),
    { name: 'ValueError', message: 'Duplicate custom PyTreeDef type registration for list.' });
  assert.throws(() => tree.registerNode(Object, () => [[], null], () => ({})),
    { name: 'ValueError', message: 'Duplicate custom PyTreeDef type registration for dict.' });
  const { Array: TArray } = await import('../../engine/index.js');
  assert.throws(() => tree.registerNode(TArray, () => [[], null], () => { throw new Error('unused'); }),
    { name: 'TypeError', message: /always pytree leaves/ });
  assert.throws(() => tree.registerNode(class Nope {}, 1 as never, 2 as never), { name: 'TypeError', message: /must be functions/ });
});

test('registerNode: a flatten function that returns the wrong shape is named', () => {
  class Bad { }
  tree.registerNode(Bad, (() => 5) as never, () => new Bad());
  assert.throws(() => tree.leaves(new Bad()),
    { name: 'ValueError', message: 'The flatten function for a custom PyTree node should return a [children, auxData] pair, got 5' });
  class Bad2 { }
  tree.registerNode(Bad2, (() => [5, null]) as never, () => new Bad2());
  assert.throws(() => tree.leaves(new Bad2()),
    { message: "The flatten function for a custom PyTree node should return a [children, auxData] pair where 'children' is iterable, got [5, null]" });
});

test('tree.reduce without leaves or initializer and reduceAssociative without identity raise like JAX', () => {
  // functools.reduce(f, []) and jax.tree.reduce_associative(f, []) raise these TypeErrors.
  assert.throws(() => tree.reduce((a: number, b: number) => a + b, [null, []]),
    { name: 'TypeError', message: 'reduce() of empty iterable with no initial value' });
  assert.throws(() => tree.reduceAssociative((a: number, b: number) => a + b, {}),
    { name: 'TypeError', message: 'Must specify identity for parallel reduction of empty sequence.' });
});

test('unflatten rejects a non-treedef first argument', () => {
  assert.throws(() => tree.unflatten([1, 2] as never, [1, 2]), { name: 'TypeError', message: /must be a PyTreeDef/ });
});
