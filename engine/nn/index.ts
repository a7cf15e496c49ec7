// `nn`: jax.nn's activations and normalizations, written with numpy functions exactly as jax.nn
// computes them (stable formulations included). The max subtracted in softmax/logsumexp is not yet
// wrapped in stop_gradient (that arrives with autodiff); it changes no values.

import type { Array } from '../core/array.js';
import { type DType, defaultFloat } from '../core/dtype.js';
import { normalizeAxes } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import { type ArrayLike, asArray, promoteArgsInexact } from '../numpy/coerce.js';
import * as np from '../numpy/index.js';

type AxisOption = { axis?: number | readonly number[] | null };
const constLike = (x: Array, v: number) => scalarConstant(v, x.dtype);

/** max(x, 0). */
export function relu(x: ArrayLike): Array { return np.maximum(x, 0); }
/** min(max(x, 0), 6). */
export function relu6(x: ArrayLike): Array { return np.minimum(np.maximum(x, 0), 6); }
/** 1 / (1 + exp(-x)), computed by lax.logistic. */
export function sigmoid(x: ArrayLike): Array { return lax.logistic(promoteArgsInexact('sigmoid', x)[0]); }
/** log(1 + exp(x)), stable for large |x|. */
export function softplus(x: ArrayLike): Array { return np.logaddexp(x, 0); }
/** log(sigmoid(x)) = -softplus(-x). */
export function logSigmoid(x: ArrayLike): Array {
  const a = promoteArgsInexact('log_sigmoid', x)[0];
  return np.negative(softplus(np.negative(a)));
}
/** x · sigmoid(x) (also called swish). */
export function silu(x: ArrayLike): Array {
  const a = promoteArgsInexact('silu', x)[0];
  return np.multiply(a, sigmoid(a));
}
export const swish = silu;

/**
 * The Gaussian error linear unit. `approximate` (the default, as in jax.nn) uses the tanh form
 * x/2·(1 + tanh(√(2/π)·(x + 0.044715x³))); otherwise x/2·(1 + erf(x/√2)).
 */
export function gelu(x: ArrayLike, opts: { approximate?: boolean } = {}): Array {
  const a = promoteArgsInexact('gelu', x)[0];
  if (opts.approximate ?? true) {
    const inner = np.multiply(constLike(a, Math.sqrt(2 / Math.PI)), np.add(a, np.multiply(0.044715, np.power(a, 3))));
    const cdf = np.multiply(0.5, np.add(1, np.tanh(inner)));
    return np.multiply(a, cdf);
  }
  const cdf = np.add(1, lax.erf(np.multiply(a, constLike(a, Math.SQRT1_2))));
  return np.multiply(np.multiply(0.5, a), cdf);
}

/** x for x > 0, alpha·(exp(x) - 1) otherwise. */
export function elu(x: ArrayLike, opts: { alpha?: number } = {}): Array {
  const a = promoteArgsInexact('elu', x)[0];
  const safe = np.where(np.greater(a, 0), 0, a);
  return np.where(np.greater(a, 0), a, np.multiply(opts.alpha ?? 1, np.expm1(safe)));
}
/** x for x ≥ 0, negativeSlope·x otherwise. */
export function leakyRelu(x: ArrayLike, opts: { negativeSlope?: number } = {}): Array {
  const a = promoteArgsInexact('leaky_relu', x)[0];
  return np.where(np.greaterEqual(a, 0), a, np.multiply(opts.negativeSlope ?? 0.01, a));
}
/** clip(x, -1, 1). */
export function hardTanh(x: ArrayLike): Array { return np.clip(x, -1, 1); }

