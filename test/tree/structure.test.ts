// Flattening against real JAX (test/golden/tree/tree.json): the PyTreeDef string, leaves in JAX's
// order (dict keys sorted as Python sorts strings), numLeaves/numNodes/children, key paths and
// keystr, and the unflatten round trip — for nested lists/dicts/None, custom nodes with and without
// keys, isLeaf, and arrays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tree, numpy as np } from '../../engine/index.js';
import { decode, encode, golden, isLeafOf, type Json } from './golden.js';

test(`golden file comes from JAX ${golden.jax_version} and has cases`, () => {
  assert.ok(golden.structures.length > 10);
});

const entryOf = (k: tree.KeyEntry): [string, string | number] => {
  if (k instanceof tree.DictKey) return ['DictKey', k.key];
  if (k instanceof tree.SequenceKey) return ['SequenceKey', k.idx];
  if (k instanceof tree.GetAttrKey) return ['GetAttrKey', k.name];
  if (k instanceof tree.FlattenedIndexKey) return ['FlattenedIndexKey', k.key];
  throw new Error(`not a key entry: ${String(k)}`);
};

for (const c of golden.structures) {
  test(`structure › ${c.name}`, async () => {
    const t = decode(c.tree);
    const isLeaf = isLeafOf(c.is_leaf);
    const [leaves, td] = tree.flatten(t, { isLeaf });
    assert.equal(td.toString(), c.treedef);
    assert.deepEqual(await encode(leaves), c.leaves);
    assert.equal(td.numLeaves, c.num_leaves);
    assert.equal(td.numNodes, c.num_nodes);
    assert.deepEqual(td.children().map(String), c.children);
    assert.deepEqual(await encode(tree.leaves(t, { isLeaf })), c.leaves);
    assert.ok(tree.structure(t, { isLeaf }).equals(td));

    const withPath = tree.leavesWithPath(t, { isLeaf });
    assert.deepEqual(withPath.map(([p]) => p.map(entryOf)), c.paths);
    assert.deepEqual(withPath.map(([p]) => tree.keystr(p)), c.keystr);
    assert.deepEqual(withPath.map(([p]) => tree.keystr(p, { simple: true, separator: '/' })), c.keystr_simple);
    assert.deepEqual(await encode(withPath.map(([, x]) => x)), c.leaves);
    const [pairs, td2] = tree.flattenWithPath(t, { isLeaf });
    assert.ok(td2.equals(td));
    assert.equal(td2.key, td.key);
    assert.deepEqual(pairs.map(([p]) => tree.keystr(p)), c.keystr);

    // Round trip: unflatten rebuilds the same values (custom nodes as instances of their class).
    const rebuilt = tree.unflatten(td, leaves);
    assert.deepEqual(await encode(rebuilt), await encode(t));
    assert.equal(tree.structure(rebuilt, { isLeaf }).toString(), c.treedef);
    assert.deepEqual(await encode(td.unflatten(leaves)), await encode(t));
  });
}

test('dict keys sort as Python sorts strings: by code point, numeric-looking keys as text', () => {
  const keysCase = golden.structures.find((c) => c.name === 'dict key order')!;
  const obj = decode(keysCase.tree) as Record<string, number>;
  // JS itself orders integer-like keys first ('2', '10'); JAX's order is Python's sorted().
  assert.deepEqual(Object.keys(obj).slice(0, 2), ['2', '10']);
  const [leaves] = tree.flatten(obj);
  assert.deepEqual(leaves, golden.sorted_keys.map((k) => obj[k]));
  assert.deepEqual(tree.leavesWithPath(obj).map(([p]) => (p[0] as tree.DictKey).key), golden.sorted_keys);
  // U+1F600 (a surrogate pair in JS) sorts after U+FF01, as in Python, unlike JS's default sort.
  assert.deepEqual(['\u{1F600}', '\uff01'].sort(), ['\u{1F600}', '\uff01']);
  assert.deepEqual(tree.leaves({ '\u{1F600}': 2, '\uff01': 1 }), [1, 2]);
});

test('keystr and key entries print like JAX', () => {
  assert.ok(golden.keystrs.length >= 4);
  for (const c of golden.keystrs) {
    const mk = { DictKey: tree.DictKey, SequenceKey: tree.SequenceKey, GetAttrKey: tree.GetAttrKey, FlattenedIndexKey: tree.FlattenedIndexKey } as const;
    const path = c.path.map(([kind, v]) => new (mk[kind as keyof typeof mk] as new (v: unknown) => tree.KeyEntry)(v));
    assert.equal(tree.keystr(path), c.keystr, c.name);
    assert.equal(tree.keystr(path, { simple: true, separator: '/' }), c.simple, c.name);
    assert.deepEqual(path.map(String), c.entries_str, c.name);
    const inspect = Symbol.for('nodejs.util.inspect.custom');
    assert.deepEqual(path.map((k) => (k as unknown as Record<symbol, () => string>)[inspect]()), c.entries_repr, c.name);
  }
  // DESIGN.md's example: a dict key '1' under 'branch1'.
  const [[p]] = tree.leavesWithPath({ branch1: { 1: 'x' } });
  assert.equal(tree.keystr(p), "['branch1']['1']");
});

