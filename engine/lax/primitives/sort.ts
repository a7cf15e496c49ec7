// sort[dimension, is_stable, num_keys]: sorts one or more same-shaped operands along `dimension`.
// The order is lexicographic over the first `num_keys` operands (the first key primary); every
// operand is permuted by it, so `sort(keys, iota)` is argsort. NaNs sort after +inf and -0.0 equals
// 0.0, as in JAX. Our kernels are always stable (ties keep their original order).

import { ShapedArray } from '../../core/aval.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';

export type SortParams = {
  /** The axis to sort along (non-negative; lax.sort canonicalizes negative axes before binding). */
  dimension: number;
  is_stable: boolean;
  /** How many leading operands are sort keys, in [1, number of operands]. */
  num_keys: number;
};

export const sort = definePrimitive<SortParams>({
  name: 'sort',
  multipleResults: true,
  abstractEval(avals, { dimension, num_keys }) {
    if (avals.length === 0) throw new TypeError('Sort requires at least one operand.');
    if (avals.some((a) => a.shape.join() !== avals[0].shape.join())) {
      throw new TypeError(`Arguments to sort must have equal shapes, got: ${avals.map((a) => shapeStr(a.shape)).join(' ')}. ` +
        'Broadcast the operands to one shape first.');
    }
    const ndim = avals[0].ndim;
    if (ndim === 0) throw new TypeError('sort requires operands of rank at least 1, got rank-0 operands; reshape them to shape (1,) first.');
    if (!Number.isInteger(dimension) || dimension < 0 || dimension >= ndim) {
      throw new TypeError(`sort: dimension ${dimension} is out of bounds for operands of shape ${shapeStr(avals[0].shape)}; use a dimension in [0, ${ndim}).`);
    }
    if (!Number.isInteger(num_keys) || num_keys < 1 || num_keys > avals.length) {
      throw new RangeError(`sort: num_keys=${num_keys} must be between 1 and len(operand)=${avals.length}.`);
    }
    return avals.map((a) => new ShapedArray(a.shape, a.dtype, a.weakType));
  },
});
