// Elementwise numpy functions (jnp's ufuncs), each lowered to the primitives jax.numpy emits for it:
// promote the operands (dtype, then rank), then one lax call or a short formula of them.

import type { Array } from '../core/array.js';
import { ArrayBase } from '../core/array_base.js';
import { type DType, isBool, isFloat, isInteger, isUnsigned } from '../core/dtype.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import {
  type ArrayLike, asArray, broadcastTo, checkArrayLike, promoteArgs, promoteArgsInexact, promoteArgsNumeric, promoteDtypes,
  promoteDtypesInexact, promoteDtypesNumeric, promoteShapes,
} from './coerce.js';
import { broadcastShapes } from '../core/shape.js';
import { scalarOperands, stagedJnp } from './staged.js';

/** A constant of x's dtype (jnp's `_constant_like`). */
const constLike = (x: Array, v: number | boolean): Array => scalarConstant(v, x.dtype, false);

const FLOAT_MAX: Partial<Record<DType, number>> = { float16: 65504, float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

// ---- unary ------------------------------------------------------------------------------------
const inexactUnary = (name: string, op: (x: Array) => Array) => (x: ArrayLike): Array => op(promoteArgsInexact(name, x)[0]);

export const exp = inexactUnary('exp', lax.exp);
export const exp2 = inexactUnary('exp2', lax.exp2);
export const expm1 = inexactUnary('expm1', lax.expm1);
export const log = inexactUnary('log', lax.log);
export const log1p = inexactUnary('log1p', lax.log1p);
export const sin = inexactUnary('sin', lax.sin);
export const cos = inexactUnary('cos', lax.cos);
export const tan = inexactUnary('tan', lax.tan);
export const arcsin = inexactUnary('arcsin', lax.asin);
export const arccos = inexactUnary('arccos', lax.acos);
export const arctan = inexactUnary('arctan', lax.atan);
export const sinh = inexactUnary('sinh', lax.sinh);
export const cosh = inexactUnary('cosh', lax.cosh);
export const tanh = inexactUnary('tanh', lax.tanh);
export const arcsinh = inexactUnary('arcsinh', lax.asinh);
export const arccosh = inexactUnary('arccosh', lax.acosh);
export const arctanh = inexactUnary('arctanh', lax.atanh);
export const sqrt = inexactUnary('sqrt', lax.sqrt);
export const cbrt = inexactUnary('cbrt', lax.cbrt);
export const log2 = inexactUnary('log2', (x) => lax.div(lax.log(x), lax.log(constLike(x, 2))));
export const log10 = inexactUnary('log10', (x) => lax.mul(lax.log(x), constLike(x, 1 / Math.LN10)));
export const deg2rad = inexactUnary('deg2rad', (x) => lax.mul(x, constLike(x, Math.PI / 180)));
export const rad2deg = inexactUnary('rad2deg', (x) => lax.mul(x, constLike(x, 180 / Math.PI)));
export const radians = deg2rad;
export const degrees = rad2deg;
export const reciprocal = inexactUnary('reciprocal', (x) => lax.integerPow(x, -1));

export function negative(x: ArrayLike): Array { return lax.neg(promoteArgs('negative', x)[0]); }
export function positive(x: ArrayLike): Array { return promoteArgs('positive', x)[0]; }
export function sign(x: ArrayLike): Array { return lax.sign(promoteArgs('sign', x)[0]); }
export function square(x: ArrayLike): Array { return lax.square(promoteDtypesNumeric('square', x)[0]); }

/** |x|; bool and unsigned arrays are returned as they are. */
export function absolute(x: ArrayLike): Array {
  const a = asArray(x, {}, 'absolute');
  return isBool(a.dtype) || isUnsigned(a.dtype) ? a : lax.abs(a);
}
export const abs = absolute;
export const fabs = inexactUnary('fabs', lax.abs);

const integralPassThrough = (name: string, op: (x: Array) => Array) => (x: ArrayLike): Array => {
  const a = asArray(x, {}, name);
  return isFloat(a.dtype) ? op(promoteArgsInexact(name, a)[0]) : a;
};
export const floor = integralPassThrough('floor', lax.floor);
export const ceil = integralPassThrough('ceil', lax.ceil);
/** Rounds toward zero: ceil below zero, floor above. */
export const trunc = integralPassThrough('trunc', (x) => lax.select(lax.lt(x, constLike(x, 0)), lax.ceil(x), lax.floor(x)));
export const fix = trunc;

/** Rounds half to even, to `decimals` places (negative decimals round to tens, hundreds…): round(x, 2) or round(x, {decimals: 2}). */
export function round(x: ArrayLike, decimalsOrOpts: number | { decimals?: number } = 0): Array {
  const decimals = typeof decimalsOrOpts === 'number' ? decimalsOrOpts : decimalsOrOpts.decimals ?? 0;
  const a = asArray(x, {}, 'round');
  if (!Number.isInteger(decimals)) throw new TypeError(`round: decimals must be an integer, got ${decimals}.`);
  return roundStaged(a, decimals);
}
const roundStaged = stagedJnp('round', roundImpl, { staticArgnums: [1] });
function roundImpl(a: Array, decimals: number): Array {
  if (!isFloat(a.dtype)) {
    if (decimals >= 0) return a;
    // Integers rounded to tens etc. compute in float, as jnp does, and come back as integers.
    return lax.convertElementType(roundImpl(lax.convertElementType(a, 'float32'), decimals), a.dtype);
  }
  if (decimals === 0) return lax.round(a, lax.RoundingMethod.TO_NEAREST_EVEN);
  const factor = constLike(a, 10 ** decimals);
  return lax.div(lax.round(lax.mul(a, factor), lax.RoundingMethod.TO_NEAREST_EVEN), factor);
}
export const around = round;

/** Rounds half to even; integers become the default float dtype, as in jnp.rint. */
export function rint(x: ArrayLike): Array {
  const a = asArray(x, {}, 'rint');
  if (!isFloat(a.dtype)) return lax.convertElementType(a, promoteArgsInexact('rint', a)[0].dtype);
  return lax.round(a, lax.RoundingMethod.TO_NEAREST_EVEN);
}

export function isnan(x: ArrayLike): Array {
  const a = asArray(x, {}, 'isnan');
  return lax.ne(a, a);
}
export function isinf(x: ArrayLike): Array {
  const a = asArray(x, {}, 'isinf');
  return isFloat(a.dtype) ? lax.eq(lax.abs(a), constLike(a, Infinity)) : lax.fullLike(a, false, 'bool');
}
export function isposinf(x: ArrayLike): Array {
  const a = asArray(x, {}, 'isposinf');
  return isFloat(a.dtype) ? lax.eq(a, constLike(a, Infinity)) : lax.fullLike(a, false, 'bool');
}
export function isneginf(x: ArrayLike): Array {
  const a = asArray(x, {}, 'isneginf');
  return isFloat(a.dtype) ? lax.eq(a, constLike(a, -Infinity)) : lax.fullLike(a, false, 'bool');
}
export function isfinite(x: ArrayLike): Array {
  const a = asArray(x, {}, 'isfinite');
  return isFloat(a.dtype) ? lax.isFinite(a) : lax.fullLike(a, true, 'bool');
}

/** True where the sign bit is set, including -0.0 and negative NaNs. */
export function signbit(x: ArrayLike): Array {
  const a = promoteArgs('signbit', x)[0];
  if (isInteger(a.dtype)) return isUnsigned(a.dtype) ? lax.fullLike(a, false, 'bool') : lax.lt(a, constLike(a, 0));
  if (isBool(a.dtype)) return lax.fullLike(a, false, 'bool');
  // The sign bit of a float32: bitcast to int32 and shift it down. float16 and float64 convert to
  // float32 first, which keeps the sign of zeros, infinities and NaNs.
  const f32 = a.dtype === 'float32' ? a : lax.convertElementType(a, 'float32');
  const bits = lax.bitcastConvertType(f32, 'int32');
  return lax.convertElementType(lax.shiftRightArithmetic(bits, scalarConstant(31, 'int32')), 'bool');
}

/** Replaces NaN by `nan` (0), +inf by `posinf` (the largest finite value), -inf by `neginf`. */
export function nanToNum(x: ArrayLike, opts: { nan?: number; posinf?: number | null; neginf?: number | null } = {}): Array {
  const a = asArray(x, {}, 'nan_to_num');
  if (!isFloat(a.dtype)) return a;
  const big = FLOAT_MAX[a.dtype]!;
  let out = where(isnan(a), constLike(a, opts.nan ?? 0), a);
  out = where(lax.eq(out, constLike(a, Infinity)), constLike(a, opts.posinf ?? big), out);
  out = where(lax.eq(out, constLike(a, -Infinity)), constLike(a, opts.neginf ?? -big), out);
  return out;
}

/** sin(πx)/(πx), 1 at 0. */
export function sinc(x: ArrayLike): Array {
  const a = promoteArgsInexact('sinc', x)[0];
  const isZero = lax.eq(a, constLike(a, 0));
  const pix = lax.mul(constLike(a, Math.PI), a);
  const safe = where(isZero, constLike(a, 1), pix);
  return where(isZero, lax.fullLike(a, 1), lax.div(lax.sin(safe), safe));
}

/** x as bool: x != 0 (NaN is true), bools as they are. */
export const toBool = (x: Array): Array => (isBool(x.dtype) ? x : lax.ne(x, constLike(x, 0)));

export function logicalNot(x: ArrayLike): Array { return lax.bitwiseNot(toBool(promoteArgs('logical_not', x)[0])); }
export function invert(x: ArrayLike): Array { return lax.bitwiseNot(promoteArgs('invert', x)[0]); }
export const bitwiseNot = invert;
export const bitwiseInvert = invert;

// ---- binary -----------------------------------------------------------------------------------
type Binary = (x: ArrayLike, y: ArrayLike) => Array;
const plain = (name: string, op: (x: Array, y: Array) => Array): Binary => (x, y) => {
  const [a, b] = promoteArgs(name, x, y);
  return op(a, b);
};
const inexact = (name: string, op: (x: Array, y: Array) => Array): Binary => (x, y) => {
  const [a, b] = promoteArgsInexact(name, x, y);
  return op(a, b);
};

/** x + y; for bools, logical or (as NumPy). */
export const add = plain('add', (a, b) => (isBool(a.dtype) ? lax.bitwiseOr(a, b) : lax.add(a, b)));
export const subtract = plain('subtract', lax.sub);
/** x * y; for bools, logical and. */
export const multiply = plain('multiply', (a, b) => (isBool(a.dtype) ? lax.bitwiseAnd(a, b) : lax.mul(a, b)));
export const trueDivide = inexact('true_divide', lax.div);
export const divide = trueDivide;
export const arctan2 = inexact('arctan2', lax.atan2);
export const nextafter = inexact('nextafter', lax.nextafter);
export const maximum = plain('maximum', lax.max);
export const minimum = plain('minimum', lax.min);
export const equal = plain('equal', lax.eq);
export const notEqual = plain('not_equal', lax.ne);
export const less = plain('less', lax.lt);
export const lessEqual = plain('less_equal', lax.le);
export const greater = plain('greater', lax.gt);
export const greaterEqual = plain('greater_equal', lax.ge);
export const bitwiseAnd = plain('bitwise_and', lax.bitwiseAnd);
export const bitwiseOr = plain('bitwise_or', lax.bitwiseOr);
export const bitwiseXor = plain('bitwise_xor', lax.bitwiseXor);
export const logicalAnd = plain('logical_and', (a, b) => lax.bitwiseAnd(toBool(a), toBool(b)));
export const logicalOr = plain('logical_or', (a, b) => lax.bitwiseOr(toBool(a), toBool(b)));
export const logicalXor = plain('logical_xor', (a, b) => lax.bitwiseXor(toBool(a), toBool(b)));

export function leftShift(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsNumeric('left_shift', x, y);
  return lax.shiftLeft(a, b);
}
/** Arithmetic shift for signed integers, logical for unsigned. */
export function rightShift(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsNumeric('right_shift', x, y);
  return isUnsigned(a.dtype) ? lax.shiftRightLogical(a, b) : lax.shiftRightArithmetic(a, b);
}

/** Python's float divmod (floatobject.c): the floored quotient (rounded) and the remainder with y's sign. */
function floatDivmod(a: Array, b: Array): [Array, Array] {
  let mod = lax.rem(a, b);
  const corrected = where(lax.eq(b, constLike(b, 0)), a, lax.sub(a, mod));
  let div = lax.div(corrected, b);
  const ind = lax.bitwiseAnd(lax.ne(mod, constLike(mod, 0)), lax.ne(lax.sign(b), lax.sign(mod)));
  mod = lax.select(ind, lax.add(mod, b), mod);
  div = lax.select(ind, lax.sub(div, constLike(div, 1)), div);
  return [lax.round(div), mod];
}

/** x // y, rounding toward -inf as Python does. */
export function floorDivide(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsNumeric('floor_divide', x, y);
  if (isUnsigned(a.dtype)) return lax.div(a, b);
  if (isInteger(a.dtype)) {
    const quotient = lax.div(a, b);
    const select = lax.bitwiseAnd(lax.ne(lax.sign(a), lax.sign(b)), lax.ne(lax.rem(a, b), constLike(a, 0)));
    return where(select, lax.sub(quotient, constLike(quotient, 1)), quotient);
  }
  return floatDivmod(a, b)[0];
}

/** x % y with the sign of y (Python's %); integer division by zero gives x % 1 = 0 rather than UB. */
export function remainder(x: ArrayLike, y: ArrayLike): Array {
  checkArrayLike('remainder', x, y);
  const [a, b] = scalarOperands([x, y]);
  return remainderStaged(a, b);
}
const remainderStaged = stagedJnp('remainder', (x: ArrayLike, y: ArrayLike): Array => {
  const [a, b0] = promoteArgsNumeric('remainder', x, y);
  const zero = constLike(a, 0);
  const b = isInteger(b0.dtype) ? where(equal(b0, 0), lax.fullLike(b0, 1), b0) : b0;
  const truncMod = lax.rem(a, b);
  const truncModNotZero = lax.ne(truncMod, zero);
  const doPlus = lax.bitwiseAnd(lax.ne(lax.lt(truncMod, zero), lax.lt(b, zero)), truncModNotZero);
  return lax.select(doPlus, lax.add(truncMod, b), truncMod);
});
export const mod = remainder;

/** C's fmod: the remainder with the sign of x. */
export function fmod(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsNumeric('fmod', x, y);
  return lax.rem(a, b);
}

export function divmod(x: ArrayLike, y: ArrayLike): [Array, Array] {
  const [a, b] = promoteArgsNumeric('divmod', x, y);
  if (isInteger(a.dtype)) return [floorDivide(a, b), remainder(a, b)];
  return floatDivmod(a, b);
}

/**
 * x ** y. A JS integer exponent uses integer_pow (exact repeated multiplication, as jnp does for a
 * concrete integer power); integer bases with integer array exponents use binary exponentiation.
 */
export function power(x: ArrayLike, y: ArrayLike): Array {
  checkArrayLike('power', x, y);
  if (typeof y === 'number' && Number.isInteger(y)) {
    return lax.integerPow(promoteDtypesNumeric('power', x)[0], y);
  }
  const [x1, x2] = promoteShapes('power', asArray(x, {}, 'power'), asArray(y, {}, 'power'));
  const [a, b] = promoteDtypesNumeric('power', x1, x2);
  if (isInteger(a.dtype) || isBool(a.dtype)) return powIntInt(a, b);
  // A float base with an integer exponent keeps the exponent's dtype (lax.pow accepts it), so the
  // derivative in the base is defined at 0.
  if (isFloat(x1.dtype) && isInteger(x2.dtype)) return lax.pow(x1, x2);
  return lax.pow(a, b);
}
export const pow = power;

function powIntInt(base: Array, exponent: Array): Array {
  const zero = constLike(exponent, 0), one = constLike(exponent, 1);
  // pow(0, n) is 0 for n ≠ 0, so the accumulator starts at 0 there.
  let acc = where(lax.bitwiseAnd(lax.eq(base, constLike(base, 0)), lax.ne(exponent, zero)), zero, one);
  let x1 = base, x2 = exponent;
  for (let i = 0; i < 6; i++) { // 6 bits: any larger exponent overflows for |x| > 1
    acc = where(lax.bitwiseAnd(x2, one), lax.mul(acc, x1), acc);
    x1 = lax.mul(x1, x1);
    x2 = lax.shiftRightLogical(x2, one);
  }
  return acc;
}

/** sqrt(x² + y²) without overflow for large legs. */
export function hypot(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promoteArgsInexact('hypot', x, y);
  a = lax.abs(a); b = lax.abs(b);
  const idxInf = lax.bitwiseOr(lax.eq(a, constLike(a, Infinity)), lax.eq(b, constLike(b, Infinity)));
  const hi = lax.max(a, b), lo = lax.min(a, b);
  const hiIsZero = lax.eq(hi, constLike(hi, 0));
  const ratio = lax.div(lo, where(hiIsZero, lax.fullLike(hi, 1), hi));
  const r = where(hiIsZero, hi, lax.mul(hi, lax.sqrt(lax.add(constLike(hi, 1), lax.square(ratio)))));
  return where(idxInf, constLike(r, Infinity), r);
}

/** |x| with the sign of y. */
export function copysign(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsInexact('copysign', x, y);
  return where(signbit(b), lax.neg(lax.abs(a)), lax.abs(a));
}

/** 0 for x < 0, 1 for x > 0, y at x == 0 (and NaN for NaN x). */
export function heaviside(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteDtypesInexact('heaviside', x, y);
  const zero = constLike(a, 0);
  return where(lax.lt(a, zero), zero, where(lax.gt(a, zero), constLike(a, 1), where(lax.ne(a, a), a, b)));
}

/** The larger value, ignoring NaNs (NaN only when both are NaN). */
export function fmax(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('fmax', x, y);
  return where(lax.bitwiseOr(lax.gt(a, b), lax.ne(b, b)), a, b);
}
export function fmin(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs('fmin', x, y);
  return where(lax.bitwiseOr(lax.lt(a, b), lax.ne(b, b)), a, b);
}

/** log(exp(x) + exp(y)), stable for large inputs. */
export function logaddexp(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgsInexact('logaddexp', x, y);
  const amax = lax.max(a, b);
  const delta = lax.sub(a, b);
  return where(lax.ne(delta, delta), lax.add(a, b), lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta))))));
}

