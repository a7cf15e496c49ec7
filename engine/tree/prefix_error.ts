// Why a tree is not a prefix of another, in JAX's words (jax._src.tree_util._prefix_error): the key
// path of the first disagreement and what differs there (node type, list length, number of
// children, metadata). Each error is a function of the name to call the prefix tree by
// (`tree.map tree`), so callers word it for their own argument.

import { classNameOf, formatStr, pyStrRepr, typeName } from './format.js';
import { ValueError } from './errors.js';
import { keystr, keyValue, type KeyEntry, type KeyPath } from './keys.js';
import { ndiff, indent, splitlines } from './ndiff.js';
import { kindOf, openNode, type OpenedNode } from './registry.js';
import { staticKey } from './static_key.js';

export type PrefixError = (name: string) => ValueError;

/** Every disagreement between `prefix` and `full` that stops `prefix` from being a prefix of `full`
 * (JAX's `prefix_errors`); empty when it is one. */
export function prefixErrors(prefix: unknown, full: unknown, opts: { isLeaf?: ((x: any) => boolean) | null } = {}): PrefixError[] {
  return [...walk([], prefix, full, opts.isLeaf ?? null)];
}

/** The identity of a value's type: the node kind, the class for objects, typeof for the rest. */
function typeIdentity(x: unknown): unknown {
  if (x === null || x === undefined || typeof x !== 'object') return x === null ? 'None' : typeof x;
  return Object.getPrototypeOf(x);
}

function* walk(path: KeyPath, prefix: unknown, full: unknown, isLeaf: ((x: unknown) => boolean) | null): Generator<PrefixError> {
  // A leaf is a prefix of any tree.
  if ((isLeaf && isLeaf(prefix)) || kindOf(prefix) === 'leaf') return;
  const at = keystr(path);

  if (typeIdentity(prefix) !== typeIdentity(full)) {
    yield (name) => new ValueError(
      'pytree structure error: different types at key path\n' +
      `    ${name}${at}\n` +
      `At that key path, the prefix pytree ${name} has a subtree of type\n` +
      `    ${typeName(prefix)}\n` +
      'but at the same key path the full pytree has a subtree of different type\n' +
      `    ${typeName(full)}.`);
    return;
  }

  const kind = kindOf(prefix) as Exclude<ReturnType<typeof kindOf>, 'leaf'>;
  const p = openNode(prefix, kind, true);
  const f = openNode(full, kind, true);
  const pKeys = p.keys();
  const fKeys = f.keys();
  const type = kind === 'custom' ? classNameOf(Object.getPrototypeOf(prefix) as object) : typeName(prefix);

  if (kind === 'list') {
    if (p.children.length !== f.children.length) {
      yield (name) => new ValueError(
        'pytree structure error: different lengths of list at key path\n' +
        `    ${name}${at}\n` +
        `At that key path, the prefix pytree ${name} has a subtree of type list of length ${p.children.length}, ` +
        `but the full pytree has a subtree of the same type but of length ${f.children.length}.`);
      return;
    }
  } else if (p.children.length !== f.children.length) {
    const shown = (ks: KeyEntry[]) => ks.map((k) => String(keyValue(k))).join(' ');
    const fNames = new Set(fKeys.map(String));
    const pNames = new Set(pKeys.map(String));
    const diff = [...pKeys.filter((k) => !fNames.has(String(k))), ...fKeys.filter((k) => !pNames.has(String(k)))];
    yield (name) => new ValueError(
      'pytree structure error: different numbers of pytree children at key path\n' +
      `    ${name}${at}\n` +
      `At that key path, the prefix pytree ${name} has a subtree of type\n` +
      `    ${type}\n` +
      `with ${p.children.length} child keys\n` +
      `    ${shown(pKeys)}\n` +
      'but at the same key path the full pytree has a subtree of the same type but with ' +
      `${f.children.length} child keys\n` +
      `    ${shown(fKeys)}\n` +
      'so the symmetric difference on key sets is\n' +
      `    ${shown(diff)}`);
    return;
  }

  if (!sameMeta(p, f)) {
    const pMeta = metaStr(p);
    const fMeta = metaStr(f);
    const diff = indent(ndiff(splitlines(pMeta), splitlines(fMeta)).join('\n'), '    ');
    yield (name) => new ValueError(
      'pytree structure error: different pytree metadata at key path\n' +
      `    ${name}${at}\n` +
      `At that key path, the prefix pytree ${name} has a subtree of type\n` +
      `    ${type}\n` +
      'with metadata\n' +
      `    ${pMeta}\n` +
      'but at the same key path the full pytree has a subtree of the same type but with metadata\n' +
      `    ${fMeta}\n` +
      'so the diff in the metadata at these pytree nodes is\n' +
      diff);
    return;
  }

  // Same type, children and metadata at the root: the disagreement is further down.
  for (let i = 0; i < p.children.length; i++) {
    yield* walk([...path, pKeys[i]], p.children[i], f.children[i], isLeaf);
  }
}

function sameMeta(p: OpenedNode, f: OpenedNode): boolean {
  if (p.kind === 'dict') {
    const a = p.meta as string[], b = f.meta as string[];
    return a.length === b.length && a.every((k, i) => k === b[i]);
  }
  return p.kind !== 'custom' || staticKey(p.meta) === staticKey(f.meta);
}

/** As JAX prints metadata: a dict's as the Python tuple of its sorted keys, a custom node's auxData with `str`. */
function metaStr(n: OpenedNode): string {
  if (n.kind === 'dict') {
    const keys = n.meta as string[];
    return keys.length === 1 ? `(${pyStrRepr(keys[0])},)` : `(${keys.map(pyStrRepr).join(', ')})`;
  }
  return formatStr(n.meta);
}
