// The axis arithmetic that batching rules share (JAX's batching.moveaxis / bdim_at_front /
// broadcast / matchaxis / broadcast_batcher / reducer_batcher). A batch dimension is a number (the
// axis of the value that is mapped) or null (the value is the same for every batch element).
//
// This file imports only the core (primitives are looked up by name when a rule runs), so every
// family file of engine/lax can import it without an import cycle.

import type { ArrayBase } from '../core/array_base.js';
import { type BatchRule, type Params, type Primitive, primitives } from '../core/primitive.js';
import { bind, bind1 } from '../core/trace.js';
import { ValueError } from '../tree/errors.js';

export type BDim = number | null;

function prim(name: string): Primitive {
  const p = primitives.get(name);
  if (!p) throw new Error(`internal: primitive ${name} is not defined`);
  return p;
}

/** `axis` in [0, ndim), negative counting from the end; numpy's error otherwise. */
export function canonicalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ValueError(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** The size of the mapped axis, read off the first batched argument. */
export function batchSize(args: readonly ArrayBase[], dims: readonly BDim[]): number {
  const i = dims.findIndex((d) => d !== null);
  if (i < 0) throw new Error('internal: batching rule called with no batched argument');
  return args[i].shape[dims[i]!];
}

export function transposeBy(x: ArrayBase, permutation: number[]): ArrayBase {
  if (permutation.every((p, i) => p === i)) return x;
  return bind1(prim('transpose'), [x], { permutation });
}

/** JAX's util.moveaxis: axis `src` of x moved to position `dst` (a transpose). */
export function moveaxis(x: ArrayBase, src: number, dst: number): ArrayBase {
  const s = canonicalizeAxis(src, x.ndim), d = canonicalizeAxis(dst, x.ndim);
  if (s === d) return x;
  const perm = [...Array(x.ndim).keys()].filter((i) => i !== s);
  perm.splice(d, 0, s);
  return transposeBy(x, perm);
}

export function broadcastInDim(x: ArrayBase, shape: number[], broadcastDimensions: number[]): ArrayBase {
  return bind1(prim('broadcast_in_dim'), [x], { shape, broadcast_dimensions: broadcastDimensions, sharding: null });
}

/** JAX's batching.broadcast: a new axis of `size` inserted at `axis`. */
export function broadcastAt(x: ArrayBase, size: number, axis: number): ArrayBase {
  const shape = [...x.shape];
  shape.splice(axis, 0, size);
  const dims = [...Array(shape.length).keys()].filter((i) => i !== axis);
  return broadcastInDim(x, shape, dims);
}

/** JAX's bdim_at_front: the batch axis moved to the front, or made there (broadcast) when unbatched. */
export function bdimAtFront(x: ArrayBase, bdim: BDim, size: number): ArrayBase {
  return bdim === null ? broadcastAt(x, size, 0) : moveaxis(x, bdim, 0);
}

/** Batch dim moved to `to` (or broadcast there when unbatched). */
export function bdimAt(x: ArrayBase, bdim: BDim, size: number, to: number): ArrayBase {
  return bdim === null ? broadcastAt(x, size, to) : moveaxis(x, bdim, to);
}

/** Thrown by matchaxis when a batched output is asked to be unbatched (out_axes None). */
export class SpecMatchError extends Error {
  constructor(readonly src: BDim, readonly dst: BDim) { super('spec mismatch'); }
}

/** JAX's matchaxis: x (batched at `src`) with its batch axis at `dst`. */
export function matchaxis(size: number, src: BDim, dst: BDim, x: ArrayBase): ArrayBase {
  if (src === dst) return x;
  if (src !== null && dst !== null) return moveaxis(x, src, dst);
  if (src === null && dst !== null) return broadcastAt(x, size, canonicalizeAxis(dst, x.ndim + 1));
  throw new SpecMatchError(src, dst);
}

/** `lax.expand_dims(x, range(ndim(x), nd))` as broadcast_in_dim, as JAX's _handle_scalar_broadcasting. */
function trailingOnes(x: ArrayBase, nd: number): ArrayBase {
  if (x.ndim === nd) return x;
  const shape = [...x.shape, ...new Array<number>(nd - x.ndim).fill(1)];
  return broadcastInDim(x, shape, [...Array(x.ndim).keys()]);
}

/**
 * JAX's broadcast_batcher, the rule of every pointwise primitive: operands that agree on shape and
 * batch dim (rank-0 operands aside) run as they are; otherwise batch dims move to the front, unbatched
 * operands get a size-1 leading axis, and lower-rank batched operands get trailing size-1 axes, so
 * the primitive's own broadcasting of size-1 and rank-0 operands does the rest.
 */
export function broadcastBatcher<P extends Params>(p: Primitive<P>): BatchRule<P> {
  return (args, dims, params) => {
    const i = dims.findIndex((d) => d !== null);
    const shape = args[i].shape.join(), dim = dims[i];
    const agree = args.every((x, k) => x.ndim === 0 || (x.shape.join() === shape && dims[k] === dim));
    if (agree) {
      const outs = bind(p, [...args], params);
      return [outs, outs.map(() => dim)];
    }
    let xs = args.map((x, k) => (x.ndim ? bdimAtFront(x, dims[k], 1) : x));
    const nd = Math.max(...xs.map((x) => x.ndim));
    xs = xs.map((x, k) => (dims[k] === null ? x : trailingOnes(x, nd)));
    const outs = bind(p, xs, params);
    return [outs, outs.map(() => 0)];
  };
}

/** A rule for a one-operand primitive that works on any layout: the output is batched where the input is. */
export function vectorizedBatcher<P extends Params>(p: Primitive<P>): BatchRule<P> {
  return ([x], [d], params) => {
    const outs = bind(p, [x], params);
    return [outs, outs.map(() => d)];
  };
}

/** JAX's reducer_batcher: reduction axes shifted past the batch dim; the output batch dim follows. */
export function reducerBatcher<P extends Params & { axes: number[] }>(p: Primitive<P>): BatchRule<P> {
  return ([x], [bdim], params) => {
    const b = bdim!;
    const axes = params.axes.map((a) => (a < b ? a : a + 1));
    const kept = [...Array(x.ndim).keys()].filter((i) => !axes.includes(i));
    return [[bind1(p, [x], { ...params, axes })], [kept.indexOf(b)]];
  };
}

// Rank-0 constants (a zero, a `true`) for rules that need them. The maker lives in engine/lax, which
// this file must not import (cycle); batching.ts installs it when the engine loads.
type ScalarMaker = (value: number | boolean, dtype: import('../core/dtype.js').DType) => ArrayBase;
let scalarMaker: ScalarMaker | null = null;
export function installScalarMaker(make: ScalarMaker): void { scalarMaker = make; }
export function scalar(value: number | boolean, dtype: import('../core/dtype.js').DType): ArrayBase {
  if (!scalarMaker) throw new Error('internal: batching rules used before the engine was loaded');
  return scalarMaker(value, dtype);
}

/** `lax.concatenate` (a single operand is returned as is). */
export function concatenateAlong(xs: ArrayBase[], dimension: number): ArrayBase {
  return xs.length === 1 ? xs[0] : bind1(prim('concatenate'), xs, { dimension });
}
