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
