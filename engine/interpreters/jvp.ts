// Forward-mode differentiation: the JVP interpreter (Autodidax's JVPTrace), with JAX's symbolic
// zeros so that inputs nothing depends on cost nothing, and the helpers primitives use to state their
// JVP rules (JAX's `ad.defjvp`, `defjvp2`, `deflinear`, `defbilinear`, `defjvp_zero`).
//
// A JVPTracer carries a primal and a tangent. The primal lives one level down (a concrete array or
// a tracer of an enclosing transformation); the tangent too, or is a `Zero`. Processing a primitive
// whose tangents are all Zero just binds it on the primals (no JVPTracer comes out), as JAX does.
//
// Tangents of non-float values: JAX gives them the dtype `float0` (no data). Tracelens has no such
// dtype; a tangent of an integer or boolean value is always a symbolic Zero inside the machinery,
// and where one must be materialized for the user (grad with allowInt, vjp w.r.t. an integer input)
// it is a **bool array of zeros (false) of the primal's shape** — the `float0` stand-in (see FLOAT0).
//
// This module imports only the core: primitive files import it at their top level to register
// their rules, and the few primitives it binds itself are looked up by name when first used.

import { ArrayBase } from '../core/array_base.js';
import { ShapedArray } from '../core/aval.js';
import { type DType, isFloat } from '../core/dtype.js';
import { Zero, isZero } from '../core/ad_util.js';
import { type Params, type Primitive, type TransposeRule, definePrimitive, defineJvp, defineTranspose, primitives } from '../core/primitive.js';
import { MainTrace, Trace, Tracer, bind, bind1, topMainTrace, withMainTrace } from '../core/trace.js';
import { hostScalar } from './partial_eval.js';
import { elementwiseShape } from '../lax/primitives/rules.js';
import { flatten, unflatten } from '../tree/flatten.js';
import type { PyTreeDef } from '../tree/treedef.js';
import { scalarConstant } from '../lax/constants.js';

export { Zero, isZero };
export type Tangent = ArrayBase | Zero;

/** The dtype standing for JAX's `float0` (the tangent dtype of integer and boolean values). */
export const FLOAT0: DType = 'bool';

/** JAX's `aval.to_tangent_aval()`: floats keep their aval; integers and booleans get FLOAT0. */
export function tangentAval(aval: ShapedArray): ShapedArray {
  return isFloat(aval.dtype) ? aval : new ShapedArray(aval.shape, FLOAT0, false);
}

/** True when values of this aval have real tangents (floating dtypes). */
export function hasTangent(aval: ShapedArray): boolean { return isFloat(aval.dtype); }

/** `Zero.from_primal_value`: the symbolic zero tangent of a primal. */
export function zeroTangentOf(x: ArrayBase | ShapedArray): Zero { return new Zero(tangentAval(x instanceof ShapedArray ? x : x.aval)); }

/** A primitive by its lax name, looked up when a rule runs (rules of one family use other families' primitives). */
export function primitiveNamed(name: string): Primitive<any> { return prim(name); }
function prim(name: string): Primitive<any> {
  const p = primitives.get(name);
  if (!p) throw new Error(`tracelens internal error: primitive ${name} is not loaded`);
  return p;
}

/**
 * JAX's `zeros_like_aval`: `broadcast_in_dim` of a scalar zero (the literal itself for rank 0), of
 * the aval's dtype and weak type.
 */
export function zerosLikeAval(aval: ShapedArray): ArrayBase {
  const zero = scalarConstant(0, aval.dtype, aval.weakType);
  if (aval.ndim === 0) return zero;
  return bind1(prim('broadcast_in_dim'), [zero], { shape: [...aval.shape], broadcast_dimensions: [], sharding: null });
}

/** A tangent as an array: a Zero becomes actual zeros. */
export function instantiateZeros(t: Tangent): ArrayBase {
  return isZero(t) ? zerosLikeAval(t.aval) : t;
}

// ---- add_any: the sum of tangents / cotangents (JAX's add_jaxvals_p) -----------------------------

/** Adds two tangents of the same aval; prints `add_any` in jaxprs as JAX does. */
export const add_any = definePrimitive({
  name: 'add_any',
  abstractEval([x, y]) {
    elementwiseShape('add_any', [x, y]);
    return [x];
  },
  elementwise: {
    cpu: (c) => (c.outDtype === 'float16' ? (a: number, b: number) => Math.fround(a + b) : (a: number, b: number) => a + b),
    wgsl: (_c, a, b) => `(${a} + ${b})`,
  },
});

