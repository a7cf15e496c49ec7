// Primitives that move data without arithmetic: broadcasting, reshaping, slicing, padding, iota.
// Params use JAX's names (snake_case), so jaxprs print exactly as JAX prints them. The ones that
// are a strided view of their operand also say here how (`stridedViewOf`), for both backends.

import { ShapedArray } from '../../core/aval.js';
import { type DType, checkDType, isInteger } from '../../core/dtype.js';
import { definePrimitive, type Params } from '../../core/primitive.js';
import { sizeOf, shapeStr, stridesOf } from '../../core/shape.js';
import { checkPermutation, tupleParam, allWeak } from './rules.js';

export const broadcast_in_dim = definePrimitive<{ shape: number[]; broadcast_dimensions: number[]; sharding?: null }>({
  name: 'broadcast_in_dim',
  abstractEval([x], { shape, broadcast_dimensions }) {
    const bd = tupleParam('broadcast_in_dim', 'broadcast_dimensions', broadcast_dimensions);
    if (bd.length !== x.ndim) {
      throw new TypeError(`broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got broadcast_dimensions ${shapeStr(bd)} for operand ndim ${x.ndim}.`);
    }
    bd.forEach((d, i) => {
      if (d < 0 || d >= shape.length || (x.shape[i] !== 1 && x.shape[i] !== shape[d])) {
        throw new TypeError(`broadcast_in_dim operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target broadcast shape; got operand of shape ${shapeStr(x.shape)}, target broadcast shape ${shapeStr(shape)}, broadcast_dimensions ${shapeStr(bd)}.`);
      }
      if (i > 0 && d <= bd[i - 1]) throw new TypeError(`broadcast_in_dim broadcast_dimensions must be strictly increasing; got broadcast_dimensions ${shapeStr(bd)}.`);
    });
    return [new ShapedArray(shape, x.dtype, x.weakType)];
  },
});

export const reshape = definePrimitive<{ new_sizes: number[]; dimensions: null; sharding?: null }>({
  name: 'reshape',
  abstractEval([x], { new_sizes }) {
    if (sizeOf(new_sizes) !== x.size) {
      throw new TypeError(`reshape total size must be unchanged, got new_sizes ${shapeStr(new_sizes)} (size ${sizeOf(new_sizes)}) for shape ${shapeStr(x.shape)} (size ${x.size}).`);
    }
    return [new ShapedArray(new_sizes, x.dtype, x.weakType)];
  },
});

export const transpose = definePrimitive<{ permutation: number[] }>({
  name: 'transpose',
  abstractEval([x], { permutation }) {
    checkPermutation('transpose', permutation, x.ndim, x.shape);
    return [new ShapedArray(permutation.map((p) => x.shape[p]), x.dtype, x.weakType)];
  },
});

export const squeeze = definePrimitive<{ dimensions: number[] }>({
  name: 'squeeze',
  abstractEval([x], { dimensions }) {
    for (const d of dimensions) {
      if (d < 0 || d >= x.ndim || x.shape[d] !== 1) {
        throw new TypeError(`cannot select an axis to squeeze out which has size not equal to one, got shape=${shapeStr(x.shape)} and dimensions=${shapeStr(dimensions)}.`);
      }
    }
    return [new ShapedArray(x.shape.filter((_, i) => !dimensions.includes(i)), x.dtype, x.weakType)];
  },
});

