// `numpy` (jnp): NumPy's API on Tracelens arrays, camelCase, keyword arguments in a trailing
// options object. Importing this module also installs the array methods (`x.add(y)`, `x.sum()`,
// `x.index(...)`, `x.at(...)`) and JAX's repr (`x.toString()`).

import './methods.js';
import './repr.js';

export type { ArrayLike, NestedArray, Scalar, AsArrayOptions } from './coerce.js';
export { asArray } from './coerce.js';
export type { DType } from '../core/dtype.js';
export type { Index, GetOptions, TakeOptions } from './indexing.js';
export type { UpdateOptions } from './index_update.js';
export { IndexUpdateRef } from './index_update.js';
export type { ReductionOptions, VarOptions, Axis } from './reductions.js';
export type { SortOptions } from './sorting.js';
export type { CloseOptions } from './comparison.js';
export type { DotOptions } from './linalg.js';
export type { LinspaceOptions, ShapeLike } from './creation.js';
export type { PadMode } from './shape_ops.js';

export {
  array, asarray, zeros, ones, full, empty, zerosLike, onesLike, fullLike, emptyLike, arange, linspace, logspace,
  eye, identity, tri, tril, triu, meshgrid, resultDtype as resultType,
} from './creation.js';

export {
  add, subtract, multiply, divide, trueDivide, floorDivide, mod, remainder, fmod, divmod, power, pow, negative, positive,
  abs, absolute, fabs, sign, floor, ceil, round, around, rint, trunc, fix, exp, exp2, expm1, log, log2, log10, log1p,
  sqrt, cbrt, square, reciprocal, sin, cos, tan, arcsin, arccos, arctan, arctan2, sinh, cosh, tanh, arcsinh, arccosh,
  arctanh, deg2rad, rad2deg, degrees, radians, hypot, maximum, minimum, fmax, fmin, clip, where, isnan, isinf,
  isposinf, isneginf, isfinite, nanToNum, equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd,
  logicalOr, logicalNot, logicalXor, bitwiseAnd, bitwiseOr, bitwiseXor, bitwiseNot, bitwiseInvert, invert, leftShift,
  rightShift, signbit, copysign, heaviside, sinc, nextafter, logaddexp,
} from './ufuncs.js';

export {
  sum, prod, max, min, amax, amin, all, any, mean, var, variance, std, argmax, argmin, cumsum, cumprod,
  cumulativeSum, cumulativeProd,
} from './reductions.js';

export { dot, matmul, vdot, inner, outer, tensordot } from './linalg.js';
export { einsum } from './einsum.js';

export {
  reshape, ravel, transpose, matrixTranspose, swapaxes, moveaxis, expandDims, squeeze, atleast1d, atleast2d, atleast3d,
  concatenate, concat, stack, hstack, vstack, dstack, columnStack, rowStack, split, arraySplit, hsplit, vsplit,
  broadcastTo, broadcastShapes, broadcastArrays, flip, fliplr, flipud, roll, tile, repeat, pad, size, shape, ndim,
} from './shape_ops.js';

export { take, takeAlongAxis } from './indexing.js';
export { sort, argsort } from './sorting.js';
export { isclose, allclose, arrayEqual, arrayEquiv } from './comparison.js';

/** Casts to a dtype (np.astype(x, dtype)). */
export { astype } from './methods.js';

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
export const newaxis = null;
