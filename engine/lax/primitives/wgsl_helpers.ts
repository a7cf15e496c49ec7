// The WGSL helper functions of every shader: the pointwise formulas in ./elementwise.ts and the
// webgpu backend's kernels. A small f32 libm plus the integer and bit tricks that WGSL leaves
// undefined or implementation-defined. This is the one table of them: a shader gets its helpers
// only through `wgslHelperSource`, so no function can be defined twice in one shader.
//
// Why a libm: WGSL's built-ins are allowed to be inaccurate (Vulkan gives exp/log 3 + 2|x| ulp, sin
// of a big argument no promise at all) and to assume that no NaN or infinity ever occurs. Measured on
// Mesa lavapipe: exp is 60 ulp off near overflow, log 1e5 ulp off near 1, sin(1e30) = 1, atan2(0, 0)
// = 3π/4, `x != x` is folded to false, `max(NaN, 1)` = 1, and the compiler reassociates float math:
// `(1 + x) - 1` becomes `x`, `x * 0.0` becomes 0, the error term of a TwoSum becomes 0, and even
// `f32(f16(x))` becomes `x`. So NaN and infinity are detected on the bits, special cases are selected
// explicitly, compensated arithmetic goes through `tl_opaque`, and f16 rounding is done on the bits.
//
// Every function works on the compute types (f32, i32, u32, bool; f16 values are computed in f32).
// Where JAX composes an operation from others (asin = 2 atan2(x, 1 + sqrt(1 - x²)), exp2 = exp(x ln2),
// sinh/cosh via exp(x - ln2), erf_inv by Giles' polynomials) the helper follows the same composition,
// so results agree with JAX to an ulp or two rather than merely being accurate; XLA's own rational
// approximations of tanh and erf are reproduced coefficient for coefficient. Composed operations that
// JAX evaluates op by op in float16 have `_f16` variants that round every intermediate to f16.
//
// A formula or kernel lists the helpers it calls; `wgslHelperSource` adds what those call in turn.

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
/** A WGSL f32 constant with exactly the bits of Math.fround(x) (decimal literals may round either way). */
function k(x: number): string {
  f32Scratch[0] = x;
  return `bitcast<f32>(0x${u32Scratch[0].toString(16).padStart(8, '0')}u)`;
}
/** x rounded to f32, and what is left over, rounded to f32: a constant as a double-f32 pair. */
function hiLo(x: number): [string, string] {
  const hi = Math.fround(x);
  return [k(hi), k(x - hi)];
}

const LN2 = Math.LN2;
const [LN2_HI, LN2_LO] = hiLo(LN2);
const [PI_HI, PI_LO] = hiLo(Math.PI);
const [PIO2_HI, PIO2_LO] = hiLo(Math.PI / 2);
// atan at the break points 0.5, 1, 1.5 (fdlibm's reduction), as double-f32 pairs.
const ATAN_HALF = hiLo(Math.atan(0.5));
const ATAN_ONE = hiLo(Math.PI / 4);
const ATAN_THREE_HALVES = hiLo(Math.atan(1.5));
/** The reciprocal factorials and reciprocal odd numbers used by the Taylor kernels. */
const invFact = (n: number) => { let f = 1; for (let i = 2; i <= n; i++) f *= i; return 1 / f; };

/** Wraps an expression in per-op f16 rounding (the `_f16` variants) or leaves it as is (`_f32`). */
type Rounding = { suffix: '_f32' | '_f16'; r: (e: string) => string; ln2: string; f16: boolean };
const ROUND_F32: Rounding = { suffix: '_f32', r: (e) => `(${e})`, ln2: k(LN2), f16: false };
const ROUND_F16: Rounding = { suffix: '_f16', r: (e) => `tl_round_f16(${e})`, ln2: '0.693359375', f16: true };

