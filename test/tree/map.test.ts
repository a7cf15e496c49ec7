// tree.map / mapWithPath over two and three trees against JAX (the first tree a prefix of the
// others, isLeaf, custom nodes), and the other functions over leaves: all, reduce,
// reduceAssociative, broadcast, transpose, with arrays as leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tree, numpy as np } from '../../engine/index.js';
import { check, decode, encode, golden, isLeafOf, outcome } from './golden.js';

for (const c of golden.maps) {
  test(`map › ${c.name}`, async () => {
    const trees = c.trees.map(decode);
    const isLeaf = isLeafOf(c.is_leaf);
    const [first, ...rest] = trees;
    check(await outcome(() => tree.map((...xs: unknown[]) => xs, first, ...rest, { isLeaf })), c.map, 'tree.map');
    check(await outcome(() => tree.mapWithPath((p: tree.KeyPath, ...xs: unknown[]) => [tree.keystr(p), ...xs], first, ...rest, { isLeaf })),
      c.map_with_path, 'tree.mapWithPath');
    if (isLeaf === undefined) {
      // Without options, the last tree is a tree, not options.
      check(await outcome(() => tree.map((...xs: unknown[]) => xs, first, ...rest)), c.map, 'tree.map without options');
    }
  });
}

test('map over arrays: f sees the leaves of every tree in order', async () => {
  const params = { w: np.array([1, 2, 3], { dtype: 'float32' }), b: [np.array([0.5], { dtype: 'float32' })] };
  const grads = { w: np.array([0.5, 0.5, 0.5], { dtype: 'float32' }), b: [np.array([1], { dtype: 'float32' })] };
  const momentum = { w: np.zeros([3]), b: [np.zeros([1])] };
  const updated = tree.map((p: any, g: any, m: any) => p.sub(g.mul(0.1)).add(m), params, grads, momentum);
  assert.deepEqual(await encode(updated), { b: [{ $array: [0.4000000059604645] }], w: { $array: [0.949999988079071, 1.9500000476837158, 2.950000047683716] } });
  const names = tree.mapWithPath((p: tree.KeyPath, x: { shape: number[] }) => `${tree.keystr(p)}:${x.shape}`, params);
  assert.deepEqual(names, { w: "['w']:3", b: ["['b'][0]:1"] });
});

test('map calls f once per leaf, in leaf order, and keeps the first tree\'s structure', () => {
  const calls: unknown[] = [];
  const out = tree.map((x: number, y: unknown) => { calls.push([x, y]); return x * 2; }, { b: 1, a: [2, null] }, { a: [{ deep: 1 }, null], b: 'z' });
  assert.deepEqual(calls, [[2, { deep: 1 }], [1, 'z']]);
  assert.deepEqual(out, { a: [4, null], b: 2 });
});

test('a trailing options object is told apart from a trailing dict tree', () => {
  // {isLeaf} after the trees is options; a dict tree with other keys (or leaves that are not
  // functions) is a tree.
  assert.deepEqual(tree.map((x: unknown, y: unknown) => [x, y], { isLeaf: 1 }, { isLeaf: 2 }), { isLeaf: [1, 2] });
  assert.deepEqual(tree.map((x: unknown) => x, [null, 1], { isLeaf: (x: unknown) => x === null }), [null, 1]);
  assert.deepEqual(tree.map((x: unknown, y: unknown) => [x, y], {}, {}), {});
  // A dict tree that looks exactly like options: pass explicit options after it.
  const f = () => 1;
  assert.deepEqual(tree.map((x: unknown, y: unknown) => [x === f, y === f], { isLeaf: f }, { isLeaf: f }, { isLeaf: undefined }),
    { isLeaf: [true, true] });
});

test('isLeaf applies to the first tree only; the others give whole subtrees', () => {
  const out = tree.map((a: unknown, b: unknown) => [a, b], [[1, 2], 3], [[4, 5], { x: 6 }], { isLeaf: (x: unknown) => Array.isArray(x) && x.length === 2 && x[0] === 1 });
  assert.deepEqual(out, [[[1, 2], [4, 5]], [3, { x: 6 }]]);
});

test('all', () => {
  assert.equal(tree.all([1, true, [3, 'x']]), true);
  assert.equal(tree.all([1, 0]), false);
  assert.equal(tree.all([]), true);
  assert.equal(tree.all([null]), true);
  assert.equal(tree.all([null], { isLeaf: (x) => x === null }), false);
  assert.throws(() => tree.all({ w: np.ones([3]) }), { name: 'TypeError', message: /f32\[3\][^]*np\.all/ });
});

test('reduce and reduceAssociative', () => {
  assert.equal(tree.reduce((a: number, b: number) => a + b, [1, 2, [3]]), 6);
  assert.equal(tree.reduce((a: number, b: number) => a + b, [1, 2, [3]], 10), 16);
  assert.equal(tree.reduce((a: string, b: string) => a + b, { b: 'y', a: 'x' }, ''), 'xy');
  assert.deepEqual(tree.reduce((acc: unknown[], x: unknown) => [...acc, x], [[1], null], [] as unknown[], { isLeaf: (x) => x === null }), [1, null]);
  // Balanced pairing: ((1 2) (3 (4 5))), as JAX's _parallel_reduce splits at len // 2.
  assert.equal(tree.reduceAssociative((a: string, b: string) => `(${a} ${b})`, ['1', '2', '3', '4', '5']), '((1 2) (3 (4 5)))');
  assert.equal(tree.reduceAssociative((a: number, b: number) => a + b, [], { identity: 0 }), 0);
  assert.equal(tree.reduceAssociative((a: number, b: number) => a + b, [7]), 7);
});

test('broadcast and broadcastPrefix (how vmap inAxes reach every leaf)', () => {
  const args = [{ x: np.zeros([3]), y: [1, 2] }, np.zeros([2])];
  assert.deepEqual(tree.broadcastPrefix([0, null], args, { isLeaf: (x) => x === null }), [0, 0, 0, null]);
  assert.deepEqual(tree.broadcast([0, 1], [[5, [6]], { a: 7 }]), [[0, [0]], { a: 1 }]);
  // Without isLeaf, None is a node with no children and must meet a None.
  assert.throws(() => tree.broadcast([1, null], [[1, 2], { a: 3 }]),
    { name: 'ValueError', message: /^pytree structure error: different types at key path\n {4}tree\.broadcast prefixTree\[1\]\n/ });
  assert.deepEqual(tree.broadcast([1, null], [[1, 2], { a: 3 }], { isLeaf: (x) => x === null }), [[1, 1], { a: null }]);
});

test('transpose a list of param dicts into a dict of lists', () => {
  const outer = tree.structure([0, 0, 0]);
  const inner = tree.structure({ w: 0, b: 0 });
  const batch = [{ w: 1, b: 2 }, { w: 3, b: 4 }, { w: 5, b: 6 }];
  assert.deepEqual(tree.transpose(outer, inner, batch), { b: [2, 4, 6], w: [1, 3, 5] });
  assert.deepEqual(tree.transpose(inner, outer, tree.transpose(outer, inner, batch)), batch);
});

test('prefixErrors lists nothing for a prefix and words errors with the caller\'s name', () => {
  assert.deepEqual(tree.prefixErrors([0, { a: null }], [[1, 2], { a: null }]), []);
  const [err] = tree.prefixErrors({ a: 0 }, { b: 1 });
  assert.match(err('vmap in_axes').message, /^pytree structure error: different pytree metadata at key path\n {4}vmap in_axes\n/);
});