export const expand_dims = definePrimitive<{ dimensions: number[] }>({
  name: 'expand_dims',
  abstractEval([x], { dimensions }) {
    const out = [...x.shape];
    for (const d of [...dimensions].sort((a, b) => a - b)) {
      if (d < 0 || d > out.length) throw new TypeError(`expand_dims: dimension ${d} out of range for result rank ${x.ndim + dimensions.length}.`);
      out.splice(d, 0, 1);
    }
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

export const rev = definePrimitive<{ dimensions: number[] }>({
  name: 'rev',
  abstractEval([x], { dimensions }) {
    if (dimensions.some((d) => d < 0 || d >= x.ndim) || new Set(dimensions).size !== dimensions.length) {
      throw new TypeError(`rev dimensions must be unique and in range for operand of shape ${shapeStr(x.shape)}, got ${shapeStr(dimensions)}.`);
    }
    return [x];
  },
});

export const slice = definePrimitive<{ start_indices: number[]; limit_indices: number[]; strides: number[] | null }>({
  name: 'slice',
  abstractEval([x], { start_indices, limit_indices, strides }) {
    const st = strides ?? x.shape.map(() => 1);
    if (start_indices.length !== x.ndim || limit_indices.length !== x.ndim || st.length !== x.ndim) {
      throw new TypeError(`slice start_indices, limit_indices and strides must have length equal to the operand rank ${x.ndim}, got ${shapeStr(start_indices)}, ${shapeStr(limit_indices)}, ${shapeStr(st)}.`);
    }
    const out = x.shape.map((n, i) => {
      const s = start_indices[i], l = limit_indices[i];
      if (s < 0 || l > n || s > l || st[i] < 1) {
        throw new TypeError(`slice start_indices ${shapeStr(start_indices)} and limit_indices ${shapeStr(limit_indices)} must satisfy 0 <= start <= limit <= shape for operand shape ${shapeStr(x.shape)}.`);
      }
      return Math.ceil((l - s) / st[i]);
    });
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

function checkIndexScalars(prim: string, idx: ShapedArray[], ndim: number) {
  if (idx.length !== ndim) throw new TypeError(`${prim}: got ${idx.length} start indices for an operand of rank ${ndim}; pass one index per dimension.`);
  for (const i of idx) {
    if (i.ndim !== 0 || !isInteger(i.dtype)) throw new TypeError(`${prim}: start indices must be integer scalars, got ${i.strShort()}.`);
  }
}

/** dynamic_slice(operand, *start_indices)[slice_sizes]: starts are clamped so the slice fits, as XLA does. */
export const dynamic_slice = definePrimitive<{ slice_sizes: number[] }>({
  name: 'dynamic_slice',
  abstractEval([x, ...idx], { slice_sizes }) {
    checkIndexScalars('dynamic_slice', idx, x.ndim);
    if (slice_sizes.length !== x.ndim || slice_sizes.some((s, i) => s < 0 || s > x.shape[i])) {
      throw new TypeError(`dynamic_slice slice_sizes must be non-negative and no larger than the operand shape, got slice_sizes ${shapeStr(slice_sizes)} for operand shape ${shapeStr(x.shape)}.`);
    }
    return [new ShapedArray(slice_sizes, x.dtype, x.weakType)];
  },
});

export const dynamic_update_slice = definePrimitive({
  name: 'dynamic_update_slice',
  abstractEval([x, update, ...idx]) {
    checkIndexScalars('dynamic_update_slice', idx, x.ndim);
    if (update.ndim !== x.ndim || update.shape.some((s, i) => s > x.shape[i])) {
      throw new TypeError(`dynamic_update_slice update shape ${shapeStr(update.shape)} must be no larger than operand shape ${shapeStr(x.shape)} and of the same rank.`);
    }
    if (update.dtype !== x.dtype) throw new TypeError(`dynamic_update_slice update dtype ${update.dtype} must match operand dtype ${x.dtype}.`);
    return [x.withWeak(x.weakType)];
  },
});

export const concatenate = definePrimitive<{ dimension: number }>({
  name: 'concatenate',
  abstractEval(xs, { dimension }) {
    if (xs.length === 0) throw new TypeError('concatenate requires at least one operand.');
    const r = xs[0].ndim;
    if (dimension < 0 || dimension >= r) throw new TypeError(`concatenate dimension out of bounds: dimension ${dimension} for shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
    for (const x of xs) {
      if (x.ndim !== r || x.shape.some((n, i) => i !== dimension && n !== xs[0].shape[i])) {
        throw new TypeError(`Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${dimension} for shapes ${xs.map((x) => shapeStr(x.shape)).join(', ')}.`);
      }
      if (x.dtype !== xs[0].dtype) throw new TypeError(`concatenate requires arguments to have the same dtypes, got ${xs.map((x) => x.dtype).join(', ')}.`);
    }
    const out = [...xs[0].shape];
    out[dimension] = xs.reduce((s, x) => s + x.shape[dimension], 0);
    return [new ShapedArray(out, xs[0].dtype, allWeak(xs))];
  },
});

/** pad(operand, padding_value)[padding_config = [[lo, hi, interior], …]]; negative lo/hi crop. */
export const pad = definePrimitive<{ padding_config: [number, number, number][] }>({
  name: 'pad',
  abstractEval([x, v], { padding_config }) {
    if (v.ndim !== 0) throw new TypeError(`pad padding_value must be a scalar, got shape ${shapeStr(v.shape)}.`);
    if (v.dtype !== x.dtype) throw new TypeError(`pad operand and padding_value must be same dtype: got ${x.dtype} and ${v.dtype}.`);
    if (padding_config.length !== x.ndim) throw new TypeError(`pad: padding_config has ${padding_config.length} entries for an operand of rank ${x.ndim}; give one (lo, hi, interior) per dimension.`);
    const out = x.shape.map((n, i) => {
      const [lo, hi, interior] = padding_config[i];
      if (interior < 0) throw new TypeError(`pad: interior padding must be non-negative, got ${interior}.`);
      const r = lo + hi + n + Math.max(0, n - 1) * interior;
      if (r < 0) throw new TypeError(`Dimension size after padding is not at least 0, got result shape with ${r} in dimension ${i}.`);
      return r;
    });
    return [new ShapedArray(out, x.dtype, x.weakType)];
  },
});

export const iota = definePrimitive<{ dtype: DType; shape: number[]; dimension: number; sharding?: null }>({
  name: 'iota',
  abstractEval(_, { dtype, shape, dimension }) {
    const d = checkDType(dtype, 'iota');
    if (d === 'bool') throw new TypeError('iota does not accept dtype bool. Accepted dtypes are subtypes of integer, floating, complexfloating.');
    if (dimension < 0 || dimension >= shape.length) throw new TypeError(`iota dimension must be in range [0, ${shape.length}), got dimension=${dimension}.`);
    return [new ShapedArray(shape, d, false)];
  },
});

/** The primitives whose output is a strided view of their operand (see `stridedViewOf`). */
export const STRIDED_VIEW_PRIMITIVES = ['broadcast_in_dim', 'transpose', 'rev', 'slice'] as const;

/**
 * How one of STRIDED_VIEW_PRIMITIVES reads its operand (of `shape`), for the kernels of every
 * backend: output element at multi-index i is operand[offset + Σ i[d]·strides[d]] — broadcast is
 * stride 0, transpose permutes the strides, rev negates them, slice offsets and scales them.
 */
export function stridedViewOf(prim: (typeof STRIDED_VIEW_PRIMITIVES)[number], shape: readonly number[], params: Params): { strides: number[]; offset: number } {
  const xs = stridesOf(shape);
  switch (prim) {
    case 'broadcast_in_dim': {
      const strides = (params.shape as number[]).map(() => 0);
      (params.broadcast_dimensions as number[]).forEach((d, i) => { if (shape[i] !== 1) strides[d] = xs[i]; });
      return { strides, offset: 0 };
    }
    case 'transpose': return { strides: (params.permutation as number[]).map((p) => xs[p]), offset: 0 };
    case 'rev': {
      let offset = 0;
      for (const d of params.dimensions as number[]) {
        offset += (shape[d] - 1) * xs[d];
        xs[d] = -xs[d];
      }
      return { strides: xs, offset };
    }
    case 'slice': {
      const start = params.start_indices as number[];
      const steps = (params.strides as number[] | null) ?? start.map(() => 1);
      return { strides: xs.map((s, d) => s * steps[d]), offset: start.reduce((acc, s, d) => acc + s * xs[d], 0) };
    }
  }
}

export const copy = definePrimitive({ name: 'copy', abstractEval([x]) { return [x]; } });
export const copy_p = definePrimitive({ name: 'copy_p', abstractEval([x]) { return [x]; } });
