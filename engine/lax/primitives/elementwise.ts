// Pointwise primitives: one entry per primitive, its abstract evaluation beside its formulas.
//
// Dtype rules, weak types, parameters and error messages follow jax/_src/lax/lax.py (JAX 0.10):
// operands of n-ary primitives must share a dtype (pow's exponent excepted), the result is weakly
// typed when every operand is — comparisons and is_finite included, as in JAX — and convert_element_type
// takes its weakness from its `weak_type` parameter.
//
// Formulas: `cpu` maps JS numbers (computed in double precision; the cpu backend rounds to the output
// dtype when storing, and Int32Array/Uint32Array stores wrap) and `wgsl` builds a WGSL expression in
// the compute type of each dtype: f32 for float32 and float16 (rounded to f16 on store), i32, u32, and
// WGSL `bool` for bool. Anything WGSL does not define the way XLA does (NaN handling, integer division
// by zero, shifts past the width, saturating conversions, accurate transcendentals) goes through the
// helpers of ./wgsl_helpers.ts, which a formula lists by name in `wgslHelpers` (the shader adds the
// ones those call in turn); where JAX itself computes an approximation (tanh, erf, erf_inv, exp2,
// sinh, …) both backends reproduce that approximation (./scalar_math.ts for the cpu).
//
// Each operand expression is used once in a formula (helpers take the rest), so an operand may be
// any WGSL expression. select_n with more than two cases is the exception: it repeats `which`.

import { ShapedArray } from '../../core/aval.js';
import { type DType, isFloat, isBool, isUnsigned, isInteger, checkDType, itemsize } from '../../core/dtype.js';
import { definePrimitive, type ElementwiseRule, type ElementwiseContext, type Params, type PrimitiveDef } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';
import { allWeak, checkDTypeClass, checkSameDTypes, elementwiseShape, type DTypeClass } from './rules.js';
import {
  bitcast32, erfF64, erfInv, nextafterOf, popcount32, powC, rounderOf, roundHalfAway, roundHalfEven, upcastRounderOf, xlaErfF32, xlaExpm1F32, xlaTanhF32,
} from './scalar_math.js';

type Rule = ElementwiseRule;
type Ctx = ElementwiseContext;

// ---- abstract evaluation -------------------------------------------------------------------------

/**
 * Defines a pointwise primitive. XLA computes a float16 operation in f32 and rounds that f32 result
 * to f16; the cpu formula's double result is therefore rounded to f32 before the store rounds it to
 * f16, which decides the rare ties the way JAX does.
 */
function pointwise<P extends Params = Params>(def: PrimitiveDef<P> & { elementwise: Rule }) {
  const { cpu } = def.elementwise;
  const viaF32 = (c: Ctx) => {
    const f = cpu(c);
    return c.outDtype === 'float16' ? (...xs: number[]) => Math.fround(f(...xs)) : f;
  };
  return definePrimitive<P>({ ...def, elementwise: { ...def.elementwise, cpu: viaF32 } });
}

/** A unary primitive: shape and weakness of the operand; dtype of the operand or `outDtype`. */
function unary(name: string, classes: DTypeClass[], elementwise: Rule, outDtype?: (d: DType) => DType) {
  return pointwise({
    name,
    abstractEval([x]) {
      checkDTypeClass(name, [x], classes);
      return [new ShapedArray(x.shape, outDtype ? outDtype(x.dtype) : x.dtype, x.weakType)];
    },
    elementwise,
  });
}

/** An n-ary primitive over operands of one dtype; rank-0 and size-1 dimensions broadcast. */
function nary(name: string, classes: DTypeClass[], elementwise: Rule, outDtype?: (d: DType) => DType) {
  return pointwise({
    name,
    abstractEval(avals) {
      const shape = elementwiseShape(name, avals);
      avals.forEach((a, i) => checkDTypeClass(name, [a], classes, i));
      const d = checkSameDTypes(name, avals);
      return [new ShapedArray(shape, outDtype ? outDtype(d) : d, allWeak(avals))];
    },
    elementwise,
  });
}

const FLOAT: DTypeClass[] = ['floating'];
const NUMBER: DTypeClass[] = ['integer', 'floating'];
const SIGNED: DTypeClass[] = ['signed'];
const INTEGER: DTypeClass[] = ['integer'];
const INT_OR_BOOL: DTypeClass[] = ['integer', 'bool'];
const ANY: DTypeClass[] = ['any'];
const toBool = (): DType => 'bool';

// ---- formula building blocks ---------------------------------------------------------------------

const dtypeOf = (c: Ctx) => c.inDtypes[0];
const isFloatCtx = (c: Ctx) => isFloat(dtypeOf(c));
const isBoolCtx = (c: Ctx) => isBool(dtypeOf(c));
const isU32Ctx = (c: Ctx) => isUnsigned(dtypeOf(c));
/** The WGSL compute type of the operands: f32 (also for f16), i32, u32 or bool. */
const wgslType = (c: Ctx) => (isFloatCtx(c) ? 'f32' : isBoolCtx(c) ? 'bool' : isU32Ctx(c) ? 'u32' : 'i32');
/** `_f16` for float16 operands, whose composed formulas round each step to f16, else `_f32`. */
const precisionSuffix = (c: Ctx) => (dtypeOf(c) === 'float16' ? '_f16' : '_f32');

/** A formula whose WGSL is a call of one helper (named per context) on the operands. */
function viaHelper(name: string | ((c: Ctx) => string), cpu: Rule['cpu']): Rule {
  const nameOf = typeof name === 'string' ? () => name : name;
  return {
    cpu,
    wgsl: (c, ...xs) => `${nameOf(c)}(${xs.join(', ')})`,
    wgslHelpers: (c) => [nameOf(c)],
  };
}

/** A formula that is a WGSL infix operator for every dtype. */
const infix = (js: (a: number, b: number) => number, op: string): Rule => ({ cpu: () => js, wgsl: (_c, a, b) => `(${a} ${op} ${b})` });

/** A formula with one WGSL form for floats (a helper call) and an inline one for the other dtypes. */
function floatOr(cpu: Rule['cpu'], floatFn: string, other: (c: Ctx, ...xs: string[]) => string): Rule {
  return {
    cpu,
    wgsl: (c, ...xs) => (isFloatCtx(c) ? `${floatFn}(${xs.join(', ')})` : other(c, ...xs)),
    wgslHelpers: (c) => (isFloatCtx(c) ? [floatFn] : []),
  };
}

/** An integer formula that needs a helper per signedness (`tl_div_i32` / `tl_div_u32`). */
const intHelper = (cpu: Rule['cpu'], stem: string): Rule => viaHelper((c) => `${stem}_${isU32Ctx(c) ? 'u32' : 'i32'}`, cpu);

