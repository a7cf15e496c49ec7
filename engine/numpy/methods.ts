// The method forms of the numpy functions, installed on Array (shared by concrete arrays and
// tracers) as jax.Array has them: `x.sum({axis: 0})`, `x.reshape(2, 3)`, `x.T`, `x.index(1, ':')`,
// `x.at(0).set(1)`, plus operator methods, since JS has no operator overloading: `x.add(y)` is
// `x + y`, `x.matmul(y)` is `x @ y`, `x.lt(y)` is `x < y`.

import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { type DType, checkDType } from '../core/dtype.js';
import { TracerArrayConversionError } from '../core/errors.js';
import * as lax from '../lax/index.js';
import { type ArrayLike, asArray } from './coerce.js';
import { IndexUpdateRef } from './index_update.js';
import { type GetOptions, type Index, type TakeOptions, getItem, take } from './indexing.js';
import { dot, matmul } from './linalg.js';
import * as red from './reductions.js';
import * as shp from './shape_ops.js';
import { type SortOptions, argsort, sort } from './sorting.js';
import * as uf from './ufuncs.js';

/** Casts to a dtype; a no-op when the dtype is already right (weak types become strong, as in JAX). */
export function astype(x: ArrayLike, dtype: DType): Array {
  return lax.convertElementType(asArray(x, {}, 'astype'), checkDType(dtype, 'astype'));
}

type ShapeArgs = number[] | [readonly number[]];
const shapeArgs = (args: ShapeArgs): number[] => (args.length === 1 && globalThis.Array.isArray(args[0]) ? [...args[0]] : (args as number[]));

declare module '../core/array_base.js' {
  interface ArrayBase {
    // operators
    /** x + y */ add(y: ArrayLike): Array;
    /** x - y */ sub(y: ArrayLike): Array;
    /** x * y */ mul(y: ArrayLike): Array;
    /** x / y */ div(y: ArrayLike): Array;
    /** x // y */ floordiv(y: ArrayLike): Array;
    /** x % y (sign of y, as Python) */ mod(y: ArrayLike): Array;
    /** x ** y */ pow(y: ArrayLike): Array;
    /** x @ y */ matmul(y: ArrayLike): Array;
    /** -x */ neg(): Array;
    /** abs(x) */ abs(): Array;
    /** x == y (elementwise) */ eq(y: ArrayLike): Array;
    /** x != y */ ne(y: ArrayLike): Array;
    /** x < y */ lt(y: ArrayLike): Array;
    /** x <= y */ le(y: ArrayLike): Array;
    /** x > y */ gt(y: ArrayLike): Array;
    /** x >= y */ ge(y: ArrayLike): Array;
    /** x & y */ and(y: ArrayLike): Array;
    /** x | y */ or(y: ArrayLike): Array;
    /** x ^ y */ xor(y: ArrayLike): Array;
    /** ~x */ not(): Array;

    // numpy methods of jax.Array
    astype(dtype: DType): Array;
    reshape(...shape: ShapeArgs): Array;
    transpose(...axes: ShapeArgs): Array;
    /** The transpose (axes reversed). */
    readonly T: Array;
    /** The transpose of the last two axes. */
    readonly mT: Array;
    flatten(): Array;
    ravel(): Array;
    squeeze(axis?: number | readonly number[] | null | { axis?: number | readonly number[] | null }): Array;
    swapaxes(axis1: number, axis2: number): Array;
    repeat(repeats: number | readonly number[], opts?: { axis?: number | null }): Array;
    sum(opts?: red.ReductionOptions): Array;
    prod(opts?: red.ReductionOptions): Array;
    mean(opts?: Omit<red.ReductionOptions, 'initial'>): Array;
    max(opts?: red.ReductionOptions): Array;
    min(opts?: red.ReductionOptions): Array;
    all(opts?: Omit<red.ReductionOptions, 'dtype' | 'initial'>): Array;
    any(opts?: Omit<red.ReductionOptions, 'dtype' | 'initial'>): Array;
    var(opts?: red.VarOptions): Array;
    std(opts?: red.VarOptions): Array;
    argmax(opts?: { axis?: number | null; keepdims?: boolean }): Array;
    argmin(opts?: { axis?: number | null; keepdims?: boolean }): Array;
    cumsum(opts?: { axis?: number | null; dtype?: DType | null }): Array;
    cumprod(opts?: { axis?: number | null; dtype?: DType | null }): Array;
    dot(y: ArrayLike): Array;
    clip(min?: ArrayLike | null | { min?: ArrayLike | null; max?: ArrayLike | null }, max?: ArrayLike | null): Array;
    round(decimals?: number | { decimals?: number }): Array;
    sort(opts?: SortOptions): Array;
    argsort(opts?: SortOptions): Array;
    take(indices: ArrayLike, opts?: TakeOptions): Array;
    /** NumPy indexing: `x.index(2, ':', '1:')` is `x[2, :, 1:]`; null adds an axis; arrays index. */
    index(...idx: Index[]): Array;
    /** Functional updates: `x.at(0, ':').set(v)` is `x.at[0, :].set(v)`. */
    at(...idx: Index[]): IndexUpdateRef;
  }
}

function notReadable(this: Array): never {
  throw new TracerArrayConversionError(
    `The values of a traced array (${this.toString()}) were requested. A traced array has no values, only a shape ` +
    `and dtype (${this.aval.strShort()}); data(), tolist() and item() work on concrete arrays. Return the value ` +
    'from the transformed function and read it outside the transformation.');
}