// ---- selection --------------------------------------------------------------------------------
/**
 * where(condition, x, y): x where the condition holds, else y, broadcast together. The
 * one-argument form (the indices of non-zeros) has a data-dependent shape; use it on host data.
 */
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  if (x === undefined || y === undefined) {
    throw new TypeError('where: the one-argument form where(condition) returns indices whose number depends on the data, ' +
      'which Tracelens cannot compute without reading the array; pass both x and y (np.where(mask, x, 0)), or read the mask with await mask.data().');
  }
  checkArrayLike('where', condition, x, y);
  const [c] = scalarOperands([condition]);
  const [a, b] = scalarOperands([x, y]);
  return whereStaged(asArray(c, {}, 'where'), asArray(a, {}, 'where'), asArray(b, {}, 'where'));
}
// jnp's `_where`: a scalar condition selects whole arrays without being broadcast.
const whereStaged = stagedJnp('_where', (condition: Array, x: Array, y: Array): Array => {
  let c = condition;
  if (!isBool(c.dtype)) c = lax.ne(c, constLike(c, 0));
  const [a, b] = promoteDtypes('where', x, y);
  const shape = c.ndim === 0 ? broadcastShapes('where', a.shape, b.shape) : broadcastShapes('where', c.shape, a.shape, b.shape);
  if (c.ndim !== 0) c = broadcastTo(c, shape, 'where');
  return lax.select(c, broadcastTo(a, shape, 'where'), broadcastTo(b, shape, 'where'));
});