// ---- arithmetic ------------------------------------------------------------------------------------
export const neg = unary('neg', NUMBER, {
  cpu: () => (x) => -x,
  wgsl: (c, a) => (isU32Ctx(c) ? `(0u - ${a})` : `(-${a})`),
});
export const sign = unary('sign', NUMBER, floatOr(
  (c) => (isFloatCtx(c) ? (x) => (x === 0 || Number.isNaN(x) ? x : Math.sign(x)) : Math.sign),
  'tl_sign_f32',
  (c, a) => (isU32Ctx(c) ? `min(${a}, 1u)` : `sign(${a})`),
));
export const abs = unary('abs', SIGNED, { cpu: () => Math.abs, wgsl: (_c, a) => `abs(${a})` });
export const floor = unary('floor', FLOAT, { cpu: () => Math.floor, wgsl: (_c, a) => `floor(${a})` });
export const ceil = unary('ceil', FLOAT, { cpu: () => Math.ceil, wgsl: (_c, a) => `ceil(${a})` });

/** round[rounding_method]: 0 rounds half away from zero (lax.round's default), 1 half to even (np.round). */
export const round = pointwise<{ rounding_method: number }>({
  name: 'round',
  abstractEval([x], { rounding_method }) {
    if (rounding_method !== 0 && rounding_method !== 1) {
      throw new TypeError(`round: rounding_method must be 0 (AWAY_FROM_ZERO) or 1 (TO_NEAREST_EVEN), got ${String(rounding_method)}.`);
    }
    checkDTypeClass('round', [x], FLOAT);
    return [x];
  },
  elementwise: {
    cpu: (c) => (c.params.rounding_method === 1 ? roundHalfEven : roundHalfAway),
    // WGSL's round() is specified as ties-to-even.
    wgsl: (c, a) => (c.params.rounding_method === 1 ? `round(${a})` : `tl_round_away(${a})`),
    wgslHelpers: (c) => (c.params.rounding_method === 1 ? [] : ['tl_round_away']),
  },
});

export const add = nary('add', NUMBER, infix((a, b) => a + b, '+'));
export const sub = nary('sub', NUMBER, infix((a, b) => a - b, '-'));
export const mul = nary('mul', NUMBER, {
  cpu: (c) => (isFloatCtx(c) ? (a, b) => a * b : Math.imul),
  wgsl: (_c, a, b) => `(${a} * ${b})`,
});
export const div = nary('div', NUMBER, {
  // Integer division truncates; XLA defines x / 0 as -1 (all bits set) and INT_MIN / -1 as INT_MIN.
  cpu: (c) => (isFloatCtx(c) ? (a, b) => a / b : (a, b) => (b === 0 ? (isU32Ctx(c) ? 0xffffffff : -1) : Math.trunc(a / b))),
  wgsl: (c, a, b) => (isFloatCtx(c) ? `(${a} / ${b})` : `tl_div_${wgslType(c)}(${a}, ${b})`),
  wgslHelpers: (c) => (isFloatCtx(c) ? [] : [`tl_div_${wgslType(c)}`]),
});

/** rem: C's fmod for floats (sign of the dividend), truncated remainder for integers with x % 0 = x. */
export const rem = nary('rem', NUMBER, viaHelper(
  (c) => (isFloatCtx(c) ? 'tl_fmod' : `tl_rem_${wgslType(c)}`),
  (c) => (isFloatCtx(c) ? (a, b) => a % b : (a, b) => (b === 0 ? a : a % b)),
));