/** JAX's `add_tangents`: Zero-aware sum, binding `add_any` only when both are nonzero. */
export function addTangents(x: Tangent, y: Tangent): Tangent {
  if (isZero(x)) return y;
  if (isZero(y)) return x;
  return bind1(add_any, [x, y]);
}

// ---- the JVP interpreter ---------------------------------------------------------------------------

export class JVPTracer extends Tracer {
  readonly aval: ShapedArray;
  constructor(readonly trace: JVPTrace, readonly primal: ArrayBase, readonly tangent: Tangent) {
    super();
    this.aval = primal.aval;
  }
  override fullLower(): ArrayBase {
    if (isZero(this.tangent)) return this.primal instanceof Tracer ? this.primal.fullLower() : this.primal;
    return this;
  }
  override concreteValue(): number | boolean | null {
    if (this.primal instanceof Tracer) return this.primal.concreteValue();
    return hostScalar(this.primal);
  }
  override originMessage(): string { return this.primal instanceof Tracer ? this.primal.originMessage() : ''; }
}

export class JVPTrace extends Trace {
  pure(x: ArrayBase): JVPTracer { return new JVPTracer(this, x, zeroTangentOf(x)); }

  /** `(primal, tangent)` of a value met by this trace. */
  toPrimalTangent(x: ArrayBase): [ArrayBase, Tangent] {
    if (x instanceof JVPTracer && x.trace.main === this.main) return [x.primal, x.tangent];
    return [x, zeroTangentOf(x)];
  }

  processPrimitive(p: Primitive, tracers: ArrayBase[], params: Params): ArrayBase[] {
    const pairs = tracers.map((t) => this.toPrimalTangent(t));
    const primalsIn = pairs.map((pt) => pt[0]);
    const tangentsIn = pairs.map((pt) => pt[1]);
    if (tangentsIn.every(isZero)) return bind(p, primalsIn, params);
    if (!p.jvp) throw new NotImplementedError(`Differentiation rule for '${p.name}' not implemented`);
    const [primalsOut, tangentsOut] = p.jvp(primalsIn, tangentsIn, params);
    return primalsOut.map((x, i) => this.maybeTracer(x, tangentsOut[i]));
  }

  /** JAX's `maybe_jvp_tracer`: a value with a Zero tangent leaves the trace. */
  maybeTracer(primal: ArrayBase, tangent: Tangent): ArrayBase {
    if (isZero(tangent)) return primal;
    if (tangent.shape.join() !== primal.shape.join()) {
      throw new TypeError(`internal: a JVP rule returned a tangent of shape [${tangent.shape}] for a primal of shape [${primal.shape}]`);
    }
    return new JVPTracer(this, primal, tangent);
  }
}

/** Python's NotImplementedError, raised for a primitive with no differentiation rule. */
export class NotImplementedError extends Error {
  constructor(message: string) { super(message); this.name = 'NotImplementedError'; }
}

/**
 * Flat forward mode: runs `fn` on JVP tracers of (primals, tangents) and returns the output
 * primals and tangents (tangents Zero where nothing flowed, unless `instantiate`).
 */
export function jvpFlat(
  fn: (...xs: ArrayBase[]) => ArrayBase[], primals: ArrayBase[], tangents: Tangent[], opts: { instantiate?: boolean } = {},
): [ArrayBase[], Tangent[]] {
  return withMainTrace(JVPTrace, null, (main: MainTrace) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i) => (isZero(tangents[i]) ? p : new JVPTracer(trace, p, tangents[i])));
    const outs = fn(...ins);
    const pairs = outs.map((o) => trace.toPrimalTangent(o));
    const tOut = pairs.map((pt) => (opts.instantiate ? instantiateZeros(pt[1]) : pt[1]));
    return [pairs.map((pt) => pt[0]), tOut];
  });
}

/** Leaves of a pytree argument that must be arrays; JS numbers become weakly typed f32 scalars. */
export function arrayLeaf(x: unknown, api: string, what: string): ArrayBase {
  if (x instanceof ArrayBase) return x;
  if (typeof x === 'number') return scalarConstant(x, 'float32', true);
  if (typeof x === 'boolean') return scalarConstant(x, 'bool', true);
  throw new TypeError(`${api}: ${what} must be arrays or JS numbers, got ${x === null ? 'null' : typeof x}.`);
}

