// JAX's `empty2` (lax.empty2) and `ad_util.empty_like_aval`: a value whose contents do not matter,
// which JAX's cond partial evaluation puts in the residual slots a branch does not fill (the
// unknown branch of that index never reads them). JAX lowers it to zeros, and so does Tracelens;
// it exists so that `makeJaxpr(grad(f))` through a cond prints as JAX prints it.

import type { Array } from '../../core/array.js';
import { ShapedArray } from '../../core/aval.js';
import type { DType } from '../../core/dtype.js';
import { definePrimitive } from '../../core/primitive.js';
import { bind1 } from '../../core/trace.js';
import type { ArrayBase } from '../../core/array_base.js';
import { registerEvalImpl } from '../../interpreters/eval.js';
import { scalarConstant } from '../constants.js';
import { broadcastInDim } from '../index.js';

export interface Empty2Params { dtype: DType; memory_space: string; [k: string]: unknown }

export const empty2_p = definePrimitive<Empty2Params>({
  name: 'empty2',
  abstractEval(avals, { dtype }) {
    if (avals.length !== 0) throw new TypeError(`empty2 takes no operands, got ${avals.length}`);
    return [new ShapedArray([], dtype)];
  },
});

registerEvalImpl(empty2_p, (_args, { dtype }) => [scalarConstant(0, (dtype as DType), false) as Array]);

/** `ad_util.empty_like_aval`: `empty2` broadcast to the aval's shape. */
export function emptyLikeAval(aval: ShapedArray): ArrayBase {
  const scalar = bind1(empty2_p, [], { dtype: aval.dtype, memory_space: 'MemorySpace.Device' });
  return aval.ndim === 0 ? scalar : broadcastInDim(scalar, aval.shape, []);
}