/** max/min propagate NaN and order -0 below +0; on bool they are or/and. */
export const max = nary('max', ANY, floatOr(
  () => (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  'tl_max_f32',
  (c, a, b) => (isBoolCtx(c) ? `(${a} || ${b})` : `max(${a}, ${b})`),
));
export const min = nary('min', ANY, floatOr(
  () => (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  'tl_min_f32',
  (c, a, b) => (isBoolCtx(c) ? `(${a} && ${b})` : `min(${a}, ${b})`),
));

export const square = unary('square', NUMBER, {
  cpu: (c) => (isFloatCtx(c) ? (x) => x * x : (x) => Math.imul(x, x)),
  wgsl: (c, a) => `tl_integer_pow_${dtypeOf(c) === 'float16' ? 'f32' : wgslType(c)}(${a}, 2)`,
  wgslHelpers: (c) => [`tl_integer_pow_${dtypeOf(c) === 'float16' ? 'f32' : wgslType(c)}`],
});

/**
 * integer_pow[y]: x^y by repeated squaring, one multiplication at a time as XLA expands it (so
 * floats round at each product, in the operand's dtype); 1 / x^|y| for negative y (floats only).
 */
export const integer_pow = pointwise<{ y: number }>({
  name: 'integer_pow',
  abstractEval([x], { y }) {
    if (!Number.isInteger(y)) throw new TypeError(`integer_pow: the exponent y must be an integer, got ${y}; use pow for other exponents.`);
    checkDTypeClass('integer_pow', [x], NUMBER);
    if (y < 0 && isInteger(x.dtype)) {
      throw new TypeError(`Integers cannot be raised to negative powers, got integer_pow(${x.dtype}[${x.shape.join(',')}], ${y})`);
    }
    return [x];
  },
  elementwise: {
    cpu: (c) => {
      const y = c.params.y as number;
      const round = rounderOf(dtypeOf(c));
      const times = isFloatCtx(c) ? (a: number, b: number) => round(a * b) : Math.imul;
      return (x) => {
        let acc = 1, base = x, k = Math.abs(y);
        while (k > 0) {
          if (k & 1) acc = times(acc, base);
          k >>= 1;
          if (k > 0) base = times(base, base);
        }
        return y < 0 ? 1 / acc : acc;
      };
    },
    wgsl: (c, a) => `tl_integer_pow_${dtypeOf(c) === 'float16' ? 'f16' : wgslType(c)}(${a}, ${c.params.y as number})`,
    wgslHelpers: (c) => [`tl_integer_pow_${dtypeOf(c) === 'float16' ? 'f16' : wgslType(c)}`],
  },
});

/**
 * pow(x, y): x floating; y of x's dtype or any integer dtype (converted to x's dtype first, as JAX's
 * lowering does). C's special cases: pow(x, 0) = 1 and pow(1, y) = 1 even for NaN.
 */
export const pow = pointwise({
  name: 'pow',
  abstractEval([x, y]) {
    const shape = elementwiseShape('pow', [x, y]);
    checkDTypeClass('pow', [x], FLOAT, 0);
    checkDTypeClass('pow', [y], NUMBER, 1);
    if (!(isInteger(y.dtype) || y.dtype === x.dtype)) {
      throw new TypeError('the first argument to pow must have an inexact dtype (float or complex), and the second argument must have an ' +
        `inexact or integer dtype, and two inexact dtypes must match, but got ${x.dtype} and ${y.dtype} respectively.`);
    }
    return [new ShapedArray(shape, x.dtype, allWeak([x, y]))];
  },
  elementwise: {
    cpu: (c) => {
      const toX = isInteger(c.inDtypes[1]) ? rounderOf(c.inDtypes[0]) : (v: number) => v;
      return (x, y) => powC(x, toX(y));
    },
    wgsl: (c, x, y) => {
      if (!isInteger(c.inDtypes[1])) return `tl_pow(${x}, ${y})`;
      return `tl_pow(${x}, ${c.inDtypes[0] === 'float16' ? `tl_round_f16(f32(${y}))` : `f32(${y})`})`;
    },
    wgslHelpers: (c) => ['tl_pow', ...(c.inDtypes[0] === 'float16' ? ['tl_round_f16'] : [])],
  },
});

// ---- transcendental (float only) -----------------------------------------------------------------
// JS's Math is (close to) correctly rounded, so the cpu computes in double wherever XLA is accurate.

export const exp = unary('exp', FLOAT, viaHelper('tl_exp', () => Math.exp));
export const log = unary('log', FLOAT, viaHelper('tl_log', () => Math.log));
/** expm1: XLA's tanh(x/2)(e^x + 1) near 0 (f16 computed in f32); double precision for f64. */
export const expm1 = unary('expm1', FLOAT, viaHelper('tl_expm1', (c) => (dtypeOf(c) === 'float64' ? Math.expm1 : xlaExpm1F32)));
export const log1p = unary('log1p', FLOAT, viaHelper('tl_log1p', () => Math.log1p));
export const sqrt = unary('sqrt', FLOAT, { cpu: () => Math.sqrt, wgsl: (_c, a) => `sqrt(${a})` });
export const rsqrt = unary('rsqrt', FLOAT, {
  cpu: () => (x) => 1 / Math.sqrt(x),
  // The barrier keeps the compiler from turning 1/sqrt into its approximate inverse square root.
  wgsl: (_c, a) => `(1.0 / tl_opaque(sqrt(${a})))`,
  wgslHelpers: () => ['tl_opaque'],
});
export const cbrt = unary('cbrt', FLOAT, viaHelper('tl_cbrt', () => Math.cbrt));
export const sin = unary('sin', FLOAT, viaHelper('tl_sin', () => Math.sin));
export const cos = unary('cos', FLOAT, viaHelper('tl_cos', () => Math.cos));
export const tan = unary('tan', FLOAT, viaHelper('tl_tan', () => Math.tan));
export const atan = unary('atan', FLOAT, viaHelper('tl_atan', () => Math.atan));

/** exp2: JAX computes exp(x · ln2), with x · ln2 rounded to the dtype (up to ~60 ulp off 2^x near ±126). */
export const exp2 = unary('exp2', FLOAT, viaHelper((c) => `tl_exp2${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return (x) => 2 ** x;
  const r = rounderOf(dtypeOf(c));
  const ln2 = r(Math.LN2);
  return (x) => r(Math.exp(r(x * ln2)));
}));

/** logistic: JAX's 1 / (1 + exp(-x)), each step in the operand's dtype. */
export const logistic = unary('logistic', FLOAT, viaHelper((c) => `tl_logistic${precisionSuffix(c)}`, (c) => {
  const r = rounderOf(dtypeOf(c));
  return (x) => r(1 / r(r(Math.exp(-x)) + 1));
}));

/** tanh: XLA's rational approximation in f32 (f16 is computed in f32); double precision for f64. */
export const tanh = unary('tanh', FLOAT, viaHelper('tl_tanh', (c) => (dtypeOf(c) === 'float64' ? Math.tanh : xlaTanhF32)));

/** erf: XLA's rational approximation in f32 (f16 is computed in f32); double precision for f64. */
export const erf = unary('erf', FLOAT, viaHelper('tl_erf', (c) => (dtypeOf(c) === 'float64' ? erfF64 : xlaErfF32)));

/** erf_inv: JAX's Giles polynomials (f32 ones for f32 and f16, f64 ones for f64). */
export const erf_inv = unary('erf_inv', FLOAT, viaHelper('tl_erf_inv', (c) => (x) => erfInv(x, dtypeOf(c))));

// sinh, cosh: JAX's composition with exp(±x - ln2), evaluated in f32 also for f16 operands.
const LN2_F32_NEG = Math.fround(-Math.LN2);
export const sinh = unary('sinh', FLOAT, viaHelper('tl_sinh', (c) => {
  if (dtypeOf(c) === 'float64') return Math.sinh;
  const f = upcastRounderOf(dtypeOf(c));
  return (x) => {
    if (Math.abs(x) < 1) {
      const e = xlaExpm1F32(x);
      return f(f(e + f(e / f(e + 1))) * 0.5);
    }
    return f(f(Math.exp(f(x + LN2_F32_NEG))) - f(Math.exp(f(LN2_F32_NEG - x))));
  };
}));
export const cosh = unary('cosh', FLOAT, viaHelper('tl_cosh', (c) => {
  if (dtypeOf(c) === 'float64') return Math.cosh;
  const f = upcastRounderOf(dtypeOf(c));
  return (x) => f(f(Math.exp(f(x + LN2_F32_NEG))) + f(Math.exp(f(LN2_F32_NEG - x))));
}));

// asin, acos, asinh, acosh, atanh: JAX's compositions, each step rounded to the operand's dtype.
export const asin = unary('asin', FLOAT, viaHelper((c) => `tl_asin${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return Math.asin;
  const r = rounderOf(dtypeOf(c));
  return (x) => {
    const t = r(Math.atan2(x, r(1 + r(Math.sqrt(r(r(1 - x) * r(x + 1)))))));
    return r(t + t);
  };
}));
export const acos = unary('acos', FLOAT, viaHelper((c) => `tl_acos${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return Math.acos;
  const r = rounderOf(dtypeOf(c));
  return (x) => r(Math.atan2(r(Math.sqrt(r(r(1 - x) * r(x + 1)))), x));
}));
export const asinh = unary('asinh', FLOAT, viaHelper((c) => `tl_asinh${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return Math.asinh;
  const r = rounderOf(dtypeOf(c));
  const ln2 = r(Math.LN2);
  const large = dtypeOf(c) === 'float16' ? 255.875 : Math.fround(Math.sqrt(3.4028234663852886e38));
  return (x) => {
    const a = Math.abs(x);
    if (a >= large) return Math.sign(x) * r(r(Math.log(a)) + ln2);
    const a2 = r(a * a);
    return Math.sign(x) * r(Math.log1p(r(a + r(a2 / r(r(Math.sqrt(r(a2 + 1))) + 1)))));
  };
}));
export const acosh = unary('acosh', FLOAT, viaHelper((c) => `tl_acosh${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return Math.acosh;
  const r = rounderOf(dtypeOf(c));
  const ln2 = r(Math.LN2);
  const large = dtypeOf(c) === 'float16' ? 32752 : Math.fround(1.70141173e38);
  return (x) => {
    if (x >= large) return r(r(Math.log(x)) + ln2);
    const a = r(Math.sqrt(r(x - 1)));
    return r(Math.log1p(r(a * r(r(Math.sqrt(r(x + 1))) + a))));
  };
}));
export const atanh = unary('atanh', FLOAT, viaHelper((c) => `tl_atanh${precisionSuffix(c)}`, (c) => {
  if (dtypeOf(c) === 'float64') return Math.atanh;
  const r = rounderOf(dtypeOf(c));
  return (x) => (Math.abs(x) > 1 ? NaN : r(r(r(Math.log1p(x)) - r(Math.log1p(-x))) * 0.5));
}));

export const atan2 = nary('atan2', FLOAT, viaHelper('tl_atan2', () => Math.atan2));
/** nextafter: the next representable value of the operands' dtype after x toward y. */
export const nextafter = nary('nextafter', FLOAT, viaHelper((c) => `tl_nextafter${precisionSuffix(c)}`, (c) => nextafterOf(dtypeOf(c))));

export const is_finite = unary('is_finite', FLOAT, {
  cpu: () => (x) => +Number.isFinite(x),
  wgsl: (_c, a) => `tl_isfinite(${a})`,
  wgslHelpers: () => ['tl_isfinite'],
}, toBool);

// ---- bitwise ---------------------------------------------------------------------------------------
export const not = unary('not', INT_OR_BOOL, {
  cpu: (c) => (isBoolCtx(c) ? (x) => 1 - x : (x) => ~x),
  wgsl: (c, a) => (isBoolCtx(c) ? `(!${a})` : `(~${a})`),
});
const logical = (name: string, js: (a: number, b: number) => number, boolOp: string, intOp: string) => nary(name, INT_OR_BOOL, {
  cpu: () => js,
  wgsl: (c, a, b) => `(${a} ${isBoolCtx(c) ? boolOp : intOp} ${b})`,
});
export const and = logical('and', (a, b) => a & b, '&&', '&');
export const or = logical('or', (a, b) => a | b, '||', '|');
export const xor = logical('xor', (a, b) => a ^ b, '!=', '^');

export const population_count = unary('population_count', INTEGER, { cpu: () => popcount32, wgsl: (_c, a) => `countOneBits(${a})` });
export const clz = unary('clz', INTEGER, { cpu: () => Math.clz32, wgsl: (_c, a) => `countLeadingZeros(${a})` });

// Shift amounts are read as unsigned: 32 or more (or negative) shifts every bit out, filling with the
// sign bit for the arithmetic shift (also for uint32 operands, as XLA does).
export const shift_left = nary('shift_left', INTEGER, intHelper(
  () => (a, b) => ((b >>> 0) >= 32 ? 0 : a << b),
  'tl_shift_left',
));
export const shift_right_logical = nary('shift_right_logical', INTEGER, intHelper(
  () => (a, b) => ((b >>> 0) >= 32 ? 0 : (a >>> 0) >>> b),
  'tl_shift_right_logical',
));
export const shift_right_arithmetic = nary('shift_right_arithmetic', INTEGER, intHelper(
  () => (a, b) => (a | 0) >> Math.min(b >>> 0, 31),
  'tl_shift_right_arithmetic',
));

// ---- comparisons -----------------------------------------------------------------------------------
// Float comparisons go through helpers that test NaN on the bits: WGSL lets the compiler assume no NaN
// (lavapipe evaluates NaN != 0 as false and folds x <= x to true).
function comparison(name: string, js: (a: number, b: number) => number, op: string, boolForm: (a: string, b: string) => string) {
  return nary(name, ANY, floatOr(
    () => js,
    `tl_${name}_f32`,
    (c, a, b) => (isBoolCtx(c) ? boolForm(a, b) : `(${a} ${op} ${b})`),
  ), toBool);
}
export const eq = comparison('eq', (a, b) => +(a === b), '==', (a, b) => `(${a} == ${b})`);
export const ne = comparison('ne', (a, b) => +(a !== b), '!=', (a, b) => `(${a} != ${b})`);
// WGSL has no ordering on bool; false < true.
export const lt = comparison('lt', (a, b) => +(a < b), '<', (a, b) => `(!${a} && ${b})`);
export const le = comparison('le', (a, b) => +(a <= b), '<=', (a, b) => `(!${a} || ${b})`);
export const gt = comparison('gt', (a, b) => +(a > b), '>', (a, b) => `(${a} && !${b})`);
export const ge = comparison('ge', (a, b) => +(a >= b), '>=', (a, b) => `(${a} || !${b})`);

// ---- selection -------------------------------------------------------------------------------------
/**
 * select_n(which, *cases): cases[which]. `which` is bool (at most 2 cases) or an integer; out of
 * range it picks the nearest end, as XLA's lowering (a binary search on `which < k`) does.
 */
export const select_n = pointwise({
  name: 'select_n',
  abstractEval([which, ...cases]) {
    if (cases.length === 0) throw new TypeError('select must have at least one case');
    if (cases.some((c) => c.shape.join() !== cases[0].shape.join())) {
      throw new TypeError(`select cases must have the same shapes, got [${cases.map((c) => shapeStr(c.shape)).join(', ')}].`);
    }
    if (which.ndim !== 0 && which.shape.join() !== cases[0].shape.join()) {
      throw new TypeError(`select \`which\` must be scalar or have the same shape as cases, got \`which\` shape ${shapeStr(which.shape)} but case shape ${shapeStr(cases[0].shape)}.`);
    }
    checkSameDTypes('select', cases);
    if (!(isBool(which.dtype) || isInteger(which.dtype))) {
      throw new TypeError(`select \`which\` must be boolean or integer type, got ${which.dtype}.`);
    }
    if (isBool(which.dtype) && cases.length > 2) throw new TypeError('select with boolean `which` cannot have > 2 cases.');
    return [new ShapedArray(cases[0].shape, cases[0].dtype, allWeak(cases))];
  },
  elementwise: {
    cpu: () => (w, ...cs) => cs[w <= 0 ? 0 : w >= cs.length ? cs.length - 1 : w],
    wgsl: (c, w, ...cs) => {
      if (cs.length === 1) return cs[0];
      if (isBool(c.inDtypes[0])) return `select(${cs[0]}, ${cs[1]}, ${w})`;
      // cases[clamp(which, 0, n - 1)]: the first k with which <= k, else the last case.
      const lit = (i: number) => (isUnsigned(c.inDtypes[0]) ? `${i}u` : `${i}`);
      let e = cs[cs.length - 1];
      for (let i = cs.length - 2; i >= 0; i--) e = `select(${e}, ${cs[i]}, ${w} <= ${lit(i)})`;
      return e;
    },
  },
});

