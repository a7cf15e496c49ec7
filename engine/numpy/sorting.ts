// Sorting with the sort primitive: sort, argsort (sort of (keys, iota)), and the order statistics
// built on them.

import type { Array } from '../core/array.js';
import { normalizeAxis } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { type ArrayLike, asArray } from './coerce.js';
import { ravel } from './shape_ops.js';
import { stagedJnp } from './staged.js';

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
  return sortStaged(asArray(x, {}, 'sort'), opts.axis === undefined ? -1 : opts.axis, opts.stable ?? true, opts.descending ?? false);
}
const sortStaged = stagedJnp('sort', (x: Array, axis: number | null, stable: boolean, descending: boolean): Array => {
  const [a, dim] = sortAxis('sort', x, axis);
  const sorted = lax.sort(a, { dimension: dim, isStable: stable });
  return descending ? lax.rev(sorted, [dim]) : sorted;
}, { staticArgnums: [1, 2, 3] });

/** The indices that sort the array (stable: equal values keep their order, also when descending). */
export function argsort(x: ArrayLike, opts: SortOptions = {}): Array {
  return argsortStaged(asArray(x, {}, 'argsort'), opts.axis === undefined ? -1 : opts.axis, opts.stable ?? true, opts.descending ?? false);
}
const argsortStaged = stagedJnp('argsort', (x: Array, axis: number | null, stable: boolean, descending: boolean): Array => {
  let [a, dim] = sortAxis('argsort', x, axis);
  let iota = lax.broadcastedIota('int32', a.shape, dim);
  if (descending && stable) {
    // Reversing before and after a stable ascending sort gives a stable descending one.
    a = lax.rev(a, [dim]);
    iota = lax.rev(iota, [dim]);
  }
  const [, perm] = lax.sort([a, iota], { dimension: dim, isStable: stable, numKeys: 1 });
  return descending ? lax.rev(perm, [dim]) : perm;
}, { staticArgnums: [1, 2, 3] });