test('undefined is a childless node of its own: never a leaf, round-trips, differs from null', () => {
  const t = { a: undefined, b: [1, undefined], c: null };
  const [leaves, td] = tree.flatten(t);
  assert.deepEqual(leaves, [1]);
  assert.equal(td.toString(), "PyTreeDef({'a': undefined, 'b': [*, undefined], 'c': None})");
  assert.equal(td.numNodes, 6);
  const back = tree.unflatten(td, [7]);
  assert.ok('a' in back && back.a === undefined);
  assert.deepEqual(back, { a: undefined, b: [7, undefined], c: null });
  assert.ok(!tree.structure(undefined).equals(tree.structure(null)));
  assert.equal(tree.structure(undefined).toString(), 'PyTreeDef(undefined)');
  assert.deepEqual(tree.leaves([undefined, null], { isLeaf: (x) => x === undefined }), [undefined]);
  assert.throws(() => tree.map((x: unknown) => x, { a: null }, { a: undefined }),
    { name: 'ValueError', message: /different types at key path\n {4}tree\.map tree\['a'\][^]*None[^]*undefined\./ });
  assert.throws(() => tree.structure([undefined]).flattenUpTo([1]), { name: 'ValueError', message: 'Expected undefined, got 1.' });
});

test('leaves: arrays, numbers, booleans, strings, functions and unregistered class instances', () => {
  class Unregistered { constructor(readonly v = 1) {} }
  class Sub extends Array<number> {}
  const arr = np.arange(3);
  const fn = () => 1;
  const u = new Unregistered();
  const sub = Sub.from([1, 2]);
  const leaves = tree.leaves([arr, 1, true, 'str', fn, u, sub, 2n, { x: [false] }]);
  assert.equal(leaves.length, 9);
  assert.equal(leaves[0], arr);
  assert.deepEqual(leaves.slice(1, 4), [1, true, 'str']);
  assert.equal(leaves[4], fn);
  assert.equal(leaves[5], u);
  assert.equal(leaves[6], sub, 'an Array subclass is not a list unless registered (JAX matches exact types)');
  assert.deepEqual(leaves.slice(7), [2n, false]);
  // Objects without a prototype are dicts too; unflatten makes ordinary objects.
  const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
  assert.deepEqual(tree.leaves(bare), [1, 2]);
});