/** clamp(min, x, max) = min(max(x, min), max), NaN-propagating; min and max may be scalars. */
export const clamp = pointwise({
  name: 'clamp',
  abstractEval([lo, x, hi]) {
    if (lo.ndim !== 0 && lo.shape.join() !== x.shape.join()) {
      throw new TypeError(`clamp requires min.shape == operand.shape or min.shape == (), got min.shape=${shapeStr(lo.shape)}, operand.shape=${shapeStr(x.shape)}.`);
    }
    if (hi.ndim !== 0 && hi.shape.join() !== x.shape.join()) {
      throw new TypeError(`clamp requires max.shape == operand.shape or max.shape == (), got max.shape=${shapeStr(hi.shape)}, operand.shape=${shapeStr(x.shape)}.`);
    }
    checkSameDTypes('clamp', [lo, x, hi]);
    return [new ShapedArray(x.shape, x.dtype, allWeak([lo, x, hi]))];
  },
  elementwise: floatOr(
    () => (lo, x, hi) => Math.min(Math.max(x, lo), hi),
    'tl_clamp_f32',
    (c, lo, x, hi) => (isBoolCtx(c) ? `((${x} || ${lo}) && ${hi})` : `min(max(${x}, ${lo}), ${hi})`),
  ),
});

// ---- conversions -----------------------------------------------------------------------------------
/**
 * convert_element_type[new_dtype, weak_type]: float → integer truncates toward zero and saturates,
 * with NaN → 0 (and negative → 0 for uint32); int32 ↔ uint32 wrap; anything → bool is x != 0 (NaN is
 * true); bool → numbers is 0/1.
 */
