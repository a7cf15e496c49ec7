// Scalar math for the cpu formulas of ./elementwise.ts, where JS's Math differs from what JAX computes.
//
// The cpu backend evaluates each formula in double precision and rounds once on store, which is more
// accurate than JAX wherever JAX is itself approximate. Where the gap is more than an ulp or two the
// functions here reproduce JAX instead: XLA's rational approximations of tanh and erf, and the
// compositions JAX lowers some operations to (exp2 = exp(x·ln2), sinh/cosh via exp(x - ln2), erf_inv
// by Giles' polynomials, asin via atan2, …), evaluated with the rounding of every intermediate that
// XLA applies (`Rounder`). Plus the C semantics JS lacks: pow's special cases, nextafter, bit casts.

import { type DType, roundToFloat16 } from '../../core/dtype.js';

/** Rounds a double to the precision an intermediate of a dtype has (f32, f16, or none for f64). */
export type Rounder = (x: number) => number;
const identity: Rounder = (x) => x;

/**
 * The rounding of a dtype's own arithmetic. XLA computes a float16 operation in f32 and rounds the
 * f32 result to f16, so f16 rounds through f32 (which decides ties the way XLA does).
 */
export function rounderOf(dtype: DType): Rounder {
  return dtype === 'float32' ? Math.fround : dtype === 'float16' ? roundF32ThenF16 : identity;
}
const roundF32ThenF16: Rounder = (x) => roundToFloat16(Math.fround(x));
/** The rounding of an operation XLA evaluates in f32 even for f16 operands (it upcasts them). */
export function upcastRounderOf(dtype: DType): Rounder {
  return dtype === 'float64' ? identity : Math.fround;
}

/** fma(a, b, c) rounded to f32: a·b of two f32 values is exact in a double. */
const fmaF32 = (a: number, b: number, c: number) => Math.fround(a * b + c);

/** XLA's f32 tanh (xla/codegen/intrinsic/tanh.cc): Eigen's rational approximation, with FMA. */
export function xlaTanhF32(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a >= 20) return Math.sign(x);
  if (a < 0.0004) return x;
  const f = Math.fround;
  const c = Math.min(Math.max(x, -7.99881172180175781), 7.99881172180175781);
  const x2 = f(c * c);
  let p = f(-2.76076847742355e-16);
  for (const k of [2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-08, 1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03]) p = fmaF32(x2, p, f(k));
  p = f(c * p);
  let q = f(1.19825839466702e-06);
  for (const k of [1.18534705686654e-04, 2.26843463243900e-03, 4.89352518554385e-03]) q = fmaF32(x2, q, f(k));
  return f(p / q);
}

/** XLA's expm1: tanh(x/2) (e^x + 1) for |x| <= 1/2 (XLA's tanh), e^x - 1 beyond; x where x/2 underflows. */
export function xlaExpm1F32(x: number): number {
  const f = Math.fround;
  const half = f(x * 0.5);
  if (half === 0) return x;
  const e = f(Math.exp(x));
  if (Math.abs(x) > 0.5) return f(e - 1);
  return f(xlaTanhF32(half) * f(e + 1));
}

/** XLA's f32 erf (EmitErfF32): Eigen's rational approximation, ±1 beyond 3.8325. */
export function xlaErfF32(x: number): number {
  if (Math.abs(x) >= 3.832506856900711) return Math.sign(x);
  const f = Math.fround;
  const x2 = f(x * x);
  let p = fmaF32(x2, f(0.00022905065861350646), f(0.0034082910107109506));
  for (const k of [0.050955695062380861, 0.18520832239976145, 1.128379143519084]) p = fmaF32(x2, p, f(k));
  p = f(x * p);
  let q = fmaF32(x2, f(-1.1791602954361697e-7), f(0.000023547966471313185));
  for (const k of [0.0010179625278914885, 0.014070470171167667, 0.11098505178285362, 0.49746925110067538, 1.0]) q = fmaF32(x2, q, f(k));
  return f(p / q);
}

/** erf in double precision: (2/√π) e^{-x²} Σ (2x²)^n x / (2n+1)!! (all terms positive, no cancellation). */
export function erfF64(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  const x2 = a * a;
  let term = a, sum = a;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum);
}