/** A Zero for tangents of non-float primals; otherwise the tangent array, checked against its primal. */
function checkTangent(p: ArrayBase, t: ArrayBase, i: number): Tangent {
  if (!hasTangent(p.aval)) return zeroTangentOf(p);
  if (p.shape.join() !== t.shape.join()) {
    throw new TypeError(`jvp called with different primal and tangent shapes;Got primal shape [${p.shape}] and tangent shape as [${t.shape}] (argument ${i}).`);
  }
  if (p.dtype !== t.dtype) {
    throw new TypeError(`primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal dtype the tangent dtype must be float0.Got primal dtype ${p.dtype} and so expected tangent dtype ${p.dtype}, but got tangent dtype ${t.dtype} instead.`);
  }
  return t;
}

/**
 * `jvp(f, primals, tangents)` → `[primalsOut, tangentsOut]` (`[…, aux]` with `{hasAux: true}`):
 * the value of `f(...primals)` and its directional derivative along `tangents`. `primals` and
 * `tangents` are lists of the positional arguments, pytrees of the same structure.
 */
export function jvp(f: (...args: any[]) => any, primals: readonly unknown[], tangents: readonly unknown[], opts: { hasAux?: boolean } = {}): any[] {
  if (!globalThis.Array.isArray(primals) || !globalThis.Array.isArray(tangents)) {
    throw new TypeError(`primal and tangent arguments to jax.jvp must be tuples or lists; found ${globalThis.Array.isArray(primals) ? typeof tangents : typeof primals}.`);
  }
  const [pLeaves, pTree] = flatten(primals);
  const [tLeaves, tTree] = flatten(tangents);
  if (pTree.key !== tTree.key) {
    throw new TypeError(`primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure ${pTree} whereas tangents have tree structure ${tTree}.`);
  }
  const ps = pLeaves.map((x) => arrayLeaf(x, 'jvp', 'primals'));
  const ts = tLeaves.map((x, i) => checkTangent(ps[i], arrayLeaf(x, 'jvp', 'tangents'), i));
  let outTree: PyTreeDef | null = null;
  let aux: unknown;
  const flatFn = (...xs: ArrayBase[]): ArrayBase[] => {
    const args = unflatten(pTree, xs) as unknown[];
    let out = f(...args);
    if (opts.hasAux) {
      if (!globalThis.Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`expected function with aux output to return a two-element tuple, but got ${describeValue(out)}.`);
      }
      aux = stripAux(out[1]);
      out = out[0];
    }
    const [leaves, tree] = flatten(out);
    outTree = tree;
    return leaves.map((x) => arrayLeaf(x, 'jvp', 'outputs of the differentiated function'));
  };
  const [po, to] = jvpFlat(flatFn, ps, ts, { instantiate: true });
  const res = [unflatten(outTree!, po), unflatten(outTree!, to)];
  if (opts.hasAux) res.push(aux);
  return res;
}

/**
 * The auxiliary output of a function being differentiated, without this transformation's tracers
 * (JAX's `_strip_tracer`): called while the function's JVP trace is the innermost one.
 */
export function stripAux(aux: unknown): unknown {
  const main = topMainTrace();
  const [leaves, tree] = flatten(aux);
  return unflatten(tree, leaves.map((x) => (x instanceof JVPTracer && x.trace.main === main ? x.primal : x)));
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (globalThis.Array.isArray(x)) return `a list of length ${x.length}`;
  if (x instanceof ArrayBase) return `an array of shape [${x.shape}]`;
  return typeof x === 'object' ? `an object (${(x as object).constructor?.name ?? 'Object'})` : `a ${typeof x}`;
}

// ---- rule-writing helpers (JAX's ad.defjvp and friends) -------------------------------------------

/** One argument's JVP rule for `defjvp`: `(g, ...primals, params) => tangent` (g never a Zero). */
export type ArgJvpRule = (g: ArrayBase, ...primalsAndParams: any[]) => Tangent;
/** One argument's JVP rule for `defjvp2`: `(g, ans, ...primals, params) => tangent`. */
export type ArgJvpRule2 = (g: ArrayBase, ans: ArrayBase, ...primalsAndParams: any[]) => Tangent;

/**
 * JAX's `ad.defjvp(prim, *rules)`: the primitive's output, and the sum (`add_any`) of the
 * per-argument rules applied to the nonzero tangents; `null` for arguments with no tangent.
 */