export const convert_element_type = pointwise<{ new_dtype: DType; weak_type: boolean; sharding?: null }>({
  name: 'convert_element_type',
  abstractEval([x], { new_dtype, weak_type }) {
    const d = checkDType(new_dtype, 'convert_element_type');
    return [new ShapedArray(x.shape, d, !!weak_type)];
  },
  elementwise: {
    cpu: (c) => {
      const from = dtypeOf(c), to = c.outDtype;
      if (to === 'bool') return (x) => +(x !== 0);
      if (isFloat(from) && to === 'int32') return (x) => (Number.isNaN(x) ? 0 : Math.min(2147483647, Math.max(-2147483648, Math.trunc(x))));
      if (isFloat(from) && to === 'uint32') return (x) => (Number.isNaN(x) || x <= 0 ? 0 : Math.min(4294967295, Math.trunc(x)));
      // int32 ↔ uint32 wrap in the typed-array store; to floats the store rounds.
      return (x) => x;
    },
    wgsl: (c, a) => {
      const from = dtypeOf(c), to = c.outDtype;
      const target = to === 'int32' ? 'i32' : to === 'uint32' ? 'u32' : to === 'bool' ? 'bool' : 'f32';
      if (from === to || wgslType(c) === target) return a;
      if (to === 'bool') return isFloat(from) ? `((bitcast<u32>(${a}) & 0x7fffffffu) != 0u)` : `(${a} != ${isUnsigned(from) ? '0u' : '0'})`;
      if (isBool(from)) return `select(${target}(0), ${target}(1), ${a})`;
      if (isFloat(from)) return `tl_f32_to_${target}(${a})`;
      return target === 'f32' ? `f32(${a})` : `bitcast<${target}>(${a})`;
    },
    wgslHelpers: (c) => (isFloatCtx(c) && isInteger(c.outDtype) ? [`tl_f32_to_${c.outDtype === 'int32' ? 'i32' : 'u32'}`] : []),
  },
});

/** bitcast_convert_type[new_dtype]: the same bits read as another dtype of the same width. */
export const bitcast_convert_type = pointwise<{ new_dtype: DType }>({
  name: 'bitcast_convert_type',
  abstractEval([x], { new_dtype }) {
    const d = checkDType(new_dtype, 'bitcast_convert_type');
    if ((isBool(x.dtype) || isBool(d)) && x.dtype !== d) {
      throw new TypeError('lax.bitcast_convert_type does not support bool or complex values unless the operand and destination types match. ' +
        `Got operand dtype=${x.dtype}, new_dtype=${d}. Consider using the arr.view() method instead.`);
    }
    if (itemsize(x.dtype) !== itemsize(d)) {
      throw new TypeError(`bitcast_convert_type from ${x.dtype} to ${d} changes the element width (${itemsize(x.dtype) * 8} to ${itemsize(d) * 8} bits), ` +
        'which JAX does by adding or removing a trailing dimension; Tracelens supports only same-width bitcasts (float32, int32, uint32).');
    }
    return [new ShapedArray(x.shape, d, false)];
  },
  elementwise: {
    cpu: (c) => (dtypeOf(c) === c.outDtype ? (x) => x : bitcast32(dtypeOf(c), c.outDtype)),
    wgsl: (c, a) => (dtypeOf(c) === c.outDtype ? a : `bitcast<${c.outDtype === 'float32' ? 'f32' : c.outDtype === 'int32' ? 'i32' : 'u32'}>(${a})`),
  },
});

// ---- batching rules ----------------------------------------------------------------------------
// Every pointwise primitive batches with JAX's broadcast_batcher (one-operand ones keep the batch
// dim where it is, as defvectorized); select_n and clamp have JAX's own rules, which avoid moving
// axes when the operands already agree.
import { defineBatch, primitives as allPrimitives } from '../../core/primitive.js';
import { bind1 as bindPrim } from '../../core/trace.js';
import { batchSize, bdimAtFront, broadcastBatcher, broadcastInDim, moveaxis } from '../../interpreters/batching_util.js';

for (const p of allPrimitives.values()) {
  // add_any (interpreters/jvp.ts, loaded first by the rules below) keeps batching.ts's add_batched.
  if (p.elementwise && !p.batch && p !== select_n && p !== clamp && p.name !== 'add_any') defineBatch(p, broadcastBatcher(p));
}

