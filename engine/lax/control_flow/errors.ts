// Errors of the control-flow primitives' type checks, with JAX's names.

import type { ShapedArray } from '../../core/aval.js';

/** JAX's `jax.errors.JaxprTypeError`: a control-flow primitive bound with operands its jaxprs do not take. */
export class JaxprTypeError extends TypeError {
  constructor(message: string) { super(message); this.name = 'JaxprTypeError'; }
}

/** JAX's `_avals_short`: `float32[3] int32[]`. */
export function avalsShort(avals: readonly ShapedArray[]): string {
  return avals.map((a) => `${a.dtype}[${a.shape.join(',')}]`).join(' ');
}