export function defjvp<P extends Params>(p: Primitive<P>, ...rules: (ArgJvpRule | null)[]): void {
  defineJvp(p, (primals, tangents, params) => {
    const out = bind1(p, primals, params);
    // Every rule first, then the sum, as JAX's standard_jvp (the order of the equations).
    const terms = rules.flatMap((rule, i) => (rule && !isZero(tangents[i]) ? [rule(tangents[i] as ArrayBase, ...primals, params)] : []));
    return [[out], [terms.reduce(addTangents, zeroTangentOf(out))]];
  });
}

/** JAX's `ad.defjvp2`: like defjvp, with the primitive's output passed to each rule after `g`. */
export function defjvp2<P extends Params>(p: Primitive<P>, ...rules: (ArgJvpRule2 | null)[]): void {
  defineJvp(p, (primals, tangents, params) => {
    const out = bind1(p, primals, params);
    const terms = rules.flatMap((rule, i) => (rule && !isZero(tangents[i]) ? [rule(tangents[i] as ArrayBase, out, ...primals, params)] : []));
    return [[out], [terms.reduce(addTangents, zeroTangentOf(out))]];
  });
}

/** JAX's `linear_jvp`: the primitive applied to the tangents (zeros instantiated), Zero if all are. */
export function linearJvp<P extends Params>(p: Primitive<P>) {
  return (primals: ArrayBase[], tangents: Tangent[], params: P): [ArrayBase[], Tangent[]] => {
    const outs = bind(p, primals, params);
    if (tangents.every(isZero)) return [outs, outs.map(zeroTangentOf)];
    return [outs, bind(p, tangents.map(instantiateZeros), params)];
  };
}

/**
 * JAX's `ad.deflinear2(prim, transpose)`: a primitive linear in all its arguments. Its JVP applies it
 * to the tangents; its transpose (when given) maps the output cotangent, never a Zero, to the
 * arguments' cotangents; a Zero cotangent transposes to Zero for every argument.
 */
export function defLinear<P extends Params>(p: Primitive<P>, transpose?: (ct: ArrayBase, args: ArrayBase[] | any[], params: P) => (Tangent | null)[]): void {
  defineJvp(p, linearJvp(p));
  if (transpose) {
    defineTranspose(p, ((cts, args, params) => {
      if (isZero(cts[0])) return args.map((a) => (a instanceof ArrayBase ? null : new Zero((a as { aval: ShapedArray }).aval)));
      return transpose(cts[0], args, params);
    }) as TransposeRule<P>);
  }
}

/**
 * JAX's `ad.defbilinear(prim, lhsRule, rhsRule)`: JVP `prim(tx, y) + prim(x, ty)`; the transpose
 * calls `lhsRule(ct, x, y, params)` when x is the linear input, `rhsRule` when y is.
 */
export function defbilinear<P extends Params>(
  p: Primitive<P>,
  lhsRule: (ct: ArrayBase, x: any, y: any, params: P) => Tangent,
  rhsRule: (ct: ArrayBase, x: any, y: any, params: P) => Tangent,
): void {
  defjvp(p,
    (g, _x, y, params) => bind1(p, [g, y], params),
    (g, x, _y, params) => bind1(p, [x, g], params));
  defineTranspose(p, ((cts, [x, y], params) => {
    const ct = cts[0];
    const xLinear = !(x instanceof ArrayBase);
    if (isZero(ct)) return xLinear ? [new Zero((x as { aval: ShapedArray }).aval), null] : [null, new Zero((y as { aval: ShapedArray }).aval)];
    return xLinear ? [lhsRule(ct, x, y, params), null] : [null, rhsRule(ct, x, y, params)];
  }) as TransposeRule<P>);
}

/** JAX's `ad.defjvp_zero`: outputs whose tangent is always zero (integer results, comparisons). */
export function defjvpZero<P extends Params>(p: Primitive<P>): void {
  defineJvp(p, (primals, _tangents, params) => {
    const outs = bind(p, primals, params);
    return [outs, outs.map(zeroTangentOf)];
  });
}

// add_any is linear: its tangent is add_any of the tangents, its transpose copies the cotangent.
defineJvp(add_any, (primals, [tx, ty]) => [[bind1(add_any, primals)], [addTangents(tx, ty)]]);
defineTranspose(add_any, (cts, args) => args.map((a) => (a instanceof ArrayBase ? null : cts[0])));
