// The pytree golden file (test/golden/tree/tree.json, written by test/golden/tree/generate.py with
// real JAX) and the JSON tree encoding it uses, decoded into Tracelens values: the same custom node
// classes V and Point are registered here as the generator registers them in JAX.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { numpy as np, tree, Array as TArray } from '../../engine/index.js';

export type Json = null | number | string | boolean | Json[] | { [k: string]: Json };
export type Outcome = { value: Json } | { error: string; jax: string; js: string };

export interface StructureCase {
  name: string; tree: Json; is_leaf: IsLeafName;
  treedef: string; leaves: Json[]; num_leaves: number; num_nodes: number; children: string[];
  paths: [string, string | number][][]; keystr: string[]; keystr_simple: string[];
}
export interface PrefixCase {
  name: string; prefix: Json; full: Json;
  flatten_up_to: Outcome; map: Outcome; map_with_path: Outcome; broadcast: Outcome;
}
export interface MapCase { name: string; trees: Json[]; is_leaf: IsLeafName; map: Outcome; map_with_path: Outcome }
export interface UnflattenCase { name: string; tree: Json; n: number; result: Outcome }
export interface TransposeCase { name: string; outer: Json; inner: Json | null; tree: Json; result: Outcome }
export interface KeystrCase {
  name: string; path: [string, string | number][]; keystr: string; simple: string;
  entries_str: string[]; entries_repr: string[];
}
export interface TreeGolden {
  jax_version: string;
  structures: StructureCase[]; prefixes: PrefixCase[]; maps: MapCase[]; unflattens: UnflattenCase[];
  transposes: TransposeCase[]; keystrs: KeystrCase[]; sorted_keys: string[];
}

export const golden = JSON.parse(readFileSync(new URL('../golden/tree/tree.json', import.meta.url), 'utf8')) as TreeGolden;

export type IsLeafName = null | 'none' | 'short_list';
export const IS_LEAF: Record<string, ((x: unknown) => boolean) | undefined> = {
  none: (x) => x === null,
  short_list: (x) => Array.isArray(x) && x.length <= 1,
};
export const isLeafOf = (name: IsLeafName) => (name === null ? undefined : IS_LEAF[name]);

/** Python's repr of the JSON values used as children and aux here (ints, floats, strings, lists, dicts). */
export function pyRepr(x: unknown): string {
  if (typeof x === 'string') return `'${x.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/'/g, "\\'")}'`;
  if (x === null) return 'None';
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(', ')}]`;
  if (typeof x === 'object') return `{${Object.entries(x).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return String(x);
}

/** A node registered with flatten/unflatten only: key paths show FlattenedIndexKey. */
export class V {
  constructor(readonly ch: unknown[], readonly aux: unknown) {}
  toString(): string { return `V(${pyRepr(this.ch)}, ${pyRepr(this.aux)})`; }
}
tree.registerNode(V, (v) => [v.ch, v.aux], (aux, ch) => new V(ch, aux));

/** A node registered with keys: key paths show `.x` / `.y`. */
export class Point {
  constructor(readonly x: unknown, readonly y: unknown) {}
  toString(): string { return `Point(${pyRepr(this.x)}, ${pyRepr(this.y)})`; }
}
tree.registerNodeWithKeys(
  Point,
  (p) => [[[new tree.GetAttrKey('x'), p.x], [new tree.GetAttrKey('y'), p.y]], null],
  (_aux, [x, y]) => new Point(x, y),
);

export function decode(j: Json): unknown {
  if (Array.isArray(j)) return j.map(decode);
  if (j !== null && typeof j === 'object') {
    if ('$node' in j) {
      if (j.$node === 'V') return new V((j.children as Json[]).map(decode), j.aux);
      if (j.$node === 'Point') return new Point(decode(j.x), decode(j.y));
      throw new Error(`unknown node ${String(j.$node)}`);
    }
    if ('$array' in j) return np.array(j.$array as number[], { dtype: 'float32' });
    return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, decode(v)]));
  }
  return j;
}

/** A Tracelens value back to the JSON encoding (arrays read back). */
export async function encode(x: unknown): Promise<Json> {
  if (x instanceof V) return { $node: 'V', children: await Promise.all(x.ch.map(encode)), aux: x.aux as Json };
  if (x instanceof Point) return { $node: 'Point', x: await encode(x.x), y: await encode(x.y) };
  if (x instanceof TArray) return { $array: Array.from(await x.data()) };
  if (Array.isArray(x)) return Promise.all(x.map(encode));
  if (x !== null && typeof x === 'object') {
    const entries = await Promise.all(Object.entries(x).map(async ([k, v]) => [k, await encode(v)] as const));
    return Object.fromEntries(entries);
  }
  return x as Json;
}

/** Runs fn and describes its outcome as the golden file does. */
export async function outcome(fn: () => unknown): Promise<{ value: Json } | { error: string; message: string }> {
  let out: unknown;
  try {
    out = fn();
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    return { error: e.name, message: e.message };
  }
  return { value: await encode(out) };
}

/** Asserts that `actual` (from outcome) is the golden outcome: the same value, or the same error type and JS message. */
export function check(actual: Awaited<ReturnType<typeof outcome>>, expected: Outcome, what: string): void {
  if ('value' in expected) {
    assert.ok('value' in actual, `${what}: JAX succeeds, Tracelens threw: ${'message' in actual ? actual.message : ''}`);
    assert.deepEqual(actual.value, expected.value, what);
  } else {
    assert.ok('error' in actual, `${what}: JAX raises ${expected.error}: ${expected.jax}\nbut Tracelens returned ${JSON.stringify('value' in actual ? actual.value : null)}`);
    assert.equal(actual.error, expected.error, `${what}: error type`);
    assert.equal(actual.message, expected.js, `${what}: message`);
  }
}
