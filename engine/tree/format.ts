// How pytree error messages and PyTreeDef strings print JS values. JAX prints Python reprs; the
// parts that have a Python meaning (string keys, dict metadata) print as JAX prints them, so a
// message reads the same as JAX's, and JS values print in JS terms (`true`, `null`, `undefined`).

import { ArrayBase } from '../core/array_base.js';

const MAX_DEPTH = 6;
const MAX_ITEMS = 100;

/** Python's `repr(str)`: single quotes unless the text has a `'` and no `"`; escapes as Python does. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return out + quote;
}
/** Python's str.isprintable() is false for these categories (the space excepted). */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** The name of a value's type in messages: pytree node kinds by their JAX names, the rest in JS terms. */
export function typeName(x: unknown): string {
  if (x === null) return 'None';
  if (x === undefined) return 'undefined';
  if (typeof x !== 'object') return typeof x;
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto === globalThis.Array.prototype) return 'list';
  if (proto === Object.prototype || proto === null) return 'dict';
  return classNameOf(proto);
}

/** The name of the class whose prototype is `proto`. */
export function classNameOf(proto: object | null): string {
  const ctor = (proto as { constructor?: unknown } | null)?.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'Object';
}

/** A readable one-line rendering of any JS value (Python's `repr` in JAX's messages). */
export function formatValue(x: unknown): string {
  return fmt(x, 0, new Set());
}

/** Python's `str`: strings as they are, everything else as formatValue. */
export function formatStr(x: unknown): string {
  return typeof x === 'string' ? x : formatValue(x);
}

function fmt(x: unknown, depth: number, seen: Set<object>): string {
  switch (typeof x) {
    case 'string': return pyStrRepr(x);
    case 'number': return Object.is(x, -0) ? '-0' : String(x);
    case 'bigint': return `${x}n`;
    case 'boolean': case 'undefined': case 'symbol': return String(x);
    case 'function': return x.name ? `[Function: ${x.name}]` : '[Function (anonymous)]';
  }
  if (x === null) return 'null';
  const obj = x as object;
  if (obj instanceof ArrayBase) return obj.toString(); // not String(obj): converting a tracer to a string raises
  if (seen.has(obj)) return '[Circular]';
  const proto = Object.getPrototypeOf(obj) as object | null;
  const isList = proto === globalThis.Array.prototype;
  const isDict = proto === Object.prototype || proto === null;
  if (!isList && !isDict && typeof (obj as { toString?: unknown }).toString === 'function' &&
      (obj as { toString: unknown }).toString !== Object.prototype.toString) {
    return String(obj);
  }
  if (depth >= MAX_DEPTH) return isList ? '[...]' : '{...}';
  seen.add(obj);
  try {
    if (isList) {
      const xs = obj as unknown[];
      const items = [];
      for (let i = 0; i < Math.min(xs.length, MAX_ITEMS); i++) items.push(fmt(xs[i], depth + 1, seen));
      if (xs.length > MAX_ITEMS) items.push(`... ${xs.length - MAX_ITEMS} more`);
      return `[${items.join(', ')}]`;
    }
    const keys = Object.keys(obj);
    const items = keys.slice(0, MAX_ITEMS).map((k) => `${pyStrRepr(k)}: ${fmt((obj as Record<string, unknown>)[k], depth + 1, seen)}`);
    if (keys.length > MAX_ITEMS) items.push(`... ${keys.length - MAX_ITEMS} more`);
    const body = `{${items.join(', ')}}`;
    return isDict ? body : `${classNameOf(proto)} ${body}`;
  } finally {
    seen.delete(obj);
  }
}

/** Python's string ordering (by code point), which JAX uses to sort dict keys. JS's `<` compares
 * UTF-16 code units, which differs when a character above U+FFFF meets one in U+E000..U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return codePointRank(ca) - codePointRank(cb);
  }
  return a.length - b.length;
}
/** Moves surrogates above U+E000..U+FFFF, so code units order as the code points they start. */
const codePointRank = (c: number): number => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);
