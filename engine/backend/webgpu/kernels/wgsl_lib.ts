// WGSL building blocks shared by the compute-heavy kernels (reductions, scans, matmul, sort,
// gather/scatter): the type a kernel computes in, loads and stores through dtype_wgsl's
// conversions, combiners with their identities, and the small uniform-block layout they all use for
// shapes and strides. Sizes live in uniforms, never in the source, so one compiled shader serves
// every shape. Helper functions (tl_…) come from the one table in lax/primitives/wgsl_helpers.ts.

import { type DType, isFloat } from '../../../core/dtype.js';
import { storageType, storeExpr } from '../dtype_wgsl.js';

/**
 * The WGSL type these kernels compute in: f32 for floats (f16 is widened), i32, and u32 for
 * uint32 and for bool, whose 0/1 words order, max, min, and and or like unsigned integers.
 */
export type KernelScalar = 'f32' | 'i32' | 'u32';
export function kernelType(dtype: DType): KernelScalar {
  if (isFloat(dtype)) return 'f32';
  return dtype === 'int32' ? 'i32' : 'u32';
}

/** A loaded storage value `e` of `dtype`, in the kernel type. */
export function loadAs(dtype: DType, hasF16: boolean, e: string): string {
  return storageType(dtype, hasF16) === 'f16' ? `f32(${e})` : e;
}

/** A kernel-type value `e` converted for storing into a `dtype` buffer (f16 rounds correctly). */
export function storeAs(dtype: DType, hasF16: boolean, e: string): string {
  return dtype === 'float16' ? storeExpr(dtype, hasF16, e) : e;
}

// WGSL rejects infinities in constant expressions; tl_inf() makes one at run time (list 'tl_inf'
// among the shader's helpers where these are used).
export const F32_INF = 'tl_inf()';
export const F32_NEG_INF = '-tl_inf()';
export const I32_MIN = 'bitcast<i32>(0x80000000u)';
export const I32_MAX = '2147483647i';

export type MonoidOp = 'sum' | 'prod' | 'max' | 'min' | 'and' | 'or';

/** A combiner in the kernel type of `dtype`: its identity, its formula, and the helpers they call. */
export interface WgslMonoid { identity: string; combine(a: string, b: string): string; helpers: string[] }

export function monoid(op: MonoidOp, dtype: DType): WgslMonoid {
  const t = kernelType(dtype);
  const plain = (identity: string, combine: (a: string, b: string) => string): WgslMonoid => ({ identity, combine, helpers: [] });
  switch (op) {
    case 'sum': return plain(`${t}(0)`, (a, b) => `(${a} + ${b})`);
    case 'prod': return plain(`${t}(1)`, (a, b) => `(${a} * ${b})`);
    case 'max':
      if (t === 'f32') return { identity: F32_NEG_INF, combine: (a, b) => `tl_max_f32(${a}, ${b})`, helpers: ['tl_max_f32', 'tl_inf'] };
      return plain(t === 'i32' ? I32_MIN : '0u', (a, b) => `max(${a}, ${b})`);
    case 'min':
      if (t === 'f32') return { identity: F32_INF, combine: (a, b) => `tl_min_f32(${a}, ${b})`, helpers: ['tl_min_f32', 'tl_inf'] };
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

/** `wg`, the flat index of this workgroup in a grid from KernelContext.grid (its invocations are wg · size + lid). */
export const WORKGROUP_INDEX = 'let wg = wid.x + wid.y * nwg.x;';
export const GRID_BUILTINS = '@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32';
