// WGSL building blocks shared by the compute-heavy kernels (reductions, scans, matmul, sort,
// gather/scatter): the type a kernel computes in, loads and stores through dtype_wgsl's
// conversions, NaN-aware max/min and orderings, combiner identities, and the small uniform-block
// layout they all use for shapes and strides. Sizes live in uniforms, never in the source, so one
// compiled shader serves every shape.

import { type DType, isFloat } from '../../../core/dtype.js';
import { CONVERSION_HELPERS, deviceBytes, helpersForStore, storageType, storeExpr } from '../dtype_wgsl.js';

/**
 * The WGSL type these kernels compute in: f32 for floats (f16 is widened), i32, and u32 for
 * uint32 and for bool, whose 0/1 words order, max, min, and and or like unsigned integers.
 */
export type KernelScalar = 'f32' | 'i32' | 'u32';
export function kernelType(dtype: DType): KernelScalar {
  if (isFloat(dtype)) return 'f32';
  return dtype === 'int32' ? 'i32' : 'u32';
}

/** Element type of a dtype's storage buffer (as dtype_wgsl defines it). */
export const storageOf = (dtype: DType, hasF16: boolean): string => storageType(dtype, hasF16);

/** Bytes of a storage buffer holding `size` elements of `dtype` (a multiple of 4). */
export const bytesFor = (dtype: DType, size: number, hasF16: boolean): number => deviceBytes(dtype, size, hasF16);

/** A loaded storage value `e` of `dtype`, in the kernel type. */
export function loadAs(dtype: DType, hasF16: boolean, e: string): string {
  return storageType(dtype, hasF16) === 'f16' ? `f32(${e})` : e;
}

/** A kernel-type value `e` converted for storing into a `dtype` buffer (f16 rounds correctly). */
export function storeAs(dtype: DType, hasF16: boolean, e: string): string {
  return dtype === 'float16' ? storeExpr(dtype, hasF16, e) : e;
}

/** The helpers `storeAs(dtype, …)` calls. */
export const storeHelpers = (dtype: DType): string[] => helpersForStore(dtype);

/** `enable f16;` when any of the dtypes is stored as f16. */
export function header(dtypes: readonly DType[], hasF16: boolean): string {
  return hasF16 && dtypes.includes('float16') ? 'enable f16;\n' : '';
}

/** WGSL helper functions by name: include them once per shader with `helpers(...)`. */
const LIB: Record<string, string> = {
  ...CONVERSION_HELPERS,
  // WGSL rejects NaN and infinity in constant expressions; a call to a user function is evaluated
  // at run time, so special values are spelled tl_f32(bits).
  tl_f32: 'fn tl_f32(bits: u32) -> f32 { return bitcast<f32>(bits); }',
  tl_isnan: 'fn tl_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }',
  // XLA's max/min: NaN wins, and -0.0 orders below 0.0.
  tl_fmax: `fn tl_fmax(a: f32, b: f32) -> f32 {
  if (tl_isnan(a) || tl_isnan(b)) { return tl_f32(0x7fc00000u); }
  return select(a, b, b > a || (b == a && bitcast<u32>(a) == 0x80000000u));
}`,
  tl_fmin: `fn tl_fmin(a: f32, b: f32) -> f32 {
  if (tl_isnan(a) || tl_isnan(b)) { return tl_f32(0x7fc00000u); }
  return select(a, b, b < a || (b == a && bitcast<u32>(b) == 0x80000000u));
}`,
  // The binary16 bits of an f32 already rounded to f16 (pack2x16float leaves ±inf and NaN undefined).
  tl_f16_bits: `fn tl_f16_bits(x: f32) -> u32 {
  if (tl_isnan(x)) { return 0x7e00u; }
  if (abs(x) > 65504.0) { return select(0x7c00u, 0xfc00u, x < 0.0); }
  return pack2x16float(vec2<f32>(x, 0.0)) & 0xffffu;
}`,
};
const DEPENDS: Record<string, string[]> = { tl_fmax: ['tl_isnan', 'tl_f32'], tl_fmin: ['tl_isnan', 'tl_f32'], tl_f16_bits: ['tl_isnan'] };

/** The WGSL source of the named helpers and what they call (tl_f32, used by the constants below, always). */
export function helpers(names: Iterable<string>): string {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of DEPENDS[n] ?? []) add(d);
    out.push(LIB[n]);
  };
  add('tl_f32');
  for (const n of names) add(n);
  return out.join('\n');
}

export const F32_INF = 'tl_f32(0x7f800000u)';
export const F32_NEG_INF = 'tl_f32(0xff800000u)';
export const I32_MIN = 'bitcast<i32>(0x80000000u)';
export const I32_MAX = '2147483647i';

export type MonoidOp = 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or';

/** A combiner in the kernel type of `dtype`: its identity and its formula. */
export interface WgslMonoid { identity: string; combine(a: string, b: string): string; helpers: string[] }

export function monoid(op: MonoidOp, dtype: DType): WgslMonoid {
  const t = kernelType(dtype);
  const plain = (identity: string, combine: (a: string, b: string) => string): WgslMonoid => ({ identity, combine, helpers: [] });
  switch (op) {
    case 'sum': return plain(`${t}(0)`, (a, b) => `(${a} + ${b})`);
    case 'prod': return plain(`${t}(1)`, (a, b) => `(${a} * ${b})`);
    case 'max':
      if (t === 'f32') return { identity: F32_NEG_INF, combine: (a, b) => `tl_fmax(${a}, ${b})`, helpers: ['tl_fmax'] };
      return plain(t === 'i32' ? I32_MIN : '0u', (a, b) => `max(${a}, ${b})`);
    case 'min':
      if (t === 'f32') return { identity: F32_INF, combine: (a, b) => `tl_fmin(${a}, ${b})`, helpers: ['tl_fmin'] };
      return plain(t === 'i32' ? I32_MAX : dtype === 'bool' ? '1u' : '0xffffffffu', (a, b) => `min(${a}, ${b})`);
    case 'and': return plain(t === 'i32' ? '-1i' : dtype === 'bool' ? '1u' : '0xffffffffu', (a, b) => `(${a} & ${b})`);
    case 'or': return plain(`${t}(0)`, (a, b) => `(${a} | ${b})`);
  }
}

/**
 * Uniform arrays of up to 4·n u32 words, declared `array<vec4<u32>, n>` (uniform arrays need a
 * 16-byte stride); `at('u.shape', 'i')` reads word i.
 */
export const at = (arr: string, i: string): string => `${arr}[(${i}) / 4u][(${i}) % 4u]`;

/** Writes words into a uniform block at a word offset, checking they fit the declared capacity. */
export function putWords(block: Uint32Array | Int32Array, offset: number, words: readonly number[], capacity: number, what: string): void {
  if (words.length > capacity) {
    throw new RangeError(`${what}: arrays of more than ${capacity} (collapsed) dimensions are not supported on the webgpu backend; ` +
      'reshape to fewer dimensions or run this on the cpu device.');
  }
  for (let i = 0; i < words.length; i++) block[offset + i] = words[i];
}

/** The flat index of the first invocation of a workgroup in a grid from KernelContext.grid. */
export const WORKGROUP_INDEX = 'let wg = wid.x + wid.y * nwg.x;';
export const GRID_BUILTINS = '@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32';
