// Reductions, arg-reductions and cumulative reductions.

import { ShapedArray } from '../../core/aval.js';
import { type DType, checkDType, isBool } from '../../core/dtype.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';
import { checkDTypeClass, type DTypeClass } from './rules.js';

function checkAxes(prim: string, x: ShapedArray, axes: number[]) {
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.ndim) || new Set(axes).size !== axes.length) {
    throw new RangeError(`${prim}: reduction axes ${shapeStr(axes)} contains out-of-bounds or repeated indices for ${x.strShort()}; ` +
      `use axes in [0, ${x.ndim}).`);
  }
}

function reducer(name: string, classes: DTypeClass[]) {
  return definePrimitive<{ axes: number[]; out_sharding?: null }>({
    name,
    abstractEval([x], { axes }) {
      checkDTypeClass(name, [x], classes);
      checkAxes(name, x, axes);
      return [new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), x.dtype, x.weakType)];
    },
  });
}
const NUM: DTypeClass[] = ['integer', 'floating'];
export const reduce_sum = reducer('reduce_sum', NUM);
export const reduce_prod = reducer('reduce_prod', NUM);
export const reduce_max = reducer('reduce_max', ['any']);
export const reduce_min = reducer('reduce_min', ['any']);
export const reduce_and = reducer('reduce_and', ['bool', 'integer']);
export const reduce_or = reducer('reduce_or', ['bool', 'integer']);

/** argmax/argmin[axes=(k,), index_dtype]: the first index of the extreme value; NaN counts as extreme, as in JAX. */
function argReducer(name: string) {
  return definePrimitive<{ axes: number[]; index_dtype: DType }>({
    name,
    abstractEval([x], { axes, index_dtype }) {
      checkAxes(name, x, axes);
      if (axes.length !== 1) throw new TypeError(`${name} only supports a single axis, got axes ${shapeStr(axes)}.`);
      if (x.shape[axes[0]] === 0) throw new RangeError(`${name} of an empty axis: attempt to get ${name} of an empty sequence.`);
      return [new ShapedArray(x.shape.filter((_, i) => i !== axes[0]), checkDType(index_dtype, name), false)];
    },
  });
}
export const argmax = argReducer('argmax');
export const argmin = argReducer('argmin');

function cumulative(name: string) {
  return definePrimitive<{ axis: number; reverse: boolean }>({
    name,
    abstractEval([x], { axis }) {
      if (axis < 0 || axis >= x.ndim) throw new RangeError(`${name}: axis ${axis} is out of bounds for array of dimension ${x.ndim}.`);
      if (name !== 'cummax' && name !== 'cummin' && isBool(x.dtype)) throw new TypeError(`${name} does not accept dtype bool; cast to int32 first.`);
      return [x];
    },
  });
}
export const cumsum = cumulative('cumsum');
export const cumprod = cumulative('cumprod');
export const cummax = cumulative('cummax');
export const cummin = cumulative('cummin');


// ---- batching rules ----------------------------------------------------------------------------
// Reductions and arg-reductions: JAX's reducer_batcher (axes shifted past the batch dim); cumulative
// reductions keep the batch dim and shift their axis (JAX's _cumred_batch_rule).
import { defineBatch } from '../../core/primitive.js';
import { bind1 as bindPrim } from '../../core/trace.js';
import { reducerBatcher } from '../../interpreters/batching_util.js';

for (const p of [reduce_sum, reduce_prod, reduce_max, reduce_min, reduce_and, reduce_or]) defineBatch(p, reducerBatcher(p));
for (const p of [argmax, argmin]) defineBatch(p, reducerBatcher(p));
for (const p of [cumsum, cumprod, cummax, cummin]) {
  defineBatch(p, ([x], [d], { axis, reverse }) => [[bindPrim(p, [x], { axis: axis < d! ? axis : axis + 1, reverse })], [d]]);
}

// ---- JVP and transpose rules -------------------------------------------------------------------
// JAX's rules (lax.py): reduce_sum and cumsum are linear; max/min pass the tangent of the chosen
// elements (shared equally between ties); prod differentiates a tree of pairwise products;
// index-valued and boolean reductions have zero tangents.
import { defineJvp as defineJvpRule } from '../../core/primitive.js';
import type { ArrayBase } from '../../core/array_base.js';
import { bind1 as bindAd } from '../../core/trace.js';
import { UndefinedPrimal } from '../../core/ad_util.js';
import { defLinear, defjvp2, defjvpZero, jvpFlat, primitiveNamed } from '../../interpreters/jvp.js';
import { broadcastInDimAd, reduceSumAd } from './shape_ops.js';
import { scalarConstant } from '../constants.js';

const axesRange = (n: number) => [...Array(n).keys()];

defLinear(reduce_sum, (ct, [operand], { axes }) => {
  const shape = (operand as UndefinedPrimal).aval.shape;
  return [broadcastInDimAd(ct, shape, axesRange(shape.length).filter((d) => !axes.includes(d)))];
});

/** JAX's _reduce_chooser_jvp_rule. */
function chooserJvp(g: ArrayBase, ans: ArrayBase, operand: ArrayBase, { axes }: { axes: number[] }): ArrayBase {
  const shape = operand.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const reshaped = ans.shape.join() === shape.join() ? ans : bindAd(primitiveNamed('reshape'), [ans], { new_sizes: shape, dimensions: null, sharding: null });
  const eq = bindAd(primitiveNamed('eq'), [operand, reshaped]);
  const locations = bindAd(primitiveNamed('convert_element_type'), [eq], { new_dtype: g.dtype, weak_type: false, sharding: null });
  const counts = reduceSumAd(locations, axes);
  return bindAd(primitiveNamed('div'), [reduceSumAd(bindAd(primitiveNamed('mul'), [g, locations]), axes), counts]);
}
defjvp2(reduce_max, chooserJvp);
defjvp2(reduce_min, chooserJvp);

