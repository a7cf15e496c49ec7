// PyTreeDef: the structure of a pytree with its leaves taken out. Immutable; `key` is a string that
// is equal exactly when two structures are equal, so caches (jit's) can key on it.

import { formatStr, formatValue, pyStrRepr } from './format.js';
import { ValueError } from './errors.js';
import { kindOf, nodeTypeOf, openNode, sortedKeys, type NodeKind, type NodeType } from './registry.js';
import { staticKey } from './static_key.js';

/** The hint JAX appends when a None in a prefix meets something else. */
const NONE_PREFIX_HINT = 'In previous releases of JAX, flatten-up-to used to consider None to be a tree-prefix of ' +
  'non-None values. To obtain the previous behavior, you can usually write:\n' +
  '  tree.map((x, y) => (x === null ? null : f(x, y)), a, b, {isLeaf: (x) => x === null})';

export class PyTreeDef {
  /** The structure of a single leaf, `PyTreeDef(*)`. */
  static readonly LEAF = new PyTreeDef('leaf', [], null, null, null);
  /** The structure of `null`, `PyTreeDef(None)`. */
  static readonly NONE = new PyTreeDef('none', [], null, null, null);
  /** The structure of `undefined`, `PyTreeDef(undefined)`. */
  static readonly UNDEFINED = new PyTreeDef('undefined', [], null, null, null);

  readonly numLeaves: number;
  readonly numNodes: number;
  #key: string | null = null;

  /** @internal Treedefs come from `tree.flatten`/`tree.structure`. */
  constructor(
    readonly kind: NodeKind,
    private readonly childDefs: readonly PyTreeDef[],
    /** dict: the keys, sorted as JAX sorts them. */
    readonly dictKeys: readonly string[] | null,
    /** custom: the registered class. */
    readonly nodeType: NodeType | null,
    /** custom: the auxData its flatten returned. */
    readonly auxData: unknown,
  ) {
    let leaves = kind === 'leaf' ? 1 : 0;
    let nodes = 1;
    for (const c of childDefs) { leaves += c.numLeaves; nodes += c.numNodes; }
    this.numLeaves = leaves;
    this.numNodes = nodes;
  }

  /** True for the structure of a single leaf (`PyTreeDef(*)`); false for None, which has no leaf. */
  get isLeaf(): boolean { return this.kind === 'leaf'; }

  /** The structures of the root's children. */
  children(): PyTreeDef[] { return [...this.childDefs]; }