const helpers: Record<string, string> = {
  // ---- bits ------------------------------------------------------------------------------------
  tl_isnan: 'fn tl_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }',
  tl_isinf: 'fn tl_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }',
  tl_isfinite: 'fn tl_isfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }',
  // A constant infinity or NaN is a shader-creation error in WGSL; a `let` makes it a runtime value.
  tl_inf: 'fn tl_inf() -> f32 { let bits = 0x7f800000u; return bitcast<f32>(bits); }',
  tl_nan: 'fn tl_nan() -> f32 { let bits = 0x7fc00000u; return bitcast<f32>(bits); }',
  tl_copysign: `fn tl_copysign(magnitude: f32, sign: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(magnitude) & 0x7fffffffu) | (bitcast<u32>(sign) & 0x80000000u));
}`,
  // The identity, written so that the optimizer cannot see through it: keeps the error terms of
  // compensated arithmetic (two_sum, the rounding error of 1 + x) from being folded to zero.
  tl_opaque: `fn tl_opaque(v: f32) -> f32 {
  return select(v, bitcast<f32>(0x12345678u), bitcast<u32>(v) == 0x12345678u);
}`,
  tl_pow2: 'fn tl_pow2(e: i32) -> f32 { return bitcast<f32>(u32(e + 127) << 23u); }',
  // x * 2^n for n in [-252, 254], in two exact steps so that a subnormal result is rounded only once.
  tl_ldexp: 'fn tl_ldexp(x: f32, n: i32) -> f32 { let h = n / 2; return (x * tl_pow2(h)) * tl_pow2(n - h); }',
  // Rounds to the nearest f16 value (ties to even), kept in an f32; overflow gives ±inf.
  tl_round_f16: `fn tl_round_f16(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  let a = bits & 0x7fffffffu;
  let sign = bits & 0x80000000u;
  if (a >= 0x7f800000u) { return x; }
  if (a >= 0x477ff000u) { return bitcast<f32>(sign | 0x7f800000u); }
  if (a >= 0x38800000u) {
    let rounded = (a + 0xfffu + ((a >> 13u) & 1u)) & 0xffffe000u;
    return bitcast<f32>(sign | rounded);
  }
  let q = round(bitcast<f32>(a) * 16777216.0) * 5.9604644775390625e-8;
  return bitcast<f32>(sign | bitcast<u32>(q));
}`,
  // The binary16 bits of an f32 already rounded to f16 (pack2x16float leaves ±inf and NaN undefined).
  tl_f16_bits: `fn tl_f16_bits(x: f32) -> u32 {
  if (tl_isnan(x)) { return 0x7e00u; }
  if (abs(x) > 65504.0) { return select(0x7c00u, 0xfc00u, x < 0.0); }
  return pack2x16float(vec2<f32>(x, 0.0)) & 0xffffu;
}`,

  // ---- double-f32 arithmetic (exact sums and products as hi + lo pairs) -------------------------
  tl_two_sum: `fn tl_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = tl_opaque(a + b);
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}`,
  tl_fast_two_sum: `fn tl_fast_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = tl_opaque(a + b);
  return vec2<f32>(s, b - (s - a));
}`,
  // Splitting by masking the low 12 mantissa bits (not Veltkamp's multiply) cannot be reassociated.
  tl_split: `fn tl_split(a: f32) -> vec2<f32> {
  let hi = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return vec2<f32>(hi, a - hi);
}`,
  tl_two_prod: `fn tl_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  let sa = tl_split(a);
  let sb = tl_split(b);
  return vec2<f32>(p, (((sa.x * sb.x - p) + sa.x * sb.y) + sa.y * sb.x) + sa.y * sb.y);
}`,
  tl_df_add: `fn tl_df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = tl_two_sum(a.x, b.x);
  return tl_fast_two_sum(s.x, s.y + (a.y + b.y));
}`,
  tl_df_mul_f: `fn tl_df_mul_f(a: vec2<f32>, b: f32) -> vec2<f32> {
  let p = tl_two_prod(a.x, b);
  return tl_fast_two_sum(p.x, p.y + a.y * b);
}`,
  // a * b + c rounded once, as a fused multiply-add: WGSL's fma() may be computed unfused (it is on
  // lavapipe), which moves XLA's FMA-evaluated approximations by several ulp.
  tl_fma: `fn tl_fma(a: f32, b: f32, c: f32) -> f32 {
  let p = tl_two_prod(a, b);
  let s = tl_two_sum(p.x, c);
  return s.x + (s.y + p.y);
}`,
  tl_mul_wide: `fn tl_mul_wide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}`,

  // ---- exp, log ------------------------------------------------------------------------------
  // e^(r + rlo) for |r| <= ln2/2 and |rlo| << |r|: Taylor to r^9 (truncation < 1e-11), with 1 + r
  // kept exact as a double-f32 so that the result is rounded once.
  tl_exp_reduced: `fn tl_exp_reduced(r: f32, rlo: f32) -> f32 {
  let q = r * r * (0.5 + r * (${invFact(3)} + r * (${invFact(4)} + r * (${invFact(5)} + r * (${invFact(6)} + r * (${invFact(7)}
    + r * (${invFact(8)} + r * ${invFact(9)})))))));
  let one_r = tl_fast_two_sum(1.0, r);
  return one_r.x + (one_r.y + (q + rlo * (1.0 + (r + q))));
}`,
  // e^(t + tlo) for t in [-104, 89]: Cody-Waite reduction by n ln2, with ln2 in three parts (the first
  // short enough that n * it is exact), and the reduction's rounding errors carried along in rlo.
  tl_exp_df: `fn tl_exp_df(t: f32, tlo: f32) -> f32 {
  let n = round(t * 1.44269504);
  let a = t - n * 0.693359375;
  let b = tl_two_prod(n, ${k(2.12194440e-4)});
  let r = tl_two_sum(a, b.x);
  let rlo = ((r.y + b.y) + tlo) - n * ${k(LN2 - 0.693359375 - Math.fround(-2.12194440e-4))};
  return tl_ldexp(tl_exp_reduced(r.x, rlo), i32(n));
}`,
  tl_exp: `fn tl_exp(x: f32) -> f32 {
  if (tl_isnan(x)) { return x; }
  if (x > 88.72283935546875) { return tl_inf(); }
  if (x < -103.972084) { return 0.0; }
  return tl_exp_df(x, 0.0);
}`,
  // XLA's expm1: tanh(x/2) (e^x + 1) for |x| <= 1/2 (with XLA's tanh), e^x - 1 beyond, and x itself
  // where x/2 underflows. Up to ~6 ulp from the true expm1 near 0, but what JAX returns.
  tl_expm1: `fn tl_expm1(x: f32) -> f32 {
  let half = x * 0.5;
  if (half == 0.0) { return x; }
  let e = tl_exp(x);
  if (abs(x) > 0.5) { return e - 1.0; }
  return tl_tanh(half) * (e + 1.0);
}`,
  // log(1 + f) + k ln2 for f in [sqrt(1/2) - 1, sqrt(2) - 1): fdlibm's logf kernel,
  // log(1 + f) = f - (f²/2 - s (f²/2 + R(s²))) with s = f / (2 + f).
  tl_log_reduced: `fn tl_log_reduced(f: f32, k: f32) -> f32 {
  let s = f / (2.0 + f);
  let z = s * s;
  let w = z * z;
  let r = z * (0.66666662693 + w * 0.28498786688) + w * (0.40000972152 + w * 0.24279078841);
  let hfsq = 0.5 * f * f;
  return k * ${k(0.693138122558593750)} - ((hfsq - (s * (hfsq + r) + k * ${k(9.0580006145e-6)})) - f);
}`,
  // Splits x > 0 (finite) as m * 2^k with m in [sqrt(1/2), sqrt(2)); returns (m, k).
  tl_frexp_sqrt2: `fn tl_frexp_sqrt2(x: f32) -> vec2<f32> {
  var bits = bitcast<u32>(x);
  var k = 0;
  if (bits < 0x00800000u) { bits = bitcast<u32>(x * 16777216.0); k = -24; }
  let e = (i32(bits) - 0x3f3504f3) >> 23;
  return vec2<f32>(bitcast<f32>(u32(i32(bits) - (e << 23u))), f32(k + e));
}`,
  tl_log: `fn tl_log(x: f32) -> f32 {
  if (tl_isnan(x)) { return x; }
  if (x < 0.0) { return tl_nan(); }
  if (x == 0.0) { return -tl_inf(); }
  if (tl_isinf(x)) { return x; }
  let mk = tl_frexp_sqrt2(x);
  return tl_log_reduced(mk.x - 1.0, mk.y);
}`,
  // Near zero the kernel takes x itself (no rounding of 1 + x); elsewhere log(1 + x) is corrected by
  // the rounding error of 1 + x, relative to 1 + x.
  tl_log1p: `fn tl_log1p(x: f32) -> f32 {
  if (tl_isnan(x)) { return x; }
  if (x < -1.0) { return tl_nan(); }
  if (x == -1.0) { return -tl_inf(); }
  if (tl_isinf(x) || x == 0.0) { return x; }
  if (x >= -0.29289323 && x < 0.41421357) { return tl_log_reduced(x, 0.0); }
  let u = tl_opaque(1.0 + x);
  return tl_log(u) + (x - (u - 1.0)) / u;
}`,
  // log(m) for m in [sqrt(1/2), sqrt(2)) as a double-f32: 2 atanh(s), s = (m - 1) / (m + 1) carried
  // to double-f32 precision; the series tail (below s³) only needs f32.
  tl_log_df: `fn tl_log_df(m: f32) -> vec2<f32> {
  let f = m - 1.0;
  let d = tl_two_sum(m, 1.0);
  let sh = f / d.x;
  let p = tl_two_prod(sh, d.x);
  let sl = (((f - p.x) - p.y) - sh * d.y) / d.x;
  let z = sh * sh;
  let tail = sh * z * (${2 / 3} + z * (${2 / 5} + z * (${2 / 7} + z * (${2 / 9} + z * (${2 / 11} + z * (${2 / 13} + z * ${2 / 15}))))));
  return tl_fast_two_sum(2.0 * sh, 2.0 * sl + tail);
}`,

  // ---- power -----------------------------------------------------------------------------------
  // a^y for finite a > 0 and finite y != 0: exp(y log a) with y log a carried as a double-f32, so that
  // results near the overflow threshold keep full precision.
  tl_pow_positive: `fn tl_pow_positive(a: f32, y: f32) -> f32 {
  let mk = tl_frexp_sqrt2(a);
  let ln2k = tl_df_mul_f(vec2<f32>(${LN2_HI}, ${LN2_LO}), mk.y);
  let l = tl_df_add(ln2k, tl_log_df(mk.x));
  // Decide overflow and underflow before the exact product, which would turn inf into NaN.
  let t0 = l.x * y;
  if (t0 > 89.0) { return tl_inf(); }
  if (t0 < -104.0) { return 0.0; }
  let t = tl_df_mul_f(l, y);
  return tl_exp_df(t.x, t.y);
}`,
  // C's pow (as XLA): pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN; pow(-1, ±inf) = 1; a negative
  // base needs an integer exponent (the sign follows its parity); zeros and infinities by the table.
  tl_pow: `fn tl_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (tl_isnan(x) || tl_isnan(y)) { return tl_nan(); }
  let ax = abs(x);
  if (tl_isinf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, tl_inf(), (ax > 1.0) == (y > 0.0));
  }
  let y_is_int = floor(y) == y;
  let y_is_odd = y_is_int && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
  if (x == 0.0 || tl_isinf(x)) {
    let r = select(0.0, tl_inf(), (y < 0.0) == (x == 0.0));
    return select(r, tl_copysign(r, x), y_is_odd);
  }
  if (x < 0.0 && !y_is_int) { return tl_nan(); }
  let r = tl_pow_positive(ax, y);
  return select(r, -r, x < 0.0 && y_is_odd);
}`,
  tl_cbrt: `fn tl_cbrt(x: f32) -> f32 {
  if (x == 0.0 || !tl_isfinite(x)) { return x; }
  var a = abs(x);
  var e = 0;
  if (a < 1.17549435e-38) { a = a * 16777216.0; e = -24; }
  e += i32(bitcast<u32>(a) >> 23u) - 127;
  let third = select((e - 2) / 3, e / 3, e >= 0);
  let m = tl_ldexp(a, -3 * third);
  var y = 1.0 + m * (0.4125 - m * 0.0302);
  y = y - (y * y * y - m) / (3.0 * y * y);
  y = y - (y * y * y - m) / (3.0 * y * y);
  y = y - (y * y * y - m) / (3.0 * y * y);
  let y2 = tl_two_prod(y, y);
  let y3 = tl_two_prod(y2.x, y);
  let residual = ((m - y3.x) - y3.y) - y2.y * y;
  y = y + residual / (3.0 * y * y);
  return tl_copysign(tl_ldexp(y, third), x);
}`,

  // ---- trigonometry -----------------------------------------------------------------------------
  // Taylor kernels on |r| <= pi/4 (truncation below 1e-11 relative), for the argument r + rlo with
  // rlo the part of the reduced argument below r's last bit: sin(r + rlo) ≈ sin r + rlo cos r.
  tl_sin_kernel: `fn tl_sin_kernel(r: f32, rlo: f32) -> f32 {
  let z = r * r;
  let p = ${-invFact(3)} + z * (${invFact(5)} + z * (${-invFact(7)} + z * (${invFact(9)} + z * ${-invFact(11)})));
  return r + (r * z * p + rlo * (1.0 - 0.5 * z));
}`,
  tl_cos_kernel: `fn tl_cos_kernel(r: f32, rlo: f32) -> f32 {
  let z = r * r;
  let hz = 0.5 * z;
  let w = tl_opaque(1.0 - hz);
  let tail = z * z * (${invFact(4)} + z * (${-invFact(6)} + z * (${invFact(8)} + z * (${-invFact(10)} + z * ${invFact(12)}))));
  return w + (((1.0 - w) - hz) + (tail - r * rlo));
}`,
  // Payne-Hanek: |x| = q pi/2 + r exactly enough for any f32, from a 96-bit window of the bits of 2/pi
  // times the 24-bit mantissa. Returns (r, rlo, q mod 4): |r| <= pi/4, and rlo carries r's next bits.
  tl_payne_hanek: `fn tl_payne_hanek(a: f32) -> vec3<f32> {
  var two_over_pi = array<u32, 8>(0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu);
  let bits = bitcast<u32>(a);
  let mant = (bits & 0x007fffffu) | 0x00800000u;
  let start = u32(i32((bits >> 23u) & 0xffu) - 120);
  let word = start >> 5u;
  let sh = start & 31u;
  var win: array<u32, 3>;
  for (var j = 0u; j < 3u; j++) {
    let hi = two_over_pi[word + j];
    let lo = two_over_pi[word + j + 1u];
    win[j] = select((hi << sh) | (lo >> (32u - sh)), hi, sh == 0u);
  }
  let p2 = tl_mul_wide(win[2], mant);
  let p1 = tl_mul_wide(win[1], mant);
  let p0 = tl_mul_wide(win[0], mant);
  let w0 = p2.x;
  let w1 = p2.y + p1.x;
  let w2a = p1.y + p0.x;
  let w2 = w2a + select(0u, 1u, w1 < p2.y);
  var q = w2 >> 30u;
  var fhi = (w2 << 2u) | (w1 >> 30u);
  var flo = (w1 << 2u) | (w0 >> 30u);
  var negative = false;
  if ((fhi & 0x80000000u) != 0u) {
    q = q + 1u;
    fhi = ~fhi;
    flo = ~flo;
    negative = true;
  }
  var shift = 0u;
  if (fhi == 0u) { fhi = flo; flo = 0u; shift = 32u; }
  if (fhi == 0u) { return vec3<f32>(0.0, 0.0, f32(q & 3u)); }
  let z = countLeadingZeros(fhi);
  if (z > 0u) { fhi = (fhi << z) | (flo >> (32u - z)); }
  shift = shift + z;
  let prod = tl_mul_wide(fhi, 0xc90fdaa2u);
  var hi = prod.y;
  var scale = 31u + shift;
  if ((hi & 0x80000000u) == 0u) { hi = (hi << 1u) | (prod.x >> 31u); scale = scale + 1u; }
  let r = tl_ldexp(f32(hi & 0xffffff00u), -i32(scale));
  let rlo = tl_ldexp(f32(hi & 0xffu), -i32(scale));
  return select(vec3<f32>(r, rlo, f32(q & 3u)), vec3<f32>(-r, -rlo, f32(q & 3u)), negative);
}`,
  tl_trig_reduce: `fn tl_trig_reduce(x: f32) -> vec3<f32> {
  let a = abs(x);
  if (a <= 0.785398163) { return vec3<f32>(x, 0.0, 0.0); }
  let red = tl_payne_hanek(a);
  return select(red, vec3<f32>(-red.x, -red.y, f32((4u - u32(red.z)) & 3u)), x < 0.0);
}`,
  // Below 2^-12, sin x and tan x round to x (this also keeps the sign of -0).
  tl_sin: `fn tl_sin(x: f32) -> f32 {
  if (!tl_isfinite(x)) { return tl_nan(); }
  if (abs(x) < 0.000244140625) { return x; }
  let rq = tl_trig_reduce(x);
  let q = u32(rq.z);
  let s = select(tl_sin_kernel(rq.x, rq.y), tl_cos_kernel(rq.x, rq.y), (q & 1u) == 1u);
  return select(s, -s, (q & 2u) == 2u);
}`,
  tl_cos: `fn tl_cos(x: f32) -> f32 {
  if (!tl_isfinite(x)) { return tl_nan(); }
  let rq = tl_trig_reduce(x);
  let q = u32(rq.z);
  let c = select(tl_cos_kernel(rq.x, rq.y), tl_sin_kernel(rq.x, rq.y), (q & 1u) == 1u);
  return select(c, -c, ((q + 1u) & 2u) == 2u);
}`,
  // sin/cos (or -cos/sin in odd quadrants), the quotient corrected by its exact remainder.
  tl_tan: `fn tl_tan(x: f32) -> f32 {
  if (!tl_isfinite(x)) { return tl_nan(); }
  if (abs(x) < 0.000244140625) { return x; }
  let rq = tl_trig_reduce(x);
  let s = tl_sin_kernel(rq.x, rq.y);
  let c = tl_cos_kernel(rq.x, rq.y);
  let odd = (u32(rq.z) & 1u) == 1u;
  let num = select(s, -c, odd);
  let den = select(c, s, odd);
  let q = num / den;
  let p = tl_two_prod(q, den);
  return q + ((num - p.x) - p.y) / den;
}`,
  // fdlibm's reduction to |t| <= 7/16 around atan(0.5), atan(1), atan(1.5), pi/2, then Taylor to t^21.
  tl_atan: `fn tl_atan(x: f32) -> f32 {
  if (tl_isnan(x)) { return x; }
  let a = abs(x);
  var hi = 0.0;
  var lo = 0.0;
  var t = a;
  if (a >= 2.4375) { hi = ${PIO2_HI}; lo = ${PIO2_LO}; t = -1.0 / a; }
  else if (a >= 1.1875) { hi = ${ATAN_THREE_HALVES[0]}; lo = ${ATAN_THREE_HALVES[1]}; t = (a - 1.5) / (1.0 + 1.5 * a); }
  else if (a >= 0.6875) { hi = ${ATAN_ONE[0]}; lo = ${ATAN_ONE[1]}; t = (a - 1.0) / (a + 1.0); }
  else if (a >= 0.4375) { hi = ${ATAN_HALF[0]}; lo = ${ATAN_HALF[1]}; t = (2.0 * a - 1.0) / (2.0 + a); }
  let z = t * t;
  var p = ${-1 / 21};
  p = ${1 / 19} + z * p; p = ${-1 / 17} + z * p; p = ${1 / 15} + z * p; p = ${-1 / 13} + z * p;
  p = ${1 / 11} + z * p; p = ${-1 / 9} + z * p; p = ${1 / 7} + z * p; p = ${-1 / 5} + z * p; p = ${1 / 3} + z * p;
  let r = hi + (t + (lo - t * z * p));
  return tl_copysign(r, x);
}`,
  tl_atan2: `fn tl_atan2(y: f32, x: f32) -> f32 {
  if (tl_isnan(x) || tl_isnan(y)) { return tl_nan(); }
  let x_negative = (bitcast<u32>(x) & 0x80000000u) != 0u;
  var r: f32;
  if (y == 0.0) {
    r = select(0.0, ${PI_HI}, x_negative);
  } else if (tl_isinf(x) && tl_isinf(y)) {
    r = select(${k(Math.PI / 4)}, ${k((3 * Math.PI) / 4)}, x_negative);
  } else {
    let a = tl_atan(abs(y) / abs(x));
    r = select(a, ${PI_HI} - (a - ${PI_LO}), x_negative);
  }
  return tl_copysign(r, y);
}`,

  // ---- XLA's own approximations (reproduced so that results match JAX, not just the true value) --
  // xla/codegen/intrinsic/tanh.cc: Eigen's rational approximation with FMA, clamped, |x| >= 20 -> ±1.
  tl_tanh: `fn tl_tanh(x: f32) -> f32 {
  if (tl_isnan(x)) { return x; }
  let c = clamp(x, -7.99881172180175781, 7.99881172180175781);
  let x2 = c * c;
  var p = -2.76076847742355e-16;
  p = tl_fma(x2, p, 2.00018790482477e-13); p = tl_fma(x2, p, -8.60467152213735e-11); p = tl_fma(x2, p, 5.12229709037114e-08);
  p = tl_fma(x2, p, 1.48572235717979e-05); p = tl_fma(x2, p, 6.37261928875436e-04); p = tl_fma(x2, p, 4.89352455891786e-03);
  p = c * p;
  var q = 1.19825839466702e-06;
  q = tl_fma(x2, q, 1.18534705686654e-04); q = tl_fma(x2, q, 2.26843463243900e-03); q = tl_fma(x2, q, 4.89352518554385e-03);
  let r = select(p / q, x, abs(x) < 0.0004);
  return select(r, tl_copysign(1.0, x), abs(x) >= 20.0);
}`,
  // xla/codegen/intrinsic/erf.cc (EmitErfF32): Eigen's rational approximation, ±1 beyond 3.8325.
  tl_erf: `fn tl_erf(x: f32) -> f32 {
  let x2 = x * x;
  var p = tl_fma(x2, 0.00022905065861350646, 0.0034082910107109506);
  p = tl_fma(x2, p, 0.050955695062380861); p = tl_fma(x2, p, 0.18520832239976145); p = tl_fma(x2, p, 1.128379143519084);
  p = x * p;
  var q = tl_fma(x2, -1.1791602954361697e-7, 0.000023547966471313185);
  q = tl_fma(x2, q, 0.0010179625278914885); q = tl_fma(x2, q, 0.014070470171167667); q = tl_fma(x2, q, 0.11098505178285362);
  q = tl_fma(x2, q, 0.49746925110067538); q = tl_fma(x2, q, 1.0);
  return select(p / q, tl_copysign(1.0, x), abs(x) >= 3.832506856900711);
}`,
  // JAX's erf_inv (Giles' single-precision polynomials on w = -log(1 - x²)), ±inf at ±1.
  tl_erf_inv: `fn tl_erf_inv(x: f32) -> f32 {
  let w0 = -tl_log1p(x * -x);
  let central = w0 < 5.0;
  let w = select(sqrt(w0) - 3.0, w0 - 2.5, central);
  var p = select(-0.000200214257, 2.81022636e-08, central);
  p = select(0.000100950558, 3.43273939e-07, central) + p * w;
  p = select(0.00134934322, -3.5233877e-06, central) + p * w;
  p = select(-0.00367342844, -4.39150654e-06, central) + p * w;
  p = select(0.00573950773, 0.00021858087, central) + p * w;
  p = select(-0.0076224613, -0.00125372503, central) + p * w;
  p = select(0.00943887047, -0.00417768164, central) + p * w;
  p = select(1.00167406, 0.246640727, central) + p * w;
  p = select(2.83297682, 1.50140941, central) + p * w;
  return select(p * x, tl_copysign(tl_inf(), x), abs(x) == 1.0);
}`,
  // JAX's decompositions of sinh and cosh (evaluated in f32 also for f16 operands, as JAX does).
  tl_sinh: `fn tl_sinh(x: f32) -> f32 {
  let e = tl_expm1(x);
  let near_zero = (e + e / (e + 1.0)) * 0.5;
  let c = ${k(-LN2)};
  return select(tl_exp(x + c) - tl_exp(c - x), near_zero, abs(x) < 1.0);
}`,
  tl_cosh: `fn tl_cosh(x: f32) -> f32 {
  let c = ${k(-LN2)};
  return tl_exp(x + c) + tl_exp(c - x);
}`,

  // ---- remainder, nextafter, rounding, comparisons ---------------------------------------------
  // C's fmod, exact: long division of the integer mantissas, 8 bits at a time.
  tl_fmod: `fn tl_fmod(x: f32, y: f32) -> f32 {
  if (tl_isnan(x) || tl_isnan(y) || tl_isinf(x) || y == 0.0) { return tl_nan(); }
  let ax = bitcast<u32>(x) & 0x7fffffffu;
  let ay = bitcast<u32>(y) & 0x7fffffffu;
  if (ay > ax) { return x; }
  if (ay == ax) { return tl_copysign(0.0, x); }
  var ex = i32(ax >> 23u);
  var mx = ax & 0x7fffffu;
  if (ex == 0) { ex = 1; } else { mx = mx | 0x800000u; }
  var ey = i32(ay >> 23u);
  var my = ay & 0x7fffffu;
  if (ey == 0) { ey = 1; } else { my = my | 0x800000u; }
  var rem = mx % my;
  var d = ex - ey;
  loop {
    if (d <= 0) { break; }
    let s = min(d, 8);
    rem = (rem << u32(s)) % my;
    d = d - s;
  }
  return tl_copysign(tl_ldexp(f32(rem), ey - 150), x);
}`,
  tl_nextafter_f32: `fn tl_nextafter_f32(x: f32, y: f32) -> f32 {
  if (tl_isnan(x) || tl_isnan(y)) { return tl_nan(); }
  if (x == y) { return y; }
  if (x == 0.0) { return tl_copysign(bitcast<f32>(1u), y); }
  let bits = bitcast<u32>(x);
  return bitcast<f32>(select(bits - 1u, bits + 1u, (x < y) == (x > 0.0)));
}`,
  // x and y hold f16 values; steps by one f16 ulp.
  tl_nextafter_f16: `fn tl_nextafter_f16(x: f32, y: f32) -> f32 {
  if (tl_isnan(x) || tl_isnan(y)) { return tl_nan(); }
  if (x == y) { return y; }
  if (x == 0.0) { return tl_copysign(5.9604644775390625e-8, y); }
  let bits = pack2x16float(vec2<f32>(x, 0.0));
  return unpack2x16float(select(bits - 1u, bits + 1u, (x < y) == (x > 0.0))).x;
}`,
  tl_sign_f32: `fn tl_sign_f32(x: f32) -> f32 {
  if (x == 0.0 || tl_isnan(x)) { return x; }
  return select(-1.0, 1.0, x > 0.0);
}`,
  // Rounds half away from zero (lax.round's default); x - trunc(x) is exact.
  tl_round_away: `fn tl_round_away(x: f32) -> f32 {
  let t = trunc(x);
  return select(t, t + tl_copysign(1.0, x), abs(x - t) >= 0.5);
}`,
  tl_eq_f32: 'fn tl_eq_f32(a: f32, b: f32) -> bool { return a == b && !tl_isnan(a) && !tl_isnan(b); }',
  tl_ne_f32: 'fn tl_ne_f32(a: f32, b: f32) -> bool { return !(a == b) || tl_isnan(a) || tl_isnan(b); }',
  tl_lt_f32: 'fn tl_lt_f32(a: f32, b: f32) -> bool { return a < b && !tl_isnan(a) && !tl_isnan(b); }',
  tl_le_f32: 'fn tl_le_f32(a: f32, b: f32) -> bool { return a <= b && !tl_isnan(a) && !tl_isnan(b); }',
  tl_gt_f32: 'fn tl_gt_f32(a: f32, b: f32) -> bool { return a > b && !tl_isnan(a) && !tl_isnan(b); }',
  tl_ge_f32: 'fn tl_ge_f32(a: f32, b: f32) -> bool { return a >= b && !tl_isnan(a) && !tl_isnan(b); }',
  // NaN-propagating, and max(-0, +0) = +0, min(-0, +0) = -0, as lax.max / lax.min.
  tl_max_f32: `fn tl_max_f32(a: f32, b: f32) -> f32 {
  if (tl_isnan(a) || tl_isnan(b)) { return tl_nan(); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, a > b);
}`,
  tl_min_f32: `fn tl_min_f32(a: f32, b: f32) -> f32 {
  if (tl_isnan(a) || tl_isnan(b)) { return tl_nan(); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, a < b);
}`,
  tl_clamp_f32: 'fn tl_clamp_f32(lo: f32, x: f32, hi: f32) -> f32 { return tl_min_f32(tl_max_f32(x, lo), hi); }',
  // The order of sort: NaN after everything, -0.0 == 0.0 (a < b is false for both zeros).
  tl_sort_lt: `fn tl_sort_lt(a: f32, b: f32) -> bool {
  let an = tl_isnan(a); let bn = tl_isnan(b);
  if (an || bn) { return !an && bn; }
  return a < b;
}`,

  // ---- conversions -----------------------------------------------------------------------------
  // Truncation toward zero, saturating, NaN -> 0 (XLA). WGSL's own i32(f32) saturates at 2147483520.
  tl_f32_to_i32: `fn tl_f32_to_i32(x: f32) -> i32 {
  if (tl_isnan(x)) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return i32(-2147483648); }
  return i32(x);
}`,
  tl_f32_to_u32: `fn tl_f32_to_u32(x: f32) -> u32 {
  if (tl_isnan(x) || x <= 0.0) { return 0u; }
  if (x >= 4294967296.0) { return 0xffffffffu; }
  return u32(x);
}`,

  // ---- integers: XLA's definitions where WGSL differs --------------------------------------------
  // x / 0 = -1 (all bits set); x % 0 = x; INT_MIN / -1 = INT_MIN and INT_MIN % -1 = 0 as in WGSL.
  tl_div_i32: 'fn tl_div_i32(a: i32, b: i32) -> i32 { return select(a / b, -1, b == 0); }',
  tl_div_u32: 'fn tl_div_u32(a: u32, b: u32) -> u32 { return select(a / b, 0xffffffffu, b == 0u); }',
  tl_rem_i32: 'fn tl_rem_i32(a: i32, b: i32) -> i32 { return select(a % b, a, b == 0); }',
  tl_rem_u32: 'fn tl_rem_u32(a: u32, b: u32) -> u32 { return select(a % b, a, b == 0u); }',
  // Shift amounts are read as unsigned; 32 or more shifts everything out (WGSL would wrap the amount).
  tl_shift_left_i32: 'fn tl_shift_left_i32(a: i32, b: i32) -> i32 { return select(a << u32(b), 0, u32(b) >= 32u); }',
  tl_shift_left_u32: 'fn tl_shift_left_u32(a: u32, b: u32) -> u32 { return select(a << b, 0u, b >= 32u); }',
  tl_shift_right_logical_i32: `fn tl_shift_right_logical_i32(a: i32, b: i32) -> i32 {
  return select(bitcast<i32>(bitcast<u32>(a) >> u32(b)), 0, u32(b) >= 32u);
}`,
  tl_shift_right_logical_u32: 'fn tl_shift_right_logical_u32(a: u32, b: u32) -> u32 { return select(a >> b, 0u, b >= 32u); }',
  tl_shift_right_arithmetic_i32: 'fn tl_shift_right_arithmetic_i32(a: i32, b: i32) -> i32 { return a >> min(u32(b), 31u); }',
  // XLA shifts the sign bit in for unsigned operands too.
  tl_shift_right_arithmetic_u32: `fn tl_shift_right_arithmetic_u32(a: u32, b: u32) -> u32 {
  return bitcast<u32>(bitcast<i32>(a) >> min(b, 31u));
}`,
};