for (const p of [argmax, argmin]) defjvpZero(p);
for (const p of [reduce_and, reduce_or]) defjvpZero(p);

// cumsum is linear; its transpose sums the cotangent the other way along the axis.
defLinear(cumsum, (ct, _args, { axis, reverse }) => [bindAd(cumsum, [ct], { axis, reverse: !reverse })]);

/** JAX's _reduce_prod_jvp_rule: the JVP of a tree of pairwise products over the reduced axes. */
defineJvpRule(reduce_prod, ([x], [t], { axes }) => {
  const nonAxes = axesRange(x.ndim).filter((d) => !axes.includes(d));
  const n = axes.reduce((p, d) => p * x.shape[d], 1);
  const perm = [...axes, ...nonAxes];
  const newShape = [n, ...nonAxes.map((d) => x.shape[d])];
  const prep = (v: ArrayBase) => {
    let y = perm.every((p, i) => p === i) ? v : bindAd(primitiveNamed('transpose'), [v], { permutation: perm });
    if (y.shape.join() !== newShape.join()) y = bindAd(primitiveNamed('reshape'), [y], { new_sizes: newShape, dimensions: null, sharding: null });
    return y;
  };
  const tree = (v: ArrayBase): ArrayBase[] => {
    const sliceIn = (a: ArrayBase, start: number, limit: number) => bindAd(primitiveNamed('slice'), [a], {
      start_indices: a.shape.map((_, d) => (d === 0 ? start : 0)), limit_indices: a.shape.map((s, d) => (d === 0 ? limit : s)), strides: null,
    });
    while (v.shape[0] > 1) {
      const m = v.shape[0], n1 = Math.floor((m + 1) / 2), n2 = m - n1;
      const a = sliceIn(v, 0, n1);
      let b = sliceIn(v, n1, m);
      if (n2 !== n1) {
        b = bindAd(primitiveNamed('pad'), [b, oneLike(v)], { padding_config: v.shape.map((_, d) => (d === 0 ? [0, 1, 0] : [0, 0, 0])) });
      }
      v = bindAd(primitiveNamed('mul'), [a, b]);
    }
    if (v.shape[0] === 0) return [bindAd(primitiveNamed('broadcast_in_dim'), [oneLike(v)], { shape: v.shape.slice(1), broadcast_dimensions: [], sharding: null })];
    return [bindAd(primitiveNamed('squeeze'), [v], { dimensions: [0] })];
  };
  const [[out], [tOut]] = jvpFlat(tree, [prep(x)], [prep(t as ArrayBase)]);
  return [[out], [tOut]];
});

function oneLike(v: ArrayBase): ArrayBase { return scalarConstant(1, v.dtype, false); } // JAX's `_const(x, 1)`

/**
 * JAX's _cumulative_jvp_rule: cumprod / cummax / cummin are differentiated as the parallel prefix
 * scan (lax.associative_scan) that computes them, built from strided slices, pads and the
 * elementwise combiner, whose JVP rules then apply.
 */
function associativeScan(combine: string, x: ArrayBase, axis: number, reverse: boolean): ArrayBase {
  const P = primitiveNamed;
  const sliceInDim = (v: ArrayBase, start: number, limit: number | null, stride = 1) => {
    const n = v.shape[axis];
    const lim = limit === null ? n : limit < 0 ? n + limit : limit;
    return bindAd(P('slice'), [v], {
      start_indices: v.shape.map((_, d) => (d === axis ? start : 0)),
      limit_indices: v.shape.map((s, d) => (d === axis ? lim : s)),
      strides: stride === 1 ? null : v.shape.map((_, d) => (d === axis ? stride : 1)),
    });
  };
  const op = (a: ArrayBase, b: ArrayBase) => bindAd(P(combine), [a, b]);
  const interleave = (a: ArrayBase, b: ArrayBase) => {
    const same = a.shape[axis] === b.shape[axis];
    const cfg = (lo: number, hi: number) => a.shape.map((_, d): [number, number, number] => (d === axis ? [lo, hi, 1] : [0, 0, 0]));
    const zero = scalarConstant(0, a.dtype, false);
    const pa = bindAd(P('pad'), [a, zero], { padding_config: cfg(0, same ? 1 : 0) });
    const pb = bindAd(P('pad'), [b, zero], { padding_config: cfg(1, same ? 0 : 1) });
    return bindAd(P('add'), [pa, pb]);
  };
  const scan = (v: ArrayBase): ArrayBase => {
    const n = v.shape[axis];
    if (n < 2) return v;
    const reduced = op(sliceInDim(v, 0, -1, 2), sliceInDim(v, 1, null, 2));
    const odd = scan(reduced);
    const even0 = n % 2 === 0 ? op(sliceInDim(odd, 0, -1), sliceInDim(v, 2, null, 2)) : op(odd, sliceInDim(v, 2, null, 2));
    const even = bindAd(P('concatenate'), [sliceInDim(v, 0, 1), even0], { dimension: axis });
    return interleave(even, odd);
  };
  const rev = (v: ArrayBase) => bindAd(P('rev'), [v], { dimensions: [axis] });
  return reverse ? rev(scan(rev(x))) : scan(x);
}

for (const [p, combine] of [[cumprod, 'mul'], [cummax, 'max'], [cummin, 'min']] as const) {
  defineJvpRule(p, ([x], [t], { axis, reverse }) => {
    const [outs, tOuts] = jvpFlat((v) => [associativeScan(combine, v, axis, reverse)], [x], [t]);
    return [outs, tOuts];
  });
}