/** log(Σ exp(x)) over the axes, computed with the max subtracted (finite maxima only). */
export function logsumexp(x: ArrayLike, opts: AxisOption & { keepdims?: boolean; where?: ArrayLike | null } = {}): Array {
  const a = promoteArgsInexact('logsumexp', x)[0];
  const dims = normalizeAxes(opts.axis, a.ndim, 'logsumexp');
  const keepdims = opts.keepdims ?? false;
  let amax = np.max(a, { axis: dims, keepdims, where: opts.where, initial: -Infinity });
  amax = lax.select(np.isfinite(amax), amax, lax.fullLike(amax, 0));
  const amaxWithDims = keepdims ? amax : lax.expandDims(amax, dims);
  const expA = lax.exp(lax.sub(a, amaxWithDims));
  const sumexp = np.sum(expA, { axis: dims, keepdims, where: opts.where });
  const out = lax.add(lax.log(np.abs(sumexp)), amax);
  return np.where(lax.lt(lax.sign(sumexp), constLike(sumexp, 0)), constLike(out, NaN), out);
}

/** exp(x) / Σ exp(x) along the axis (default -1). */
export function softmax(x: ArrayLike, opts: AxisOption & { where?: ArrayLike | null } = {}): Array {
  const a = promoteArgsInexact('softmax', x)[0];
  const axis = opts.axis === undefined ? -1 : opts.axis;
  const xMax = np.max(a, { axis, where: opts.where, initial: -Infinity, keepdims: true });
  const xSafe = opts.where === undefined || opts.where === null ? a : np.where(opts.where, a, -Infinity);
  const unnormalized = np.exp(np.subtract(xSafe, xMax));
  return np.divide(unnormalized, np.sum(unnormalized, { axis, where: opts.where, keepdims: true }));
}

/** x - logsumexp(x) along the axis (default -1). */
export function logSoftmax(x: ArrayLike, opts: AxisOption & { where?: ArrayLike | null } = {}): Array {
  const a = promoteArgsInexact('log_softmax', x)[0];
  const axis = opts.axis === undefined ? -1 : opts.axis;
  const xMax = np.max(a, { axis, where: opts.where, initial: -Infinity, keepdims: true });
  const xSafe = opts.where === undefined || opts.where === null ? a : np.where(opts.where, a, -Infinity);
  const shifted = np.subtract(xSafe, xMax);
  const shiftedLogsumexp = np.log(np.sum(np.exp(shifted), { axis, where: opts.where, keepdims: true }));
  return np.subtract(shifted, shiftedLogsumexp);
}

/** One-hot encoding: a new axis (default last) of length numClasses, 1 where it equals x. Out-of-range x gives all zeros. */
export function oneHot(x: ArrayLike, numClasses: number, opts: { dtype?: DType; axis?: number } = {}): Array {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(`one_hot: num_classes must be a non-negative integer, got ${numClasses}.`);
  }
  const a = asArray(x, {}, 'one_hot');
  const outRank = a.ndim + 1;
  const axis = normalizeAxes(opts.axis ?? -1, outRank, 'one_hot')[0];
  const lhs = lax.expandDims(a, [axis]);
  const rhsShape = new globalThis.Array<number>(a.ndim).fill(1);
  rhsShape.splice(axis, 0, numClasses);
  const rhs = lax.broadcastedIota(a.dtype, rhsShape, axis);
  return np.equal(lhs, rhs).astype(opts.dtype ?? defaultFloat());
}

/** (x - mean) / sqrt(variance + epsilon) along the axis (default -1). */
export function standardize(x: ArrayLike, opts: AxisOption & { mean?: ArrayLike; variance?: ArrayLike; epsilon?: number } = {}): Array {
  const a = asArray(x, {}, 'standardize');
  const axis = opts.axis === undefined ? -1 : opts.axis;
  const mean = opts.mean ?? np.mean(a, { axis, keepdims: true });
  const variance = opts.variance ?? np.subtract(np.mean(np.square(a), { axis, keepdims: true }), np.square(mean));
  return np.multiply(np.subtract(a, mean), lax.rsqrt(np.add(variance, opts.epsilon ?? 1e-5)));
}