type ClipBound = ArrayLike | null | undefined;
const isClipOptions = (v: unknown): v is { min?: ClipBound; max?: ClipBound } =>
  typeof v === 'object' && v !== null && !(v instanceof ArrayBase) && !globalThis.Array.isArray(v) && !ArrayBuffer.isView(v);

/** Limits values to [min, max]; either bound may be null: clip(x, 0, 1), clip(x, null, 1) or clip(x, {max: 1}). */
export function clip(x: ArrayLike, minOrOpts: ClipBound | { min?: ClipBound; max?: ClipBound } = null, maxBound: ClipBound = null): Array {
  let min: ClipBound = minOrOpts as ClipBound, max: ClipBound = maxBound;
  if (isClipOptions(minOrOpts)) ({ min, max } = minOrOpts);
  checkArrayLike('clip', x);
  const a = asArray(x, {}, 'clip');
  const [lo, hi] = scalarOperands([min ?? null, max ?? null], [a]);
  return clipStaged(a, lo, hi);
}
const clipStaged = stagedJnp('clip', (a: Array, min: ClipBound, max: ClipBound): Array => {
  let out = a;
  if (min !== null && min !== undefined) out = maximum(min, out);
  if (max !== null && max !== undefined) out = minimum(max, out);
  return out;
});