defineBatch(select_n, (args, dims) => {
  const [which, ...cases] = args;
  const [whichDim, ...caseDims] = dims;
  const size = batchSize(args, dims);
  const sel = (w: typeof which, cs: typeof cases) => bindPrim(select_n, [w, ...cs]);
  if (caseDims.every((d) => d === whichDim)) {
    if (which.shape.join() === cases[0].shape.join()) return [[sel(which, cases)], [whichDim]];
    // A scalar `which` of the mapped function, with non-scalar cases.
    return [[sel(broadcastInDim(which, cases[0].shape, [whichDim!]), cases)], [whichDim]];
  }
  if (which.ndim === 0 && caseDims.every((d) => d !== null)) {
    if (caseDims.every((d) => d === caseDims[0])) return [[sel(which, cases)], [caseDims[0]]];
    if (cases.every((c) => c.shape.join() === cases[0].shape.join())) {
      const b = caseDims[0]!;
      return [[sel(which, [cases[0], ...cases.slice(1).map((c, k) => moveaxis(c, caseDims[k + 1]!, b))])], [b]];
    }
  }
  let w = which.ndim ? bdimAtFront(which, whichDim, size) : which;
  let cs = cases.every((c) => c.ndim === 0) ? cases : cases.map((c, k) => bdimAtFront(c, caseDims[k], size));
  if (w.ndim > 0 && w.ndim < cs[0].ndim) w = broadcastInDim(w, cs[0].shape, [0]);
  if (w.ndim > cs[0].ndim) cs = cs.map((c) => broadcastInDim(c, w.shape, []));
  return [[sel(w, cs)], [0]];
});

defineBatch(clamp, (args, dims) => {
  let [lo, x, hi] = args;
  const [loDim, xDim, hiDim] = dims;
  const size = batchSize(args, dims);
  const bindClamp = () => bindPrim(clamp, [lo, x, hi]);
  if (loDim === xDim && xDim === hiDim) {
    if (lo.shape.join() === x.shape.join() && x.shape.join() === hi.shape.join()) return [[bindClamp()], [xDim]];
    if (lo.ndim === 0 && hi.ndim === 0) return [[bindClamp()], [xDim]];
    if (lo.ndim === 1 && hi.ndim === 1) {
      lo = broadcastInDim(lo, x.shape, [loDim!]);
      hi = broadcastInDim(hi, x.shape, [hiDim!]);
      return [[bindClamp()], [xDim]];
    }
  } else if (lo.ndim === 0 && hi.ndim === 0 && xDim !== null) {
    return [[bindClamp()], [xDim]];
  }
  lo = lo.ndim ? bdimAtFront(lo, loDim, size) : lo;
  hi = hi.ndim ? bdimAtFront(hi, hiDim, size) : hi;
  x = x.ndim ? bdimAtFront(x, xDim, size) : x;
  if (lo.ndim === 0 && x.ndim > 0) lo = broadcastInDim(lo, x.shape, []);
  if (hi.ndim === 0 && x.ndim > 0) hi = broadcastInDim(hi, x.shape, []);
  if (lo.ndim > 0 && lo.ndim < x.ndim) lo = broadcastInDim(lo, x.shape, [0]);
  if (hi.ndim > 0 && hi.ndim < x.ndim) hi = broadcastInDim(hi, x.shape, [0]);
  if (lo.ndim > x.ndim) x = broadcastInDim(x, lo.shape, []);
  return [[bindClamp()], [0]];
});

// ---- JVP and transpose rules ----------------------------------------------------------------------
// JAX's rules from jax/_src/lax/lax.py, formula for formula, so that the jaxprs of jvp/grad print the
// equations JAX prints. The rules bind primitives (never plain arithmetic), so they are traced and
// differentiated again for higher orders. Primitives of other families (broadcast_in_dim, reshape,
// reduce_sum) are looked up by name: importing engine/lax here would be an import cycle.
// JAX defines no derivative for nextafter, population_count and clz; differentiating them raises
// JAX's "Differentiation rule for 'nextafter' not implemented".
import { UndefinedPrimal, Zero as AdZero, isZero as isAdZero } from '../../core/ad_util.js';
import type { ArrayBase as AdArray } from '../../core/array_base.js';
import { defineJvp, defineTranspose } from '../../core/primitive.js';
import { bind1 as bindAd } from '../../core/trace.js';
import { scalarConstant } from '../constants.js';
import { defaultFloat, defaultInt } from '../../core/dtype.js';
import {
  type Tangent, defbilinear, defjvp, defjvp2, defjvpZero, defLinear, hasTangent, primitiveNamed, zeroTangentOf,
} from '../../interpreters/jvp.js';

/** The lax functions the rules are written with (each one `bind`). */
const L = {
  neg: (x: AdArray) => bindAd(neg, [x]),
  add: (x: AdArray, y: AdArray) => bindAd(add, [x, y]),
  sub: (x: AdArray, y: AdArray) => bindAd(sub, [x, y]),
  mul: (x: AdArray, y: AdArray) => bindAd(mul, [x, y]),
  div: (x: AdArray, y: AdArray) => bindAd(div, [x, y]),
  square: (x: AdArray) => bindAd(square, [x]),
  integerPow: (x: AdArray, y: number) => bindAd(integer_pow, [x], { y }),
  /** lax.reciprocal is integer_pow(x, -1). */
  reciprocal: (x: AdArray) => bindAd(integer_pow, [x], { y: -1 }),
  rsqrt: (x: AdArray) => bindAd(rsqrt, [x]),
  log: (x: AdArray) => bindAd(log, [x]),
  eq: (x: AdArray, y: AdArray) => bindAd(eq, [x, y]),
  /** lax.select(pred, onTrue, onFalse) = select_n(pred, onFalse, onTrue). */
  select: (pred: AdArray, onTrue: AdArray, onFalse: AdArray) => bindAd(select_n, [pred, onFalse, onTrue]),
  /** lax.convert_element_type: weak_type=False, and no equation when nothing changes. */
  convert: (x: AdArray, d: DType) => (x.dtype === d && !x.weakType ? x : bindAd(convert_element_type, [x], { new_dtype: d, weak_type: false, sharding: null })),
  broadcastInDim: (x: AdArray, shape: readonly number[], dims: readonly number[]) =>
    bindAd(primitiveNamed('broadcast_in_dim'), [x], { shape: [...shape], broadcast_dimensions: [...dims], sharding: null }),
  reshape: (x: AdArray, shape: readonly number[]) =>
    (x.shape.join() === shape.join() ? x : bindAd(primitiveNamed('reshape'), [x], { new_sizes: [...shape], dimensions: null, sharding: null })),
  reduceSum: (x: AdArray, axes: number[]) => bindAd(primitiveNamed('reduce_sum'), [x], { axes, out_sharding: null }),
};

/**
 * JAX's `_const(x, v)`: a rank-0 literal of x's dtype, strongly typed, except that for a weakly typed
 * rank-0 x of the dtype a Python scalar would get (float32 or float64 with x64, int32, bool) it is
 * that Python scalar, hence weak — so grad(sqrt)(2.0) stays weakly typed, as in JAX.
 */
