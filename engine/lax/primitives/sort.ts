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

// ---- batching rules ----------------------------------------------------------------------------
// JAX's _sort_batch_rule: every operand gets the first batched operand's batch dim (unbatched ones
// are broadcast), and the sort dimension shifts past it.
import { defineBatch } from '../../core/primitive.js';
import { bind } from '../../core/trace.js';
import { broadcastInDim, moveaxis } from '../../interpreters/batching_util.js';

defineBatch(sort, (args, dims, params) => {
  const k = dims.findIndex((d) => d !== null);
  const proto = args[k], b = dims[k]!;
  const xs = args.map((x, i) => (dims[i] === null
    ? broadcastInDim(x, proto.shape, [...Array(proto.ndim).keys()].filter((d) => d !== b))
    : moveaxis(x, dims[i]!, b)));
  const outs = bind(sort, xs, { ...params, dimension: params.dimension + (b <= params.dimension ? 1 : 0) });
  return [outs, outs.map(() => b)];
});

// ---- JVP and transpose rules -------------------------------------------------------------------
// JAX's _sort_jvp: sort once more with an iota as an extra operand to learn the permutation, then
// gather every nonzero tangent through it (the gather's transpose, a scatter-add, is the reverse mode).
import { defineJvp as defineJvpRule } from '../../core/primitive.js';
import type { ArrayBase as AdArray } from '../../core/array_base.js';
import { isZero as isAdZero } from '../../core/ad_util.js';
import { bind as bindAdAll, bind1 as bindAd } from '../../core/trace.js';
import { primitiveNamed, zeroTangentOf } from '../../interpreters/jvp.js';

defineJvpRule(sort, (primals, tangents, params) => {
  const shape = primals[0].shape;
  const ndim = shape.length;
  const iotas = shape.map((_, d) => bindAd(primitiveNamed('iota'), [], { dtype: 'int32', shape, dimension: d, sharding: null }));
  const outs = bindAdAll(sort, [...primals, iotas[params.dimension]], params);
  const perm = outs[outs.length - 1];
  const idx = iotas.map((io, d) => (d === params.dimension ? perm : io));
  let indices: AdArray | null = null;
  const gatherAt = (t: AdArray) => {
    if (!indices) {
      const cols = idx.map((i) => bindAd(primitiveNamed('broadcast_in_dim'), [i], { shape: [...shape, 1], broadcast_dimensions: shape.map((_, d) => d), sharding: null }));
      indices = bindAd(primitiveNamed('concatenate'), cols, { dimension: ndim });
    }
    const all = shape.map((_, d) => d);
    return bindAd(primitiveNamed('gather'), [t, indices], {
      dimension_numbers: { offset_dims: [], collapsed_slice_dims: all, start_index_map: all, operand_batching_dims: [], start_indices_batching_dims: [] },
      slice_sizes: shape.map(() => 1), indices_are_sorted: false, unique_indices: false, mode: 'promise_in_bounds', fill_value: null,
    });
  };
  const primalsOut = outs.slice(0, -1);
  return [primalsOut, tangents.map((t, i) => (isAdZero(t) ? zeroTangentOf(primalsOut[i]) : gatherAt(t as AdArray)))];
});
