// Functional updates, `x.at(...idx).set(v)` = JAX's `x.at[idx].set(v)`: the gather plan of x[idx]
// run backwards as one scatter. Out-of-bounds updates are dropped (JAX's FILL_OR_DROP default);
// with repeated indices `add`/`multiply`/`min`/`max` combine every update, `set` keeps one of them.

import type { Array } from '../core/array.js';
import { isInteger } from '../core/dtype.js';
import { sizeOf } from '../core/shape.js';
import * as lax from '../lax/index.js';
import type { GatherScatterMode, ScatterOptions } from '../lax/index.js';
import { type ArrayLike, asArray, broadcastTo, promoteDtypes } from './coerce.js';
import { type GetOptions, type Index, getItem, indexToGather, parseIndices } from './indexing.js';
import { divide, power } from './ufuncs.js';

type ScatterFn = typeof lax.scatter;

export interface UpdateOptions {
  /** 'fill' (default: out-of-bounds updates are dropped), 'clip' (indices clamp) or 'promise_in_bounds'. */
  mode?: GatherScatterMode;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

/** jnp's `_scatter_update`: x with x[idx] combined with y by `scatter`. */
export function scatterUpdate(x: Array, idx: readonly Index[], y: ArrayLike, scatter: ScatterFn, opts: UpdateOptions = {}): Array {
  // An in-range JS integer update of an integer array keeps the array's dtype (no promotion to
  // float); other JS scalars stay JS scalars until promotion, which makes them constants directly.
  const update: ArrayLike = typeof y === 'number' && Number.isInteger(y) && isInteger(x.dtype)
    && y >= (x.dtype === 'uint32' ? 0 : -2147483648) && y <= (x.dtype === 'uint32' ? 4294967295 : 2147483647)
    ? asArray(y, { dtype: x.dtype }) : y;
  const indexer = indexToGather(x.shape, parseIndices(x.shape, idx, { fn: 'at' }));
  if (sizeOf(indexer.sliceShape) === 0) return x;
  const [xp, yp] = promoteDtypes('at', x, update);
  let values = broadcastTo(yp, indexer.sliceShape, 'at[...].set');
  values = lax.squeeze(values, indexer.newaxisDims);
  values = lax.rev(values, indexer.reversedYDims);
  const scatterOpts: ScatterOptions = {
    mode: opts.mode ?? 'fill',
    indicesAreSorted: indexer.indicesAreSorted || !!opts.indicesAreSorted,
    uniqueIndices: indexer.uniqueIndices || !!opts.uniqueIndices,
  };
  // With no index arrays at all (x.at[:].set(v)) the scatter has an empty index vector.
  const indices = indexer.gatherIndices ?? lax.full([0], 0, 'int32');
  const out = scatter(xp, indices, values, {
    update_window_dims: indexer.dnums.offset_dims,
    inserted_window_dims: indexer.dnums.collapsed_slice_dims,
    scatter_dims_to_operand_dims: indexer.dnums.start_index_map,
  }, scatterOpts);
  return lax.convertElementType(out, x.dtype, { weakType: x.weakType });
}

/** What `x.at(...idx)` returns: the functional update methods of JAX's `x.at[idx]`. */
export class IndexUpdateRef {
  constructor(readonly array: Array, readonly index: readonly Index[]) {}

  /** x[idx], with an explicit out-of-bounds mode ('fill' reads `fillValue`). */
  get(opts: GetOptions = {}): Array { return getItem(this.array, this.index, opts); }
  /** x with x[idx] = values. */
  set(values: ArrayLike, opts: UpdateOptions = {}): Array { return scatterUpdate(this.array, this.index, values, lax.scatter, opts); }
  /** x with x[idx] += values (repeated indices accumulate). */
  add(values: ArrayLike, opts: UpdateOptions = {}): Array { return scatterUpdate(this.array, this.index, values, lax.scatterAdd, opts); }
  /** x with x[idx] -= values. */
  subtract(values: ArrayLike, opts: UpdateOptions = {}): Array {
    const v = asArray(values, {}, 'at[...].subtract');
    return scatterUpdate(this.array, this.index, lax.neg(v), lax.scatterAdd, opts);
  }
  /** x with x[idx] *= values. */
  multiply(values: ArrayLike, opts: UpdateOptions = {}): Array { return scatterUpdate(this.array, this.index, values, lax.scatterMul, opts); }
  mul(values: ArrayLike, opts: UpdateOptions = {}): Array { return this.multiply(values, opts); }
  /** x with x[idx] /= values. */
  divide(values: ArrayLike, opts: UpdateOptions = {}): Array {
    return divide(this.array, scatterUpdate(lax.fullLike(this.array, 1), this.index, values, lax.scatterMul, opts));
  }
  /** x with x[idx] **= values. */
  power(values: ArrayLike, opts: UpdateOptions = {}): Array {
    return power(this.array, scatterUpdate(lax.fullLike(this.array, 1), this.index, values, lax.scatterMul, opts));
  }
  /** x with x[idx] = minimum(x[idx], values). */
  min(values: ArrayLike, opts: UpdateOptions = {}): Array { return scatterUpdate(this.array, this.index, values, lax.scatterMin, opts); }
  /** x with x[idx] = maximum(x[idx], values). */
  max(values: ArrayLike, opts: UpdateOptions = {}): Array { return scatterUpdate(this.array, this.index, values, lax.scatterMax, opts); }
}
