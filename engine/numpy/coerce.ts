// From what users pass to what primitives take: JS values become arrays, and operands of a numpy
// function are promoted to one dtype (JAX's weak-type lattice) and one rank (`broadcast_in_dim`),
// in that order, as jnp's `promote_args` does. Nothing here reads array values, so the same code
// runs eagerly and under tracing.

import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import {
  type DType, type TypedArray, type TypedValue, canonicalize, checkDType, defaultFloat, isBool, isFloat, promoteTypes, scalarType,
  typedArrayFor,
} from '../core/dtype.js';
import { broadcastShapes, shapeStr } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { arrayFromHost, arrayFromValues, castHostValue, scalarConstant } from '../lax/constants.js';

/** A nested JS array of numbers, booleans or arrays. */
export interface NestedArray extends ReadonlyArray<ArrayLike> {}
/** Everything numpy functions accept as an array. */
export type ArrayLike = ArrayBase | number | boolean | TypedArray | Int8Array | Int16Array | Uint16Array | NestedArray;
export type Scalar = number | boolean;
/** A read-only list by index (JS's ArrayLike, whose name `ArrayLike` takes here). */
export interface Indexable<T> { readonly length: number; readonly [n: number]: T }

export const isScalar = (x: unknown): x is Scalar => typeof x === 'number' || typeof x === 'boolean';

function isTypedArray(x: unknown): x is TypedArray | Int8Array | Int16Array | Uint16Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The dtype a JS typed array holds (64-bit and narrow types canonicalized as JAX canonicalizes them). */
function typedArrayDType(x: ArrayBufferView): DType {
  const name = x.constructor.name;
  switch (name) {
    case 'Float32Array': return 'float32';
    case 'Float64Array': return canonicalize('float64');
    case 'Int32Array': case 'Int16Array': case 'Int8Array': return 'int32';
    case 'Uint32Array': case 'Uint16Array': case 'Uint8Array': case 'Uint8ClampedArray': return 'uint32';
    default: throw new TypeError(`Cannot make an array from a ${name}; use Float32Array, Int32Array, Uint32Array, Float64Array or a JS array.`);
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'object') return `an object of type ${(x as object).constructor?.name ?? 'Object'}`;
  return `a ${typeof x} (${String(x)})`;
}

/** jnp's check_arraylike: the TypeError JAX raises for a non-array argument. */
export function checkArrayLike(fn: string, ...xs: unknown[]): void {
  xs.forEach((x, i) => {
    if (x instanceof ArrayBase || isScalar(x) || isTypedArray(x) || globalThis.Array.isArray(x)) return;
    throw new TypeError(`${fn} requires ndarray or scalar arguments, got ${describe(x)} at position ${i}.`);
  });
}

// ---- nested JS arrays --------------------------------------------------------------------------
interface NestedInfo { shape: number[]; leaves: (Scalar | Array)[]; type: TypedValue; hasArrays: boolean }

/** Walks a nested JS array: its shape (checked rectangular, as NumPy does), leaves and result dtype. */
function inspectNested(fn: string, x: NestedArray): NestedInfo {
  const leaves: (Scalar | Array)[] = [];
  let shape: number[] | null = null;
  const walk = (v: unknown, prefix: number[]): void => {
    if (globalThis.Array.isArray(v)) {
      v.forEach((e) => walk(e, [...prefix, v.length]));
      if (v.length === 0) record([...prefix, 0]);
      return;
    }
    if (isTypedArray(v)) { walk(globalThis.Array.from(v as Indexable<number>), prefix); return; }
    if (v instanceof ArrayBase) { record([...prefix, ...v.shape]); leaves.push(v as Array); return; }
    if (isScalar(v)) { record(prefix); leaves.push(v); return; }
    throw new TypeError(`${fn}: a nested array may hold only numbers, booleans and arrays, got ${describe(v)}.`);
  };
  const record = (s: number[]) => {
    if (shape === null) shape = s;
    else if (shapeStr(shape) !== shapeStr(s)) {
      const depth = shape.findIndex((d, i) => d !== s[i]);
      throw new TypeError(`${fn}: setting an array element with a sequence. The requested array has an inhomogeneous shape ` +
        `after ${depth < 0 ? Math.min(shape.length, s.length) : depth} dimensions. Every row must have the same length.`);
    }
  };
  walk(x, []);
  const typeVals = leaves.map((l) => (l instanceof ArrayBase ? { dtype: l.dtype, weakType: l.weakType } : scalarType(l)));
  // A list makes a strongly typed array even from JS scalars: np.array([1, 2]) is int32, not weak.
  const t = typeVals.length ? promoteTypes(...typeVals) : { dtype: defaultFloat(), weakType: false };
  return { shape: shape ?? [0], leaves, type: { dtype: t.dtype, weakType: false }, hasArrays: leaves.some((l) => l instanceof ArrayBase) };
}