function constOf(x: AdArray, v: number): AdArray {
  const pythonScalarDtype = isFloat(x.dtype) ? defaultFloat() : isBool(x.dtype) ? 'bool' : defaultInt();
  return scalarConstant(v, x.dtype, x.weakType && x.ndim === 0 && x.dtype === pythonScalarDtype);
}
/** JAX's `full_like(x, v)`: x's shape, dtype and weak type (`_zeros`, `_ones`, `_twos`). */
function fullLikeAd(x: AdArray, v: number): AdArray {
  const lit = scalarConstant(v, x.dtype, x.weakType);
  return x.ndim === 0 ? lit : L.broadcastInDim(lit, x.shape, []);
}
/** JAX's `_one(x)` / `_zero(x)`: `full_like(x, v, shape=())`, a rank-0 literal with x's weak type. */
const scalarLike = (x: AdArray, v: number) => scalarConstant(v, x.dtype, x.weakType);
/** JAX's `_replace_zero(x)`: x with its zeros replaced by ones (keeps log and 0 * inf out of rules). */
const replaceZero = (x: AdArray) => L.select(L.eq(x, constOf(x, 0)), fullLikeAd(x, 1), x);

/** JAX's `_maybe_broadcast(shape, x)`: x broadcast to `shape` (rank 0, or size-1 dims dropped). */
function maybeBroadcast(shape: readonly number[], x: AdArray): AdArray {
  if (x.shape.join() === shape.join()) return x;
  if (x.ndim === 0) return L.broadcastInDim(x, shape, []);
  const dims = x.shape.flatMap((n, i) => (n === shape[i] ? [i] : []));
  return L.broadcastInDim(L.reshape(x, dims.map((i) => x.shape[i])), shape, dims);
}
/** JAX's `_unbroadcast(aval, x)`: the cotangent of an operand that lax broadcast, summed back to its shape. */
function unbroadcast(aval: ShapedArray, x: AdArray): AdArray {
  if (aval.shape.join() === x.shape.join()) return x;
  if (aval.ndim === 0) return L.reduceSum(x, x.shape.map((_, i) => i));
  const dims = x.shape.flatMap((n, i) => (n === aval.shape[i] ? [] : [i]));
  return L.reshape(dims.length ? L.reduceSum(x, dims) : x, aval.shape);
}
const avalOfArg = (x: AdArray | UndefinedPrimal): ShapedArray => x.aval;
const isLinear = (x: AdArray | UndefinedPrimal): x is UndefinedPrimal => x instanceof UndefinedPrimal;

// Integer, boolean and piecewise-constant results: the tangent is zero.
for (const p of [sign, floor, ceil, round, is_finite, not, and, or, xor, eq, ne, lt, le, gt, ge,
  shift_left, shift_right_logical, shift_right_arithmetic, bitcast_convert_type]) defjvpZero(p as typeof sign);

defLinear(neg, (ct) => [L.neg(ct)]);

defjvp2(exp, (g, ans) => L.mul(g, ans));
defjvp2(exp2, (g, ans, x) => L.mul(L.log(constOf(x, 2)), L.mul(g, ans)));
defjvp(log, (g, x) => L.div(g, x));
defjvp2(expm1, (g, ans) => L.mul(g, L.add(ans, scalarLike(ans, 1))));
defjvp(log1p, (g, x) => L.div(g, L.add(x, scalarLike(x, 1))));
defjvp2(tanh, (g, ans, x) => L.mul(L.add(g, L.mul(g, ans)), L.sub(scalarLike(x, 1), ans)));
defjvp2(logistic, (g, ans) => L.mul(g, L.mul(ans, L.sub(scalarLike(ans, 1), ans))));
defjvp(sin, (g, x) => L.mul(g, bindAd(cos, [x])));
defjvp(cos, (g, x) => L.neg(L.mul(g, bindAd(sin, [x]))));
defjvp2(tan, (g, ans, x) => L.mul(g, L.add(constOf(x, 1), L.square(ans))));
defjvp(asin, (g, x) => L.mul(g, L.rsqrt(L.sub(constOf(x, 1), L.square(x)))));
defjvp(acos, (g, x) => L.mul(g, L.neg(L.rsqrt(L.sub(constOf(x, 1), L.square(x))))));
defjvp(atan, (g, x) => L.div(g, L.add(constOf(x, 1), L.square(x))));
defjvp(atan2,
  (g, x, y) => L.mul(g, L.div(y, L.add(L.square(x), L.square(y)))),
  (g, x, y) => L.mul(g, L.div(L.neg(x), L.add(L.square(x), L.square(y)))));
defjvp(sinh, (g, x) => L.mul(g, bindAd(cosh, [x])));
defjvp(cosh, (g, x) => L.mul(g, bindAd(sinh, [x])));
defjvp(asinh, (g, x) => L.mul(g, L.rsqrt(L.add(L.square(x), scalarLike(x, 1)))));
// x^2 - 1 rather than (x + 1)(x - 1), as JAX: the domain is x >= 1.
defjvp(acosh, (g, x) => L.mul(g, L.rsqrt(L.sub(L.square(x), scalarLike(x, 1)))));
defjvp(atanh, (g, x) => L.mul(L.reciprocal(L.add(scalarLike(x, 1), x)), L.div(g, L.sub(scalarLike(x, 1), x))));
// erf and erf_inv: jax/_src/lax/special.py.
defjvp(erf, (g, x) => L.mul(constOf(x, 2 / Math.sqrt(Math.PI)), L.mul(g, bindAd(exp, [L.neg(L.square(x))]))));
defjvp2(erf_inv, (g, ans, x) => L.mul(constOf(x, Math.sqrt(Math.PI) / 2), L.mul(g, bindAd(exp, [L.square(ans)]))));

defjvp2(abs, (g, _ans, x) => L.select(bindAd(ge, [x, scalarLike(x, 0)]), g, L.neg(g)));
defjvp2(sqrt, (g, ans, x) => L.mul(g, L.div(constOf(x, 0.5), ans)));
defjvp2(rsqrt, (g, ans, x) => L.mul(g, L.mul(constOf(x, -0.5), L.div(ans, x))));
defjvp2(cbrt, (g, ans, x) => L.mul(g, L.mul(constOf(x, 1 / 3), L.integerPow(ans, -2))));
defjvp2(square, (g, _ans, x) => L.mul(g, L.mul(constOf(x, 2), x)));

defjvp2(pow,
  (g, _ans, x0: AdArray, y0: AdArray) => {
    // The exponent in x's dtype; an integer exponent is broadcast first and y = 0 gives 0, not 0 * x^-1.
    const d = x0.dtype;
    let x = L.convert(x0, d), y = L.convert(y0, d);
    let jac: AdArray;
    if (isInteger(y0.dtype)) {
      if (x.shape.join() !== y.shape.join()) {
        const shape = elementwiseShape('pow', [x.aval, y.aval]);
        x = maybeBroadcast(shape, x);
        y = maybeBroadcast(shape, y);
      }
      jac = L.select(L.eq(y, constOf(y, 0)), fullLikeAd(y, 0), L.mul(replaceZero(y), bindAd(pow, [x, L.sub(y, fullLikeAd(y, 1))])));
    } else {
      jac = L.mul(y, bindAd(pow, [x, L.sub(y, fullLikeAd(y, 1))]));
    }
    return L.mul(g, jac);
  },
  (g, ans, x: AdArray, y: AdArray) => L.convert(L.mul(g, L.mul(L.log(replaceZero(x)), ans)), y.dtype));

