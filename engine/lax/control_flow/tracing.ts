// Tracing the user's branch and body functions: pytrees of arguments in, pytrees of results out,
// flat jaxprs in between, and the errors JAX raises when the results of two functions (or the carry
// of a loop before and after its body) do not agree in structure or type.

import { Array } from '../../core/array.js';
import { ArrayBase } from '../../core/array_base.js';
import type { ShapedArray } from '../../core/aval.js';
import { type DType, promoteTypes, scalarType } from '../../core/dtype.js';
import type { ClosedJaxpr } from '../../core/jaxpr.js';
import { type DebugInfo, hostScalar, traceToJaxpr } from '../../interpreters/partial_eval.js';
import { flatten, flattenWithPath } from '../../tree/flatten.js';
import { formatValue, pyStrRepr } from '../../tree/format.js';
import { DictKey, type KeyEntry, type KeyPath, SequenceKey, keystr } from '../../tree/keys.js';
import type { PyTreeDef } from '../../tree/treedef.js';
import { scalarConstant } from '../constants.js';
import { convertElementType } from '../index.js';
import { typematch } from './jaxpr_utils.js';

/** A user function given to a control-flow primitive. */
export type UserFn = (...args: any[]) => unknown;

/**
 * The type of a pytree once its leaves are arrays: what a branch or loop body receives for its
 * operands or carry (JS numbers arrive as weakly typed scalar arrays) and what the primitive returns.
 */
export type AsArrays<T> = T extends number | boolean | ArrayBase ? Array
  : T extends null | undefined ? T
  : { -readonly [K in keyof T]: AsArrays<T[K]> };

/** The name JAX shows for a function: its own, or `<lambda>` for an anonymous one. */
export function funName(f: UserFn): string {
  return f.name || '<lambda>';
}

/**
 * The name of a function's first parameter, as `inspect.signature` gives JAX (`c` in `(c) => …`);
 * null when it is destructured, a rest parameter, or the source cannot be read.
 */
export function firstParamName(f: UserFn): string | null {
  let src: string;
  try { src = Function.prototype.toString.call(f); } catch { return null; }
  const arrowOne = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrowOne) return arrowOne[1];
  const open = src.indexOf('(');
  if (open < 0) return null;
  let depth = 0;
  let end = open + 1;
  for (; end < src.length; end++) {
    const ch = src[end];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) { if (depth === 0) break; depth--; }
    else if (ch === ',' && depth === 0) break;
  }
  const first = src.slice(open + 1, end).split('=')[0].trim();
  return /^[A-Za-z_$][\w$]*$/.test(first) ? first : null;
}

/**
 * A leaf of an argument or result pytree as an array: arrays and tracers as they are, JS numbers
 * and booleans as JAX takes Python scalars (weakly typed int32/float32 scalars; booleans bool).
 */
export function leafToArray(x: unknown, where: string): ArrayBase {
  if (x instanceof ArrayBase) return x;
  if (typeof x === 'number' || typeof x === 'boolean') {
    const t = scalarType(x);
    return scalarConstant(x, t.dtype, t.weakType);
  }
  throw new TypeError(`Value ${formatValue(x)} of type ${typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x} ` +
    `is not a valid JAX type (in ${where}): pytree leaves must be arrays or JS numbers/booleans.`);
}

/** Flattens a pytree of arguments into arrays. */
export function flattenArgs(tree: unknown, where: string): [ArrayBase[], PyTreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => leafToArray(l, where)), def];
}

/** A traced function: its jaxpr (with its consts still closed over) and the structure of its result. */
export interface TracedFun {
  jaxpr: ClosedJaxpr;
  outTree: PyTreeDef;
}

/**
 * Traces `fn` called as `fn(...inTree.unflatten(args))`, where `inTree` is the structure of the
 * list of its arguments, with abstract arguments of `inAvals`.
 */
export function traceFun(fn: UserFn, inTree: PyTreeDef, inAvals: readonly ShapedArray[], tracedFor: string): TracedFun {
  let outTree: PyTreeDef | null = null;
  const debugInfo: DebugInfo = { funcName: funName(fn), tracedFor, argNames: null };
  const jaxpr = traceToJaxpr((...flat: ArrayBase[]) => {
    const args = inTree.unflatten(flat) as unknown[];
    const out = fn(...args);
    const [leaves, def] = flatten(out);
    outTree = def;
    return leaves.map((l) => leafToArray(l, `the output of ${funName(fn)}`));
  }, inAvals, { debugInfo });
  return { jaxpr, outTree: outTree! };
}

/**
 * JAX's `_promote_weak_typed_input`: a weakly typed initial carry (a JS number) whose type the body
 * changes is converted to the body's type up front, so the loop types check.
 */