// ---- asArray -----------------------------------------------------------------------------------
export interface AsArrayOptions { dtype?: DType | null }

/**
 * jnp.asarray: arrays pass through (cast when a dtype is given), JS scalars become weakly typed
 * rank-0 arrays, nested JS arrays and typed arrays become strongly typed arrays.
 */
export function asArray(x: ArrayLike, opts: AsArrayOptions = {}, fn = 'asarray'): Array {
  const dtype = opts.dtype ? checkDType(opts.dtype, fn) : null;
  if (x instanceof ArrayBase) return dtype ? lax.convertElementType(x, dtype) : (x as Array);
  if (isScalar(x)) {
    if (dtype) return scalarConstant(x, dtype, false);
    const t = scalarType(x);
    return scalarConstant(x, t.dtype, t.weakType);
  }
  if (isTypedArray(x)) {
    const d = dtype ?? typedArrayDType(x);
    return arrayFromValues(x as Indexable<number>, [x.length], d);
  }
  if (globalThis.Array.isArray(x)) {
    const info = inspectNested(fn, x as NestedArray);
    const d = dtype ?? info.type.dtype;
    if (!info.hasArrays) {
      const host = typedArrayFor(d, info.leaves.length);
      info.leaves.forEach((v, i) => { host[i] = castHostValue(v as Scalar, d); });
      return arrayFromHost(host, info.shape, d);
    }
    return stackNested(x as NestedArray, d);
  }
  checkArrayLike(fn, x);
  throw new Error('unreachable');
}

/** Nested lists holding arrays (maybe tracers): stacked with broadcast_in_dim + concatenate, as jnp.array does. */
function stackNested(x: NestedArray, dtype: DType): Array {
  const build = (v: ArrayLike): Array => {
    if (globalThis.Array.isArray(v)) {
      const parts = (v as NestedArray).map((e) => {
        const a = build(e);
        return lax.broadcastInDim(a, [1, ...a.shape], a.shape.map((_, i) => i + 1));
      });
      return lax.concatenate(parts, 0);
    }
    return asArray(v, { dtype });
  };
  return build(x);
}

/** The dtype and weak type a value has (or would have as an array). */
export function typeOf(x: ArrayLike): TypedValue {
  if (x instanceof ArrayBase) return { dtype: x.dtype, weakType: x.weakType };
  if (isScalar(x)) return scalarType(x);
  if (isTypedArray(x)) return { dtype: typedArrayDType(x), weakType: false };
  if (globalThis.Array.isArray(x)) return inspectNested('asarray', x as NestedArray).type;
  checkArrayLike('asarray', x);
  throw new Error('unreachable');
}

/** JAX's `result_type` over values: the promoted dtype and whether it is weak. */
export function resultType(...xs: ArrayLike[]): TypedValue {
  return promoteTypes(...xs.map(typeOf));
}

/** Converts one value to (dtype, weak): JS scalars become constants, arrays get convert_element_type. */
export function convertTo(x: ArrayLike, dtype: DType, weakType: boolean): Array {
  if (isScalar(x)) return scalarConstant(x, dtype, weakType);
  if (!(x instanceof ArrayBase)) return lax.convertElementType(asArray(x, { dtype }), dtype, { weakType });
  return lax.convertElementType(x, dtype, { weakType });
}

