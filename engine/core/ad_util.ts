// Values that only exist inside transformations: symbolic zero tangents/cotangents (so unused
// inputs cost nothing, as JAX's `ad_util.Zero`) and the undefined primal a transpose rule sees in
// place of a linear input (JAX's `ad.UndefinedPrimal`).

import type { ShapedArray } from './aval.js';

/** A tangent or cotangent known to be all zeros, of this abstract value. */
export class Zero {
  /** A brand, so that an ArrayBase (which also has an aval) is never mistaken for a Zero by the type checker. */
  readonly symbolicZero = true as const;
  constructor(readonly aval: ShapedArray) {}
  toString(): string { return `Zero(${this.aval.strShort()})`; }
}
export const isZero = (x: unknown): x is Zero => x instanceof Zero;

/** A linear input of a primitive being transposed: only its abstract value is known. */
export class UndefinedPrimal {
  readonly undefinedPrimal = true as const;
  constructor(readonly aval: ShapedArray) {}
  toString(): string { return `UndefinedPrimal(${this.aval.strShort()})`; }
}
export const isUndefinedPrimal = (x: unknown): x is UndefinedPrimal => x instanceof UndefinedPrimal;