export function promoteWeakTypedInput(x: ArrayBase, out: ShapedArray): [ArrayBase, boolean] {
  if (!x.aval.weakType || typematch(x.aval, out)) return [x, false];
  const dtype = resultType(x.aval, out);
  const known = hostScalar(x);
  // A JS scalar converts on the host, as JAX converts a Python scalar: it stays a literal.
  if (known !== null && x instanceof Array) return [scalarConstant(known, dtype, false), true];
  return [convertElementType(x, dtype), true];
}

/** `dtypes.result_type` of a weakly typed value and an output type. */
function resultType(weak: ShapedArray, out: ShapedArray): DType {
  return promoteTypes({ dtype: weak.dtype, weakType: true }, { dtype: out.dtype, weakType: out.weakType }).dtype;
}

// ---- structure and type errors ------------------------------------------------------------------

/** JAX's `str_short(short_dtypes=False)`: `float32[3]`. */
export const avalLong = (a: ShapedArray): string => `${a.dtype}[${a.shape.join(',')}]`;

/** JAX's `core.aval_mismatch_extra`: `, so the dtypes do not match`. */
function avalMismatchExtra(a: ShapedArray, b: ShapedArray): string {
  const ms: string[] = [];
  if (a.dtype !== b.dtype) ms.push('the dtypes do not match');
  if (a.shape.join() !== b.shape.join()) ms.push('the shapes do not match');
  if (ms.length === 0) return '';
  if (ms.length === 1) return `, so ${ms[0]}`;
  return `, so ${ms.slice(0, -1).join(', ')}, and ${ms[ms.length - 1]}`;
}

const capitalize = (s: string): string => s[0].toUpperCase() + s.slice(1);

/** How a node of a structure is named in JAX's messages (`<class 'list'>`). */
function nodeClass(t: PyTreeDef, leafName: string): string {
  switch (t.kind) {
    case 'leaf': return leafName;
    case 'none': return "<class 'NoneType'>";
    case 'undefined': return "<class 'undefined'>";
    case 'list': return "<class 'list'>";
    case 'dict': return "<class 'dict'>";
    case 'custom': return `<class '${t.nodeType!.name}'>`;
  }
}

type Difference = [path: KeyPath, thing1: string, thing2: string, explanation: string];

/** JAX's `equality_errors`: where and how two structures differ, outermost first. */
export function equalityErrors(a: PyTreeDef, b: PyTreeDef, leafName: string, path: KeyEntry[] = []): Difference[] {
  if (a.isLeaf && b.isLeaf) return [];
  if (a.kind !== b.kind || a.nodeType !== b.nodeType) {
    return [[path, nodeClass(a, leafName), nodeClass(b, leafName), 'their Python types differ']];
  }
  const ca = a.children(), cb = b.children();
  if (a.kind === 'list' && ca.length !== cb.length) {
    return [[path, `list of length ${ca.length}`, `list of length ${cb.length}`, 'the lengths do not match']];
  }
  const keysA = a.dictKeys ?? [], keysB = b.dictKeys ?? [];
  if (ca.length !== cb.length) {
    const diff = [...keysA.filter((k) => !keysB.includes(k)), ...keysB.filter((k) => !keysA.includes(k))].map(pyStrRepr).join(' ');
    const children = (n: number) => `${n} child${n > 1 ? 'ren' : ''}`;
    return [[path, `${nodeClass(a, leafName)} with ${children(ca.length)}`, `${nodeClass(b, leafName)} with ${children(cb.length)}`,
      `the numbers of children do not match${diff ? `, with the symmetric difference of key sets: {${diff}}` : ''}`]];
  }
  const metaA = meta(a), metaB = meta(b);
  if (metaA !== metaB) {
    return [[path, `${nodeClass(a, leafName)} with pytree metadata ${metaA}`, `${nodeClass(b, leafName)} with pytree metadata ${metaB}`,
      'the pytree node metadata does not match']];
  }
  return ca.flatMap((c, i) => {
    const key = a.kind === 'dict' ? new DictKey(keysA[i]) : new SequenceKey(i);
    return equalityErrors(c, cb[i], leafName, [...path, key]);
  });
}

function meta(t: PyTreeDef): string {
  if (t.kind === 'dict') return t.dictKeys!.length === 1 ? `(${pyStrRepr(t.dictKeys![0])},)` : `(${t.dictKeys!.map(pyStrRepr).join(', ')})`;
  if (t.kind === 'custom') return formatValue(t.auxData);
  return 'None';
}

