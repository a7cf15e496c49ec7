// Reductions, arg-reductions and cumulative reductions.

import { ShapedArray } from '../../core/aval.js';
import { type DType, checkDType, isBool } from '../../core/dtype.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';
import { checkDTypeClass, type DTypeClass } from './rules.js';

function checkAxes(prim: string, x: ShapedArray, axes: number[]) {
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.ndim) || new Set(axes).size !== axes.length) {
    throw new RangeError(`${prim}: reduction axes ${shapeStr(axes)} contains out-of-bounds or repeated indices for ${x.strShort()}; ` +
      `use axes in [0, ${x.ndim}).`);
  }
}

function reducer(name: string, classes: DTypeClass[]) {
  return definePrimitive<{ axes: number[]; out_sharding?: null }>({
    name,
    abstractEval([x], { axes }) {
      checkDTypeClass(name, [x], classes);
      checkAxes(name, x, axes);
      return [new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), x.dtype, x.weakType)];
    },
  });
}
const NUM: DTypeClass[] = ['integer', 'floating'];
export const reduce_sum = reducer('reduce_sum', NUM);
export const reduce_prod = reducer('reduce_prod', NUM);
export const reduce_max = reducer('reduce_max', ['any']);
export const reduce_min = reducer('reduce_min', ['any']);
export const reduce_and = reducer('reduce_and', ['bool', 'integer']);
export const reduce_or = reducer('reduce_or', ['bool', 'integer']);

/** argmax/argmin[axes=(k,), index_dtype]: the first index of the extreme value; NaN counts as extreme, as in JAX. */
function argReducer(name: string) {
  return definePrimitive<{ axes: number[]; index_dtype: DType }>({
    name,
    abstractEval([x], { axes, index_dtype }) {
      checkAxes(name, x, axes);
      if (axes.length !== 1) throw new TypeError(`${name} only supports a single axis, got axes ${shapeStr(axes)}.`);
      if (x.shape[axes[0]] === 0) throw new RangeError(`${name} of an empty axis: attempt to get ${name} of an empty sequence.`);
      return [new ShapedArray(x.shape.filter((_, i) => i !== axes[0]), checkDType(index_dtype, name), false)];
    },
  });
}
export const argmax = argReducer('argmax');
export const argmin = argReducer('argmin');

function cumulative(name: string) {
  return definePrimitive<{ axis: number; reverse: boolean }>({
    name,
    abstractEval([x], { axis }) {
      if (axis < 0 || axis >= x.ndim) throw new RangeError(`${name}: axis ${axis} is out of bounds for array of dimension ${x.ndim}.`);
      if (name !== 'cummax' && name !== 'cummin' && isBool(x.dtype)) throw new TypeError(`${name} does not accept dtype bool; cast to int32 first.`);
      return [x];
    },
  });
}
export const cumsum = cumulative('cumsum');
export const cumprod = cumulative('cumprod');
export const cummax = cumulative('cummax');
export const cummin = cumulative('cummin');