defjvp(integer_pow, (g, x: AdArray, { y }: { y: number }) => {
  if (y === 0) return fullLikeAd(g, 0);
  if (y === 1) return g;
  if (y === 2) return L.mul(g, L.mul(constOf(x, y), x));
  return L.mul(g, L.mul(constOf(x, y), L.integerPow(x, y - 1)));
});

// add and sub: a tangent of a broadcast operand is broadcast to the result's shape; the transposes
// sum cotangents back to each operand's shape.
defineJvp(add, ([x, y], [tx, ty]) => {
  const out = L.add(x, y);
  if (isAdZero(tx) && isAdZero(ty)) return [[out], [zeroTangentOf(out)]];
  if (isAdZero(tx)) return [[out], [maybeBroadcast(out.shape, ty as AdArray)]];
  if (isAdZero(ty)) return [[out], [maybeBroadcast(out.shape, tx)]];
  return [[out], [L.add(tx, ty)]];
});
defineTranspose(add, ([ct], [x, y]) => {
  if (isAdZero(ct)) return [new AdZero(avalOfArg(x)), new AdZero(avalOfArg(y))];
  return [unbroadcast(avalOfArg(x), ct), unbroadcast(avalOfArg(y), ct)];
});
defineJvp(sub, ([x, y], [tx, ty]) => {
  const out = L.sub(x, y);
  if (isAdZero(tx) && isAdZero(ty)) return [[out], [zeroTangentOf(out)]];
  if (isAdZero(tx)) return [[out], [maybeBroadcast(out.shape, L.neg(ty as AdArray))]];
  if (isAdZero(ty)) return [[out], [maybeBroadcast(out.shape, tx)]];
  return [[out], [L.sub(tx, ty)]];
});
defineTranspose(sub, ([ct], [x, y]) => {
  if (isAdZero(ct)) return [new AdZero(avalOfArg(x)), new AdZero(avalOfArg(y))];
  return [unbroadcast(avalOfArg(x), ct), unbroadcast(avalOfArg(y), L.neg(ct))];
});

defbilinear(mul,
  (ct, x: UndefinedPrimal, y: AdArray) => unbroadcast(x.aval, L.mul(ct, y)),
  (ct, x: AdArray, y: UndefinedPrimal) => unbroadcast(y.aval, L.mul(x, ct)));

defjvp(div,
  (g, _x, y) => L.div(g, y),
  (g, x, y) => L.mul(L.mul(L.neg(g), x), L.integerPow(y, -2)));
defineTranspose(div, ([ct], [x, y]) => {
  if (isLinear(y)) throw new Error("nonlinear div can't be transposed");
  if (isAdZero(ct)) return [new AdZero(avalOfArg(x)), null];
  return [unbroadcast(avalOfArg(x), L.div(ct, y)), null];
});

defjvp(rem,
  (g, x, y) => maybeBroadcast(elementwiseShape('rem', [x.aval, y.aval]), g),
  (g, x, y) => L.mul(L.neg(g), L.mul(bindAd(sign, [L.div(x, y)]), bindAd(floor, [bindAd(abs, [L.div(x, y)])]))));

/**
 * JAX's `_balanced_eq(x, z, y)`: 1 where x alone attains the max/min z, 1/2 where x and y tie, 0
 * elsewhere, so that a tie splits the derivative evenly between the operands.
 */
function balancedEq(x: AdArray, z: AdArray, y: AdArray): AdArray {
  return L.div(L.select(L.eq(x, z), fullLikeAd(z, 1), fullLikeAd(z, 0)), L.select(L.eq(y, z), fullLikeAd(z, 2), fullLikeAd(z, 1)));
}
for (const p of [max, min]) {
  defjvp2(p,
    (g, ans, x, y) => L.mul(g, balancedEq(x, ans, y)),
    (g, ans, x, y) => L.mul(g, balancedEq(y, ans, x)));
}

defjvp(clamp,
  (g, lo, x, hi) => L.select(bindAd(and, [bindAd(gt, [lo, x]), bindAd(lt, [lo, hi])]), g, fullLikeAd(x, 0)),
  (g, lo, x, hi) => L.select(bindAd(and, [bindAd(gt, [x, lo]), bindAd(lt, [x, hi])]), g, fullLikeAd(x, 0)),
  (g, _lo, x, hi) => L.select(bindAd(lt, [hi, x]), g, fullLikeAd(x, 0)));

// select_n: the tangent selects among the cases' tangents (zeros for cases without one); the
// transpose routes the cotangent to the case each element came from.
defineJvp(select_n, ([which, ...cases], [, ...caseTangents]) => {
  const out = bindAd(select_n, [which, ...cases]);
  const nonzero = caseTangents.find((t): t is AdArray => !isAdZero(t));
  if (!nonzero) return [[out], [caseTangents[0]]];
  const z = fullLikeAd(nonzero, 0);
  return [[out], [bindAd(select_n, [which, ...caseTangents.map((t) => (isAdZero(t) ? z : t))])]];
});
defineTranspose(select_n, ([ct], [which, ...cases]) => {
  if (isLinear(which)) throw new Error('select_n: the predicate `which` cannot be a linear input of a transpose');
  if (isAdZero(ct)) return [null, ...cases.map((c) => (isLinear(c) ? new AdZero(c.aval) : null))];
  const zeros = fullLikeAd(ct, 0);
  if (isBool(which.dtype)) {
    return [null, isLinear(cases[0]) ? L.select(which, zeros, ct) : null, isLinear(cases[1]) ? L.select(which, ct, zeros) : null];
  }
  return [null, ...cases.map((c, i) => (isLinear(c) ? L.select(L.eq(which, constOf(which, i)), ct, zeros) : null))];
});

// convert_element_type is linear between floating dtypes; an integer or boolean result has a zero
// (float0) tangent, and so does an integer or boolean operand.
defjvp2(convert_element_type, (g, ans, _x, { new_dtype, weak_type }: { new_dtype: DType; weak_type: boolean }): Tangent => {
  if (!hasTangent(ans.aval)) return zeroTangentOf(ans);
  return bindAd(convert_element_type, [g], { new_dtype, weak_type, sharding: null });
});
defineTranspose(convert_element_type, ([ct], [operand]) => {
  const aval = avalOfArg(operand);
  if (isAdZero(ct)) return [new AdZero(aval)];
  if (!hasTangent(aval)) return [zeroTangentOf(aval)];
  return [bindAd(convert_element_type, [ct], { new_dtype: aval.dtype, weak_type: aval.weakType, sharding: null })];
});