/** The key path of every leaf of a structure. */
export function leafPaths(t: PyTreeDef): KeyPath[] {
  const dummy = t.unflatten(globalThis.Array.from({ length: t.numLeaves }, (_, i) => ({ leaf: i })));
  return flattenWithPath(dummy, { isLeaf: (x: unknown) => typeof x === 'object' && x !== null && 'leaf' in x && Object.keys(x).length === 1 })[0]
    .map(([p]) => p);
}

/** One difference as a sentence, or a bulleted list of them, as JAX formats several. */
function listDifferences(diffs: string[], sep: 'loop' | 'branch'): string {
  if (diffs.length === 1) return `${capitalize(diffs[0])}.\n`;
  if (sep === 'branch') return `${diffs.slice(0, -1).map((d) => `  * ${d};`).join('\n')}\n  * ${diffs[diffs.length - 1]}.\n`;
  return `${diffs.slice(0, -1).map((d) => `  * ${d};\n`).join('\n')}  * ${diffs[diffs.length - 1]}.\n`;
}

/**
 * JAX's `_check_branch_outputs`: the results of two branches of cond/switch must have the same
 * structure and types (weak types aside).
 */
export function checkBranchOutputs(api: 'cond' | 'switch', name1: string, name2: string, f1: UserFn, f2: UserFn,
  tree1: PyTreeDef, avals1: readonly ShapedArray[], tree2: PyTreeDef, avals2: readonly ShapedArray[]): void {
  const header = `${name1} is ${funName(f1)}\n${name2} is ${funName(f2)}\n\n`;
  const component = (p: KeyPath) => (p.length ? ` at path ${keystr(p)}` : '');
  if (!tree1.equals(tree2)) {
    const diffs = equalityErrors(tree1, tree2, 'pytree leaf').map(([p, t1, t2, expl]) =>
      `${name1} output${component(p)} is a ${t1} but ${name2} output${component(p)} is a ${t2}, so ${expl}`);
    if (diffs.length === 0) return;
    const differences = diffs.length === 1 ? `${diffs[0]}.\n`
      : `${diffs.slice(0, -1).map((d) => `  * ${d};\n`).join('\n')}  * ${diffs[diffs.length - 1]}.\n`;
    throw new TypeError(`${api} branch outputs must have the same pytree structure, but they differ:\n\n${header}` +
      `${differences}\nRevise ${name1} and/or ${name2} so that they have the same pytree structure.`);
  }
  const paths = leafPaths(tree1);
  const diffs = avals1.flatMap((a1, i) => {
    const a2 = avals2[i];
    if (typematch(a1, a2)) return [];
    return [`the output of ${name1}${component(paths[i])} has type ${avalLong(a1)} but the corresponding output of ` +
      `${name2} has type ${avalLong(a2)}${avalMismatchExtra(a1, a2)}`];
  });
  if (diffs.length === 0) return;
  throw new TypeError(`${api} branches must have equal output types but they differ.\n\n${header}` +
    `${listDifferences(diffs, 'branch')}\nRevise ${name1} and/or ${name2} so that all output types match.`);
}

/**
 * JAX's `_check_carry_type`: a loop body must return a carry of the structure and types of the one
 * it received (weak types aside). `name` is `while_loop body` or `scan body`.
 */
export function checkCarryType(name: string, bodyFun: UserFn, inTree: PyTreeDef, inAvals: readonly ShapedArray[],
  outTree: PyTreeDef, outAvals: readonly ShapedArray[]): void {
  const carryName = firstParamName(bodyFun);
  const component = (p: KeyPath) => (carryName
    ? (p.length ? `the input carry component ${carryName}${keystr(p)}` : `the input carry ${carryName}`)
    : (p.length ? `the input carry at path ${keystr(p)}` : 'the input carry'));
  if (!inTree.equals(outTree)) {
    const diffs = equalityErrors(inTree, outTree, "<class 'ShapedArray'>").map(([p, t1, t2, expl]) =>
      `${component(p)} is a ${t1} but the corresponding component of the carry output is a ${t2}, so ${expl}`);
    if (diffs.length === 0) return;
    throw new TypeError(`${name} function carry input and carry output must have the same pytree structure, but they differ:\n\n` +
      `${listDifferences(diffs, 'loop')}\nRevise the function so that the carry output has the same pytree structure as the carry input.`);
  }
  const paths = leafPaths(inTree);
  const diffs = inAvals.flatMap((a, i) => {
    const b = outAvals[i];
    if (typematch(a, b)) return [];
    return [`${component(paths[i])} has type ${avalLong(a)} but the corresponding output carry component has type ` +
      `${avalLong(b)}${avalMismatchExtra(a, b)}`];
  });
  if (diffs.length === 0) return;
  throw new TypeError(`${name} function carry input and carry output must have equal types, but they differ:\n\n` +
    `${listDifferences(diffs, 'loop')}\nRevise the function so that all output types match the corresponding input types.`);
}
