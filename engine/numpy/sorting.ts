// Sorting with the sort primitive: sort, argsort (sort of (keys, iota)), and the order statistics
// built on them.

import type { Array } from '../core/array.js';
import { normalizeAxis } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { type ArrayLike, asArray } from './coerce.js';
import { ravel } from './shape_ops.js';

export interface SortOptions {
  /** The axis to sort along (default -1); null sorts the flattened array. */
  axis?: number | null;
  /** Ties keep their order (always true here; accepted for NumPy compatibility). */
  stable?: boolean;
  /** Largest first. */
  descending?: boolean;
}

function sortAxis(fn: string, x: ArrayLike, axis: number | null | undefined): [Array, number] {
  let a = asArray(x, {}, fn);
  if (axis === null) return [ravel(a), 0];
  if (a.ndim === 0) a = lax.reshape(a, [1]);
  return [a, normalizeAxis(axis ?? -1, a.ndim, fn)];
}

/** A sorted copy; NaNs sort last, as in NumPy. */
export function sort(x: ArrayLike, opts: SortOptions = {}): Array {
  const [a, dim] = sortAxis('sort', x, opts.axis);
  const sorted = lax.sort(a, { dimension: dim, isStable: opts.stable ?? true });
  return opts.descending ? lax.rev(sorted, [dim]) : sorted;
}

/** The indices that sort the array (stable: equal values keep their order, also when descending). */
export function argsort(x: ArrayLike, opts: SortOptions = {}): Array {
  const [a, dim] = sortAxis('argsort', x, opts.axis);
  const iota = lax.broadcastedIota('int32', a.shape, dim);
  if (opts.descending) {
    // Reversing before and after a stable ascending sort gives a stable descending one.
    const [, perm] = lax.sort([lax.rev(a, [dim]), lax.rev(iota, [dim])], { dimension: dim, isStable: true, numKeys: 1 });
    return lax.rev(perm, [dim]);
  }
  const [, perm] = lax.sort([a, iota], { dimension: dim, isStable: opts.stable ?? true, numKeys: 1 });
  return perm;
}
