// Key paths: where a leaf sits in a pytree, one entry per node on the way down (JAX's DictKey,
// SequenceKey, GetAttrKey, FlattenedIndexKey), printed exactly as JAX prints them.

import { formatValue, pyStrRepr } from './format.js';

const inspect = Symbol.for('nodejs.util.inspect.custom');

/** A dict entry (plain-object property): prints `['name']`. */
export class DictKey {
  constructor(readonly key: string | number) {}
  toString(): string { return `[${keyRepr(this.key)}]`; }
  [inspect](): string { return `DictKey(key=${keyRepr(this.key)})`; }
}

/** A list (JS array) element: prints `[0]`. */
export class SequenceKey {
  constructor(readonly idx: number) {}
  toString(): string { return `[${this.idx}]`; }
  [inspect](): string { return `SequenceKey(idx=${this.idx})`; }
}

/** An attribute of a custom node: prints `.name`. */
export class GetAttrKey {
  constructor(readonly name: string) {}
  toString(): string { return `.${this.name}`; }
  [inspect](): string { return `GetAttrKey(name=${pyStrRepr(this.name)})`; }
}

/** The i-th child of a custom node registered without keys: prints `[<flat index 0>]`. */
export class FlattenedIndexKey {
  constructor(readonly key: number) {}
  toString(): string { return `[<flat index ${this.key}>]`; }
  [inspect](): string { return `FlattenedIndexKey(key=${this.key})`; }
}

export type KeyEntry = DictKey | SequenceKey | GetAttrKey | FlattenedIndexKey;
export type KeyPath = readonly KeyEntry[];

const keyRepr = (k: unknown): string => (typeof k === 'string' ? pyStrRepr(k) : formatValue(k));

/** The entry's own value, as `keystr(path, {simple: true})` prints it. */
export function keyValue(k: KeyEntry): string | number {
  if (k instanceof DictKey) return k.key;
  if (k instanceof SequenceKey) return k.idx;
  if (k instanceof GetAttrKey) return k.name;
  return k.key;
}

export interface KeystrOptions {
  /** Print each entry as its bare key (`foo/0`), which is shorter but ambiguous. */
  simple?: boolean;
  /** Put between entries; '' by default. */
  separator?: string;
}

/** Prints a key path as JAX's `keystr` does: `['params'][0].w`. */
export function keystr(path: KeyPath, opts: KeystrOptions = {}): string {
  const str = opts.simple ? (k: KeyEntry) => String(keyValue(k)) : (k: KeyEntry) => String(k);
  return path.map(str).join(opts.separator ?? '');
}
