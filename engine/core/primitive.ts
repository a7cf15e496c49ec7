// A Primitive is one place holding every rule of an operation, as in Autodidax: its abstract
// evaluation (shapes, dtypes, weak types, errors), its elementwise formulas when it is pointwise
// (a JS scalar function for the cpu backend, a WGSL expression for webgpu — data that fused kernels
// are later built from), and, as transformations arrive, its jvp / transpose / batching rules.
// Non-elementwise kernels live in each backend's table of kernels, keyed by primitive name.

import type { DType } from './dtype.js';
import type { ShapedArray } from './aval.js';

export type Params = Record<string, unknown>;

export interface ElementwiseContext {
  /** Dtypes of the operands, in order. */
  inDtypes: DType[];
  /** Dtype of the result. */
  outDtype: DType;
  params: Params;
}

/**
 * Pointwise formulas. `cpu` returns a JS function on numbers computed in double precision (the cpu
 * backend rounds to the output dtype when storing). `wgsl` returns a WGSL expression over the operand
 * expressions, in the *compute* type of each dtype (f16 is computed in f32, bool as WGSL bool);
 * helper functions it calls are listed by name in `wgslHelpers` and defined once per shader.
 */
export interface ElementwiseRule {
  cpu(ctx: ElementwiseContext): (...xs: number[]) => number;
  wgsl(ctx: ElementwiseContext, ...xs: string[]): string;
  wgslHelpers?: (ctx: ElementwiseContext) => string[];
}

export interface PrimitiveDef<P extends Params = Params> {
  name: string;
  /** Shapes, dtypes and weak types of the results; throws a TypeError naming the primitive on bad input. */
  abstractEval(avals: ShapedArray[], params: P): ShapedArray[];
  /** True when bind returns a list (multiple results), as JAX's `multiple_results`. */
  multipleResults?: boolean;
  elementwise?: ElementwiseRule;
}

export class Primitive<P extends Params = Params> {
  readonly name: string;
  readonly multipleResults: boolean;
  readonly abstractEval: (avals: ShapedArray[], params: P) => ShapedArray[];
  readonly elementwise?: ElementwiseRule;
  constructor(def: PrimitiveDef<P>) {
    this.name = def.name;
    this.multipleResults = def.multipleResults ?? false;
    this.abstractEval = def.abstractEval;
    this.elementwise = def.elementwise;
  }
  toString(): string { return this.name; }
}

/** Every primitive by its lax name. */
export const primitives = new Map<string, Primitive<any>>();

export function definePrimitive<P extends Params = Params>(def: PrimitiveDef<P>): Primitive<P> {
  if (primitives.has(def.name)) throw new Error(`primitive ${def.name} is defined twice`);
  const p = new Primitive<P>(def);
  primitives.set(def.name, p);
  return p;
}
