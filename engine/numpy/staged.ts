// jax.numpy functions that JAX defines with `@jit` (not inlined) show in jaxprs as their own
// `jit[name=… jaxpr={…}]` equation: `jit[name=_where …]`, `jit[name=clip …]`, `jit[name=_var …]`.
// Tracelens stages the same functions the same way while a jaxpr is being built, so that jaxprs
// read as JAX's do; eagerly (and under other transformations) they simply run.
//
// JAX passes Python scalars to these jitted functions as weakly typed arguments: a Python float
// becomes `f32[]`, an int `i32[]`. JS has one number type, so a JS number is passed as a weak float
// when the call computes in floating point (an array operand or a number is fractional) — the
// `0.0` a Python user would have written — and as a weak int otherwise.

import { ArrayBase } from '../core/array_base.js';
import { defaultFloat, isFloat, scalarType } from '../core/dtype.js';
import { type StaticArgOptions, jitWhenStaging } from '../interpreters/jit.js';
import { scalarConstant } from '../lax/constants.js';

export { jitWhenStaging as stagedJnp };
export type { StaticArgOptions };

/** Whether a call on these operands computes in floating point. */
function floating(xs: readonly unknown[]): boolean {
  return xs.some((x) => (x instanceof ArrayBase ? isFloat(x.dtype) : typeof x === 'number' && !Number.isInteger(x)));
}

/**
 * The operands with JS scalars as the weakly typed rank-0 arrays JAX would make of Python scalars;
 * `others` are further operands of the call, looked at (not converted) to tell float from int.
 */
export function scalarOperands<T extends unknown[]>(xs: T, others: readonly unknown[] = []): T {
  const asFloat = floating([...xs, ...others]);
  return xs.map((x) => {
    if (typeof x === 'boolean') return scalarConstant(x, 'bool', false);
    if (typeof x !== 'number') return x;
    if (asFloat) return scalarConstant(x, defaultFloat(), true);
    const t = scalarType(x);
    return scalarConstant(x, t.dtype, t.weakType);
  }) as T;
}