/** jnp's promote_dtypes: every operand converted to the promoted dtype (weak only if all were weak). */
export function promoteDtypes(fn: string, ...xs: ArrayLike[]): Array[] {
  checkArrayLike(fn, ...xs);
  if (xs.length === 1) return [asArray(xs[0], {}, fn)];
  const t = resultType(...xs);
  return xs.map((x) => convertTo(x, t.dtype, t.weakType));
}

/** The floating dtype a dtype computes in: bool and integers become the default float. */
export const toInexact = (d: DType): DType => (isFloat(d) ? d : defaultFloat());
/** bool becomes int32; other dtypes stay. */
export const toNumeric = (d: DType): DType => (isBool(d) ? 'int32' : d);

/** jnp's promote_dtypes_inexact: promoted, then integers and bools made floating. */
export function promoteDtypesInexact(fn: string, ...xs: ArrayLike[]): Array[] {
  checkArrayLike(fn, ...xs);
  const t = resultType(...xs);
  return xs.map((x) => convertTo(x, toInexact(t.dtype), t.weakType));
}

/** jnp's promote_dtypes_numeric: promoted, then bool made int32. */
export function promoteDtypesNumeric(fn: string, ...xs: ArrayLike[]): Array[] {
  checkArrayLike(fn, ...xs);
  const t = resultType(...xs);
  return xs.map((x) => convertTo(x, toNumeric(t.dtype), t.weakType));
}

/**
 * jnp's promote_shapes: when operands of rank ≥ 1 differ in rank, the lower-rank ones get leading
 * size-1 dims with broadcast_in_dim; equal-rank operands and scalars are left for the primitive,
 * which broadcasts size-1 dims itself.
 */
export function promoteShapes(fn: string, ...xs: Array[]): Array[] {
  if (xs.length < 2) return xs;
  if (xs.every((x) => x.ndim === xs[0].ndim)) return xs;
  const nonscalarRanks = new Set(xs.filter((x) => x.ndim > 0).map((x) => x.ndim));
  if (nonscalarRanks.size < 2) return xs;
  const rank = broadcastShapes(fn, ...xs.map((x) => x.shape)).length;
  return xs.map((x) => broadcastToRank(x, rank));
}

export function broadcastToRank(x: Array, rank: number): Array {
  if (x.ndim >= rank) return x;
  return lax.broadcast(x, new globalThis.Array<number>(rank - x.ndim).fill(1));
}

/** jnp's promote_args: dtypes, then ranks. */
export function promoteArgs(fn: string, ...xs: ArrayLike[]): Array[] {
  return promoteShapes(fn, ...promoteDtypes(fn, ...xs));
}
export function promoteArgsInexact(fn: string, ...xs: ArrayLike[]): Array[] {
  return promoteShapes(fn, ...promoteDtypesInexact(fn, ...xs));
}
export function promoteArgsNumeric(fn: string, ...xs: ArrayLike[]): Array[] {
  return promoteShapes(fn, ...promoteDtypesNumeric(fn, ...xs));
}

/** jnp.broadcast_to on an array: broadcast_in_dim with the trailing alignment NumPy uses. */
export function broadcastTo(x: Array, shape: readonly number[], fn = 'broadcast_to'): Array {
  if (x.ndim === shape.length && x.shape.every((n, i) => n === shape[i])) return x;
  const lead = shape.length - x.ndim;
  const compatible = lead >= 0 && x.shape.every((n, i) => n === 1 || n === shape[lead + i]);
  if (!compatible) {
    throw new TypeError(`${fn}: cannot broadcast an array of shape ${shapeStr(x.shape)} to the requested shape ${shapeStr(shape)}; ` +
      'each dimension must be 1 or equal to the target, counting from the right.');
  }
  // Dims of size 1 that grow are broadcast directly by broadcast_in_dim (its operand dim may be 1).
  return lax.broadcastInDim(x, shape, x.shape.map((_, i) => lead + i));
}