test('a dict key named __proto__ survives unflatten as an own key', () => {
  const t = JSON.parse('{"__proto__": 1, "a": 2}') as object;
  const [leaves, td] = tree.flatten(t);
  assert.deepEqual(leaves, [1, 2]);
  const back = tree.unflatten(td, [10, 20]) as Record<string, number>;
  assert.deepEqual(Object.keys(back).sort(), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.equal(tree.structure(back).toString(), "PyTreeDef({'__proto__': *, 'a': *})");
});

test('isLeaf with the path (isLeafTakesPath)', () => {
  const t = { a: [1, 2], b: { c: [3] } };
  const seen: string[] = [];
  const pairs = tree.leavesWithPath(t, {
    isLeaf: (p: tree.KeyPath, x: unknown) => { seen.push(tree.keystr(p)); return tree.keystr(p) === "['b']['c']" && Array.isArray(x); },
    isLeafTakesPath: true,
  });
  assert.deepEqual(pairs.map(([p, x]) => [tree.keystr(p), x]), [["['a'][0]", 1], ["['a'][1]", 2], ["['b']['c']", [3]]]);
  assert.deepEqual(seen, ['', "['a']", "['a'][0]", "['a'][1]", "['b']", "['b']['c']"]);
});

test('treedef.key is equal exactly for equal structures (what jit keys its cache on)', () => {
  const a = tree.structure({ w: [np.zeros([2]), 1], b: null });
  const b = tree.structure({ b: null, w: [3, np.ones([5])] });
  assert.equal(a.key, b.key);
  assert.ok(a.equals(b));
  const different: unknown[] = [
    { w: [1, 1], b: undefined }, { w: [1, 1] }, { w: [1, [1]], b: null }, { w: [1, 1, 1], b: null },
    { w: [1, 1], c: null }, [1, 1, null], { w: { 0: 1, 1: 1 }, b: null },
  ];
  const keys = new Set([a.key, ...different.map((t) => tree.structure(t).key)]);
  assert.equal(keys.size, different.length + 1);
  for (const t of different) assert.ok(!tree.structure(t).equals(a), JSON.stringify(t));
  // Keys that look like separators cannot make two structures collide.
  assert.notEqual(tree.structure({ 'a":*,"b': 1 }).key, tree.structure({ a: 1, b: 1 }).key);
});

test('custom nodes: auxData is part of the structure, compared by value for plain data', () => {
  class Box { constructor(readonly items: unknown[], readonly meta: unknown) {} }
  tree.registerNode(Box, (b) => [b.items, b.meta], (meta, items) => new Box(items, meta));
  const s = (meta: unknown) => tree.structure(new Box([1], meta));
  assert.ok(s({ lr: 0.1, names: ['a', 'b'] }).equals(s({ names: ['a', 'b'], lr: 0.1 })));
  assert.ok(!s({ lr: 0.1 }).equals(s({ lr: 0.2 })));
  assert.ok(!s(1).equals(s('1')));
  const f = () => 0;
  assert.ok(s(f).equals(s(f)));
  assert.ok(!s(f).equals(s(() => 0)), 'functions compare by identity');
  assert.equal(s({ lr: 0.5 }).toString(), "PyTreeDef(CustomNode(Box[{'lr': 0.5}], [*]))");
  assert.equal(s('adam').toString(), 'PyTreeDef(CustomNode(Box[adam], [*]))');
  assert.equal(s(null).toString(), 'PyTreeDef(CustomNode(Box[None], [*]))');
  // A class of the same name registered separately is a different node type.
  const Other = (() => class Box { constructor(readonly items: unknown[]) {} })();
  tree.registerNode(Other, (b) => [b.items, null], (_m, items) => new Other(items));
  assert.ok(!tree.structure(new Other([1])).equals(s(null)));
  assert.equal(tree.structure(new Other([1])).toString(), s(null).toString());
});

test('treedef.compose and isLeaf', () => {
  const outer = tree.structure([0, { a: 0 }]);
  const inner = tree.structure({ x: 0, y: null });
  assert.equal(outer.compose(inner).toString(), "PyTreeDef([{'x': *, 'y': None}, {'a': {'x': *, 'y': None}}])");
  assert.equal(outer.compose(inner).numLeaves, 2);
  assert.ok(tree.structure(5).isLeaf);
  assert.ok(!tree.structure(null).isLeaf);
  assert.equal(tree.structure(null).numLeaves, 0);
  assert.equal(tree.structure(null).numNodes, 1);
});

test('DESIGN example 3: one value per leaf (count leaves → make N → unflatten) with np arrays', async () => {
  const params = {
    layers: [{ w: np.zeros([3, 2]), b: np.zeros([2]) }, { w: np.zeros([2, 1]), b: np.zeros([1]) }],
    scale: np.ones([]),
    frozen: null,
  };
  const [leaves, treedef] = tree.flatten(params);
  const n = tree.leaves(params).length;
  assert.equal(n, 5);
  assert.equal(treedef.numLeaves, n);
  // Stand-in for random.split(key, n) + one draw per key: leaf i is filled with i + 1.
  const newLeaves = leaves.map((x: { shape: number[] }, i: number) => np.full(x.shape, i + 1));
  const init = tree.unflatten(treedef, newLeaves);
  assert.ok(tree.structure(init).equals(treedef));
  const byPath = await Promise.all(tree.leavesWithPath(init).map(async ([p, x]) =>
    [tree.keystr(p), (x as { shape: number[] }).shape, Array.from(await (x as { data(): Promise<ArrayLike<number>> }).data())] as const));
  assert.deepEqual(byPath, [
    ["['layers'][0]['b']", [2], [1, 1]],
    ["['layers'][0]['w']", [3, 2], [2, 2, 2, 2, 2, 2]],
    ["['layers'][1]['b']", [1], [3]],
    ["['layers'][1]['w']", [2, 1], [4, 4]],
    ["['scale']", [], [5]],
  ]);
  assert.equal(init.frozen, null);
  // The same pattern through tree.map over two trees (params and per-leaf values).
  const scaled = tree.map((p: { shape: number[] }, k: number) => np.full(p.shape, k * 10), params, tree.unflatten(treedef, [1, 2, 3, 4, 5]));
  assert.deepEqual(await encode(tree.leaves(scaled)), [
    { $array: [10, 10] }, { $array: [20, 20, 20, 20, 20, 20] }, { $array: [30] }, { $array: [40, 40] }, { $array: [50] },
  ] as Json[]);
});