// Giles, "Approximating the erfinv function" (GPU Computing Gems), as JAX's erf_inv lowering uses it:
// single precision for f32/f16 (evaluated in f32), double precision for f64. Highest degree first.
const GILES_F32_CENTRAL = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const GILES_F32_TAIL = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];
const GILES_F64 = [
  [-3.64441206401782e-21, -1.6850591381820166e-19, 1.28584807152564e-18, 1.1157877678025181e-17, -1.333171662854621e-16,
    2.0972767875968562e-17, 6.637638134358324e-15, -4.054566272975207e-14, -8.151934197605472e-14, 2.6335093153082323e-12,
    -1.2975133253453532e-11, -5.415412054294628e-11, 1.0512122733215323e-09, -4.112633980346984e-09, -2.9070369957882005e-08,
    4.2347877827932404e-07, -1.3654692000834679e-06, -1.3882523362786469e-05, 0.00018673420803405714, -0.000740702534166267,
    -0.0060336708714301491, 0.24015818242558962, 1.6536545626831027],
  [2.2137376921775787e-09, 9.075656193888539e-08, -2.7517406297064545e-07, 1.8239629214389228e-08, 1.5027403968909828e-06,
    -4.013867526981546e-06, 2.9234449089955446e-06, 1.2475304481671779e-05, -4.7318229009055734e-05, 6.828485145957318e-05,
    2.4031110387097894e-05, -0.0003550375203628475, 0.0009532893797373805, -0.0016882755560235047, 0.002491442096107851,
    -0.003751208507569241, 0.005370914553590064, 1.0052589676941592, 3.0838856104922208],
  [-2.7109920616438573e-11, -2.555641816996525e-10, 1.5076572693500548e-09, -3.789465440126737e-09, 7.61570120807834e-09,
    -1.496002662714924e-08, 2.914795345090108e-08, -6.771199775845234e-08, 2.2900482228026655e-07, -9.9298272942317e-07,
    4.526062597223154e-06, -1.968177810553167e-05, 7.599527703001776e-05, -0.00021503011930044477, -0.00013871931833623122,
    1.0103004648645344, 4.849906401408584],
];

function horner(coeffs: readonly number[], w: number, r: Rounder): number {
  let p = r(coeffs[0]);
  for (let i = 1; i < coeffs.length; i++) p = r(r(coeffs[i]) + r(p * w));
  return p;
}

/** JAX's erf_inv: w = -log1p(-x²), then Giles' polynomial in w (or √w) times x; ±inf at ±1. */
export function erfInv(x: number, dtype: DType): number {
  if (Math.abs(x) === 1) return x * Infinity;
  if (dtype === 'float64') {
    const w = -Math.log1p(-x * x);
    if (w < 6.25) return horner(GILES_F64[0], w - 3.125, identity) * x;
    if (w < 16) return horner(GILES_F64[1], Math.sqrt(w) - 3.25, identity) * x;
    return horner(GILES_F64[2], Math.sqrt(w) - 5, identity) * x;
  }
  const f = Math.fround;
  const w = -f(Math.log1p(f(x * -x)));
  const p = w < 5 ? horner(GILES_F32_CENTRAL, f(w - 2.5), f) : horner(GILES_F32_TAIL, f(f(Math.sqrt(w)) - 3), f);
  return f(p * x);
}

/** pow with C's (and XLA's) special cases where JS's Math.pow differs: 1^y = 1 and (-1)^±inf = 1. */
export function powC(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** The float of the nearest representable value after x in the direction of y, in a dtype's format. */
export function nextafterOf(dtype: DType): (x: number, y: number) => number {
  return (x, y) => {
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    if (x === y) return y;
    if (x === 0) return Math.sign(y) * smallestSubnormal(dtype);
    const away = (x < y) === (x > 0); // moving away from zero grows the magnitude's bit pattern
    if (dtype === 'float16') {
      const bits = float16BitsExact(x) + (away ? 1 : -1);
      return float16Value(bits);
    }
    if (dtype === 'float32') {
      F32[0] = x;
      U32[0] += away ? 1 : -1;
      return F32[0];
    }
    F64[0] = x;
    // Little-endian: word 0 is the low half of the 64-bit pattern.
    if (away) { if (++U64[0] === 0) U64[1]++; } else { if (U64[0]-- === 0) U64[1]--; }
    return F64[0];
  };
}
const smallestSubnormal = (d: DType) => (d === 'float16' ? 2 ** -24 : d === 'float32' ? 2 ** -149 : Number.MIN_VALUE);
const F32 = new Float32Array(1), U32 = new Uint32Array(F32.buffer), I32 = new Int32Array(F32.buffer);
const F64 = new Float64Array(1), U64 = new Uint32Array(F64.buffer);

/** binary16 bits of a value exactly representable in f16 (sign, exponent, mantissa). */
function float16BitsExact(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a * 2 ** 24);
  const e = Math.floor(Math.log2(a));
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}
function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
}

/** Reinterprets the bits of a 32-bit value (f32, i32 or u32) as another 32-bit dtype. */
export function bitcast32(from: DType, to: DType): (x: number) => number {
  const write = from === 'float32' ? (x: number) => { F32[0] = x; } : from === 'int32' ? (x: number) => { I32[0] = x; } : (x: number) => { U32[0] = x; };
  const read = to === 'float32' ? () => F32[0] : to === 'int32' ? () => I32[0] : () => U32[0];
  return (x) => { write(x); return read(); };
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(x: number): number {
  let v = x >>> 0, n = 0;
  while (v) { v &= v - 1; n++; }
  return n;
}

/** Round half away from zero, keeping the sign of zero (lax.round, rounding_method 0). */
export function roundHalfAway(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** Round half to even, keeping the sign of zero (rounding_method 1, np.round). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}
