// A Primitive is one place holding every rule of an operation, as in Autodidax: its abstract
// evaluation (shapes, dtypes, weak types, errors), its elementwise formulas when it is pointwise
// (a JS scalar function for the cpu backend, a WGSL expression for webgpu — data that fused kernels
// are later built from), and, as transformations arrive, its jvp / transpose / batching rules.
// Non-elementwise kernels live in each backend's table of kernels, keyed by primitive name.

import type { DType } from './dtype.js';
import type { ShapedArray } from './aval.js';
import type { ArrayBase } from './array_base.js';
import type { Zero, UndefinedPrimal } from './ad_util.js';

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

/**
 * Forward-mode rule: primal outputs and their tangents. A tangent may be a symbolic `Zero`; rules
 * should return `Zero` where the output tangent is structurally zero.
 */
export type JvpRule<P = Params> = (primals: ArrayBase[], tangents: (ArrayBase | Zero)[], params: P) => [ArrayBase[], (ArrayBase | Zero)[]];
/**
 * Transpose rule of a primitive linear in its `UndefinedPrimal` arguments: cotangents of the outputs
 * (possibly `Zero`) → cotangents of each argument (`null` for arguments that are not linear inputs).
 */
export type TransposeRule<P = Params> = (cts: (ArrayBase | Zero)[], args: (ArrayBase | UndefinedPrimal)[], params: P) => (ArrayBase | Zero | null)[];
/** Batching rule: arguments with their batch dimension (`null` = not batched) → outputs and theirs. */
export type BatchRule<P = Params> = (args: ArrayBase[], dims: (number | null)[], params: P) => [ArrayBase[], (number | null)[]];

export class Primitive<P extends Params = Params> {
  readonly name: string;
  readonly multipleResults: boolean;
  readonly abstractEval: (avals: ShapedArray[], params: P) => ShapedArray[];
  readonly elementwise?: ElementwiseRule;
  /** Transformation rules, attached beside the definition with defineJvp/defineTranspose/defineBatch. */
  jvp?: JvpRule<P>;
  transpose?: TransposeRule<P>;
  batch?: BatchRule<P>;
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

export function defineJvp<P extends Params>(p: Primitive<P>, rule: JvpRule<P>): void {
  if (p.jvp) throw new Error(`jvp rule of ${p.name} is defined twice`);
  p.jvp = rule;
}
export function defineTranspose<P extends Params>(p: Primitive<P>, rule: TransposeRule<P>): void {
  if (p.transpose) throw new Error(`transpose rule of ${p.name} is defined twice`);
  p.transpose = rule;
}
export function defineBatch<P extends Params>(p: Primitive<P>, rule: BatchRule<P>): void {
  if (p.batch) throw new Error(`batching rule of ${p.name} is defined twice`);
  p.batch = rule;
}

export function definePrimitive<P extends Params = Params>(def: PrimitiveDef<P>): Primitive<P> {
  if (primitives.has(def.name)) throw new Error(`primitive ${def.name} is defined twice`);
  const p = new Primitive<P>(def);
  primitives.set(def.name, p);
  return p;
}