// integer_pow by squaring, multiplication for multiplication as XLA's expansion (so float results
// round exactly as JAX's do); a negative power is 1 / x^|n|. float16 rounds after every product.
for (const [type, one, mul] of [
  ['f32', '1.0', (a: string, b: string) => `${a} * ${b}`],
  ['f16', '1.0', (a: string, b: string) => `tl_round_f16(${a} * ${b})`],
  ['i32', '1', (a: string, b: string) => `${a} * ${b}`],
  ['u32', '1u', (a: string, b: string) => `${a} * ${b}`],
] as const) {
  const wgslType = type === 'f16' ? 'f32' : type;
  const float = type === 'f32' || type === 'f16';
  helpers[`tl_integer_pow_${type}`] = `fn tl_integer_pow_${type}(x: ${wgslType}, n: i32) -> ${wgslType} {
  var acc = ${one};
  var base = x;
  var k = abs(n);
  loop {
    if (k == 0) { break; }
    if ((k & 1) == 1) { acc = ${mul('acc', 'base')}; }
    k = k >> 1u;
    if (k > 0) { base = ${mul('base', 'base')}; }
  }
  return ${float ? 'select(acc, 1.0 / acc, n < 0)' : 'acc'};
}`;
}

// Decompositions JAX evaluates op by op in the operand dtype: asin, acos, asinh, acosh, atanh, exp2,
// logistic (jax/_src/lax/lax.py lowerings via CHLO). The f16 variants round every intermediate.
for (const R of [ROUND_F32, ROUND_F16]) {
  const r = R.r, s = R.suffix;
  helpers[`tl_asin${s}`] = `fn tl_asin${s}(x: f32) -> f32 {
  let t = ${r(`tl_atan2(x, ${r(`1.0 + ${r(`sqrt(${r(`${r('1.0 - x')} * ${r('x + 1.0')}`)})`)}`)})`)};
  return ${r('t + t')};
}`;
  helpers[`tl_acos${s}`] = `fn tl_acos${s}(x: f32) -> f32 {
  return ${r(`tl_atan2(${r(`sqrt(${r(`${r('1.0 - x')} * ${r('x + 1.0')}`)})`)}, x)`)};
}`;
  helpers[`tl_asinh${s}`] = `fn tl_asinh${s}(x: f32) -> f32 {
  let a = abs(x);
  let large = ${r(`${r('tl_log(a)')} + ${R.ln2}`)};
  let a2 = ${r('a * a')};
  let small = ${r(`tl_log1p(${r(`a + ${r(`a2 / ${r(`${r(`sqrt(${r('a2 + 1.0')})`)} + 1.0`)}`)}`)})`)};
  return tl_copysign(select(small, large, a >= ${R.f16 ? '255.875' : '1.8446743e19'}), x);
}`;
  helpers[`tl_acosh${s}`] = `fn tl_acosh${s}(x: f32) -> f32 {
  let large = ${r(`${r('tl_log(x)')} + ${R.ln2}`)};
  let a = ${r(`sqrt(${r('x - 1.0')})`)};
  let b = ${r(`sqrt(${r('x + 1.0')})`)};
  let small = ${r(`tl_log1p(${r(`a * ${r('b + a')}`)})`)};
  return select(small, large, x >= ${R.f16 ? '32752.0' : '1.70141173e38'});
}`;
  helpers[`tl_atanh${s}`] = `fn tl_atanh${s}(x: f32) -> f32 {
  let r = ${r(`${r(`${r('tl_log1p(x)')} - ${r('tl_log1p(-x)')}`)} * 0.5`)};
  return select(r, tl_nan(), abs(x) > 1.0);
}`;
  helpers[`tl_exp2${s}`] = `fn tl_exp2${s}(x: f32) -> f32 { return ${r(`tl_exp(${r(`x * ${R.ln2}`)})`)}; }`;
  helpers[`tl_logistic${s}`] = `fn tl_logistic${s}(x: f32) -> f32 { return ${r(`1.0 / ${r(`${r('tl_exp(-x)')} + 1.0`)}`)}; }`;
}

// The helpers each helper calls, read off its source once.
const calls = new Map<string, string[]>(Object.entries(helpers).map(([name, src]) => [
  name,
  [...new Set(src.match(/\btl_\w+(?=\()/g) ?? [])].filter((n) => n !== name && n in helpers),
]));

/**
 * The WGSL source of the named helpers and, transitively, of the helpers they call: callees first,
 * each function once however often it is named.
 */
export function wgslHelperSource(names: Iterable<string>): string {
  const out: string[] = [];
  const visit = (name: string) => {
    if (out.includes(name)) return;
    const deps = calls.get(name);
    if (!deps) throw new Error(`Tracelens internal error: a shader calls the WGSL helper ${name}, which lax/primitives/wgsl_helpers.ts does not define.`);
    deps.forEach(visit);
    out.push(name);
  };
  for (const name of names) visit(name);
  return out.map((name) => helpers[name]).join('\n');
}