  /** A string equal for equal structures only (custom auxData compared as `staticKey` says). */
  get key(): string {
    if (this.#key === null) this.#key = this.computeKey();
    return this.#key;
  }

  private computeKey(): string {
    const parts: string[] = [];
    this.appendKey(parts);
    return parts.join('');
  }

  /** One pass over the structure: memoizing every subtree's key would cost a string per node. */
  private appendKey(parts: string[]): void {
    switch (this.kind) {
      case 'leaf': parts.push('*'); return;
      case 'none': parts.push('N'); return;
      case 'undefined': parts.push('U'); return;
      case 'list': parts.push('['); break;
      case 'dict': parts.push('{'); break;
      case 'custom': parts.push(`C${this.nodeType!.id}(${staticKey(this.auxData)})[`); break;
    }
    const keys = this.dictKeys;
    this.childDefs.forEach((c, i) => {
      if (i > 0) parts.push(',');
      if (keys) parts.push(quoteKey(keys[i]), ':');
      if (c.#key !== null) parts.push(c.#key);
      else c.appendKey(parts);
    });
    parts.push(this.kind === 'dict' ? '}' : ']');
  }

  equals(other: PyTreeDef): boolean {
    return this === other || (other instanceof PyTreeDef && this.numNodes === other.numNodes && this.key === other.key);
  }

  /** Rebuilds a tree of this structure from its leaves, in `flatten`'s order. */
  unflatten(leaves: Iterable<unknown>): any {
    const xs = globalThis.Array.isArray(leaves) ? leaves : globalThis.Array.from(leaves);
    if (xs.length < this.numLeaves) {
      throw new ValueError(`Too few leaves for PyTreeDef; expected ${this.numLeaves}, got ${xs.length}`);
    }
    if (xs.length > this.numLeaves) throw new ValueError(`Too many leaves for PyTreeDef; expected ${this.numLeaves}.`);
    const cursor = { i: 0 };
    return this.build(xs, cursor);
  }

  private build(leaves: readonly unknown[], cursor: { i: number }): unknown {
    switch (this.kind) {
      case 'leaf': return leaves[cursor.i++];
      case 'none': return null;
      case 'undefined': return undefined;
      case 'list': return this.childDefs.map((c) => c.build(leaves, cursor));
      case 'dict': return Object.fromEntries(this.dictKeys!.map((k, i) => [k, this.childDefs[i].build(leaves, cursor)]));
      case 'custom': return this.nodeType!.unflatten(this.auxData, this.childDefs.map((c) => c.build(leaves, cursor)));
    }
  }

  /**
   * Flattens `tree` only as deep as this structure goes: the subtree at each of this structure's
   * leaves is returned whole (JAX's `flatten_up_to`, used to match a prefix tree such as vmap's
   * inAxes against arguments). Throws JAX's errors where `tree` does not have this structure.
   */
  flattenUpTo(tree: unknown): unknown[] {
    const out: unknown[] = [];
    this.upTo(tree, out);
    return out;
  }

  private upTo(x: unknown, out: unknown[]): void {
    switch (this.kind) {
      case 'leaf':
        out.push(x);
        return;
      case 'none':
        if (x !== null) throw new ValueError(`Expected None, got ${formatValue(x)}.\n\n${NONE_PREFIX_HINT}`);
        return;
      case 'undefined':
        if (x !== undefined) throw new ValueError(`Expected undefined, got ${formatValue(x)}.`);
        return;
      case 'list': {
        if (kindOf(x) !== 'list') throw new ValueError(`Expected list, got ${formatValue(x)}.`);
        const xs = x as unknown[];
        if (xs.length !== this.childDefs.length) {
          throw new ValueError(`List arity mismatch: ${xs.length} != ${this.childDefs.length}; list: ${formatValue(x)}.`);
        }
        this.childDefs.forEach((c, i) => c.upTo(xs[i], out));
        return;
      }
      case 'dict': {
        if (kindOf(x) !== 'dict') throw new ValueError(`Expected dict, got ${formatValue(x)}.`);
        const keys = sortedKeys(x as object);
        const expected = this.dictKeys!;
        if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) {
          throw new ValueError(`Dict key mismatch; expected keys: ${pyList(expected)}; present keys: ${pyList(keys)}.`);
        }
        this.childDefs.forEach((c, i) => c.upTo((x as Record<string, unknown>)[expected[i]], out));
        return;
      }
      case 'custom': {
        const nodeType = this.nodeType!;
        if (typeof x !== 'object' || x === null || nodeTypeOf(x) !== nodeType) {
          throw new ValueError(`Custom node type mismatch: expected type: ${nodeType.name}, value: ${formatValue(x)}.`);
        }
        const node = openNode(x, 'custom');
        if (staticKey(node.meta) !== staticKey(this.auxData)) {
          throw new ValueError(`Mismatch custom node data: ${formatValue(this.auxData)} != ${formatValue(node.meta)}; value: ${formatValue(x)}.`);
        }
        if (node.children.length !== this.childDefs.length) {
          throw new ValueError(`Custom type arity mismatch: ${node.children.length} != ${this.childDefs.length}; value: ${formatValue(x)}.`);
        }
        this.childDefs.forEach((c, i) => c.upTo(node.children[i], out));
        return;
      }
    }
  }

  /** This structure with every leaf replaced by `inner` (JAX's `treedef.compose`). */
  compose(inner: PyTreeDef): PyTreeDef {
    if (this.kind === 'leaf') return inner;
    if (this.childDefs.length === 0) return this;
    return new PyTreeDef(this.kind, this.childDefs.map((c) => c.compose(inner)), this.dictKeys, this.nodeType, this.auxData);
  }

  /** Like JAX: `PyTreeDef({'a': *, 'b': [*, None]})`. */
  toString(): string { return `PyTreeDef(${this.body()})`; }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  private body(): string {
    const ch = () => this.childDefs.map((c) => c.body()).join(', ');
    switch (this.kind) {
      case 'leaf': return '*';
      case 'none': return 'None';
      case 'undefined': return 'undefined';
      case 'list': return `[${ch()}]`;
      case 'dict': return `{${this.dictKeys!.map((k, i) => `${pyStrRepr(k)}: ${this.childDefs[i].body()}`).join(', ')}}`;
      case 'custom': {
        // null is how JS spells "no auxData", as None is in Python: print it as JAX prints None.
        const aux = this.auxData === null ? 'None' : formatStr(this.auxData);
        return `CustomNode(${this.nodeType!.name}[${aux}], [${ch()}])`;
      }
    }
  }
}

/** JSON quoting, skipped for the common keys that need no escapes. */
const quoteKey = (k: string): string => (/^[\w$.-]*$/.test(k) ? `"${k}"` : JSON.stringify(k));

const pyList = (keys: readonly string[]): string => `[${keys.map(pyStrRepr).join(', ')}]`;