const methods: Record<string, (this: Array, ...args: never[]) => unknown> = {
  add(this: Array, y: ArrayLike) { return uf.add(this, y); },
  sub(this: Array, y: ArrayLike) { return uf.subtract(this, y); },
  mul(this: Array, y: ArrayLike) { return uf.multiply(this, y); },
  div(this: Array, y: ArrayLike) { return uf.trueDivide(this, y); },
  floordiv(this: Array, y: ArrayLike) { return uf.floorDivide(this, y); },
  mod(this: Array, y: ArrayLike) { return uf.remainder(this, y); },
  pow(this: Array, y: ArrayLike) { return uf.power(this, y); },
  matmul(this: Array, y: ArrayLike) { return matmul(this, y); },
  neg(this: Array) { return uf.negative(this); },
  abs(this: Array) { return uf.absolute(this); },
  eq(this: Array, y: ArrayLike) { return uf.equal(this, y); },
  ne(this: Array, y: ArrayLike) { return uf.notEqual(this, y); },
  lt(this: Array, y: ArrayLike) { return uf.less(this, y); },
  le(this: Array, y: ArrayLike) { return uf.lessEqual(this, y); },
  gt(this: Array, y: ArrayLike) { return uf.greater(this, y); },
  ge(this: Array, y: ArrayLike) { return uf.greaterEqual(this, y); },
  and(this: Array, y: ArrayLike) { return uf.bitwiseAnd(this, y); },
  or(this: Array, y: ArrayLike) { return uf.bitwiseOr(this, y); },
  xor(this: Array, y: ArrayLike) { return uf.bitwiseXor(this, y); },
  not(this: Array) { return uf.invert(this); },

  astype(this: Array, dtype: DType) { return astype(this, dtype); },
  reshape(this: Array, ...shape: ShapeArgs) { return shp.reshape(this, shapeArgs(shape)); },
  transpose(this: Array, ...axes: ShapeArgs) { return shp.transpose(this, axes.length ? shapeArgs(axes) : null); },
  flatten(this: Array) { return shp.ravel(this); },
  ravel(this: Array) { return shp.ravel(this); },
  squeeze(this: Array, axis?: number | readonly number[] | null | { axis?: number | readonly number[] | null }) { return shp.squeeze(this, axis); },
  swapaxes(this: Array, a: number, b: number) { return shp.swapaxes(this, a, b); },
  repeat(this: Array, r: number | readonly number[], opts?: { axis?: number | null }) { return shp.repeat(this, r, opts); },
  sum(this: Array, opts?: red.ReductionOptions) { return red.sum(this, opts); },
  prod(this: Array, opts?: red.ReductionOptions) { return red.prod(this, opts); },
  mean(this: Array, opts?: red.ReductionOptions) { return red.mean(this, opts); },
  max(this: Array, opts?: red.ReductionOptions) { return red.max(this, opts); },
  min(this: Array, opts?: red.ReductionOptions) { return red.min(this, opts); },
  all(this: Array, opts?: red.ReductionOptions) { return red.all(this, opts); },
  any(this: Array, opts?: red.ReductionOptions) { return red.any(this, opts); },
  var(this: Array, opts?: red.VarOptions) { return red.variance(this, opts); },
  std(this: Array, opts?: red.VarOptions) { return red.std(this, opts); },
  argmax(this: Array, opts?: { axis?: number | null; keepdims?: boolean }) { return red.argmax(this, opts); },
  argmin(this: Array, opts?: { axis?: number | null; keepdims?: boolean }) { return red.argmin(this, opts); },
  cumsum(this: Array, opts?: { axis?: number | null; dtype?: DType | null }) { return red.cumsum(this, opts); },
  cumprod(this: Array, opts?: { axis?: number | null; dtype?: DType | null }) { return red.cumprod(this, opts); },
  dot(this: Array, y: ArrayLike) { return dot(this, y); },
  clip(this: Array, lo?: Parameters<typeof uf.clip>[1], hi?: ArrayLike | null) { return uf.clip(this, lo, hi); },
  round(this: Array, decimals?: number | { decimals?: number }) { return uf.round(this, decimals); },
  sort(this: Array, opts?: SortOptions) { return sort(this, opts); },
  argsort(this: Array, opts?: SortOptions) { return argsort(this, opts); },
  take(this: Array, indices: ArrayLike, opts?: TakeOptions) { return take(this, indices, opts); },
  index(this: Array, ...idx: Index[]) { return getItem(this, idx); },
  at(this: Array, ...idx: Index[]) { return new IndexUpdateRef(this, idx); },

  data: notReadable,
  tolist: notReadable,
  item: notReadable,
  blockUntilReady: notReadable,
};

for (const [name, fn] of Object.entries(methods)) {
  // Concrete arrays define data/tolist/item themselves; those stay (subclass methods win).
  Object.defineProperty(ArrayBase.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(ArrayBase.prototype, 'T', {
  get(this: Array) { return shp.transpose(this); }, configurable: true, enumerable: false,
});
Object.defineProperty(ArrayBase.prototype, 'mT', {
  get(this: Array) { return shp.matrixTranspose(this); }, configurable: true, enumerable: false,
});

export type { GetOptions };
