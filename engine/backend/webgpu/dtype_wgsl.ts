// How each dtype lives on the GPU. Three views of one dtype:
//   host     — the typed array `typedArrayFor` gives (Uint8Array for bool, Float32Array for f16);
//   storage  — the WGSL element type of its buffers (bool is a u32 word 0/1; f16 is `f16` when the
//              adapter has shader-f16, else an f32 holding a value already rounded to f16);
//   compute  — the WGSL type formulas see (f16 is computed in f32, bool as WGSL `bool`).
// Every conversion between the three is here, so kernels never special-case a dtype's encoding.

import { type DType, type TypedArray, typedArrayFor } from '../../core/dtype.js';
import { float16Bits, float16FromBits, roundToFloat16 } from '../../core/float16.js';

export type WgslScalar = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/** The error for a dtype WGSL cannot hold (float64), naming the way out. */
export function unsupportedOnWebGPU(dtype: DType): Error {
  return new TypeError(`${dtype} arrays are not supported on the webgpu backend (WGSL has no ${dtype === 'float64' ? 'f64' : dtype}); ` +
    "put them on the cpu device with devicePut(x, 'cpu') or config.update('defaultDevice', 'cpu').");
}

/** The element type of a dtype's storage buffers. */
export function storageType(dtype: DType, hasF16: boolean): WgslScalar {
  switch (dtype) {
    case 'float32': return 'f32';
    case 'float16': return hasF16 ? 'f16' : 'f32';
    case 'int32': return 'i32';
    case 'uint32': case 'bool': return 'u32';
    default: throw unsupportedOnWebGPU(dtype);
  }
}

/** The WGSL type elementwise formulas compute in. */
export function computeType(dtype: DType): WgslScalar {
  switch (dtype) {
    case 'float32': case 'float16': return 'f32';
    case 'int32': return 'i32';
    case 'uint32': return 'u32';
    case 'bool': return 'bool';
    default: throw unsupportedOnWebGPU(dtype);
  }
}

/** Bytes an array of `size` elements occupies in a storage buffer, rounded up to 4 (WebGPU copies need it). */
export function deviceBytes(dtype: DType, size: number, hasF16: boolean): number {
  const width = storageType(dtype, hasF16) === 'f16' ? 2 : 4;
  return Math.ceil((size * width) / 4) * 4;
}

/** A WGSL expression converting a loaded storage value `e` to the compute type. */
export function loadExpr(dtype: DType, hasF16: boolean, e: string): string {
  if (dtype === 'bool') return `(${e} != 0u)`;
  if (dtype === 'float16' && hasF16) return `f32(${e})`;
  return e;
}

/**
 * A WGSL expression converting a compute value `e` to what is stored. f16 results go through
 * `tl_round_f16` first: WGSL leaves f32→f16 conversion of out-of-range values indeterminate, and
 * without shader-f16 that rounding is the whole conversion.
 */
export function storeExpr(dtype: DType, hasF16: boolean, e: string): string {
  if (dtype === 'bool') return `select(0u, 1u, ${e})`;
  if (dtype === 'float16') return hasF16 ? `f16(tl_round_f16(${e}))` : `tl_round_f16(${e})`;
  return e;
}

// pack2x16float rounds to the nearest f16 and exists without shader-f16, but is only defined for
// values in f16's range: NaN and overflow (|x| ≥ 65520, halfway past the largest f16) come first.
const ROUND_F16 = `fn tl_round_f16(x: f32) -> f32 {
  if (x != x) { return x; }
  if (abs(x) >= 65520.0) { return x * 1e30; }
  return unpack2x16float(pack2x16float(vec2<f32>(x, 0.0))).x;
}
`;

/** The WGSL helpers `storeExpr` may call, by name (for kernels that assemble their own helper lists). */
export const CONVERSION_HELPERS: Record<string, string> = { tl_round_f16: ROUND_F16 };

/** Names of the helpers a store of `dtype` calls. */
export const helpersForStore = (dtype: DType): string[] => (dtype === 'float16' ? ['tl_round_f16'] : []);

/** `storeExpr` under the name kernels/wgsl_lib.ts imports it by. */
export const storeFromCompute = storeExpr;

/**
 * What a shader touching these dtypes' storage needs before its bindings (`enable f16;`) and before
 * its entry point (the helpers `storeExpr` calls). Both are '' or end with a newline.
 */
export function storagePreamble(dtypes: readonly DType[], hasF16: boolean): { enables: string; helpers: string } {
  const hasHalf = dtypes.includes('float16');
  return { enables: hasHalf && hasF16 ? 'enable f16;\n' : '', helpers: hasHalf ? ROUND_F16 : '' };
}

/** Host data of `dtype` encoded as the bytes of its storage buffer (byte length a multiple of 4). */
export function encodeForDevice(data: TypedArray, dtype: DType, hasF16: boolean): ArrayBufferView {
  const n = data.length;
  switch (dtype) {
    case 'float32': return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'int32': return data instanceof Int32Array ? data : Int32Array.from(data);
    case 'uint32': return data instanceof Uint32Array ? data : Uint32Array.from(data);
    case 'bool': {
      const words = new Uint32Array(n);
      for (let i = 0; i < n; i++) words[i] = data[i] ? 1 : 0;
      return words;
    }
    case 'float16': {
      if (!hasF16) {
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = roundToFloat16(data[i]);
        return values;
      }
      const bits = new Uint16Array(n + (n & 1));
      for (let i = 0; i < n; i++) bits[i] = float16Bits(data[i]);
      return bits;
    }
    default: throw unsupportedOnWebGPU(dtype);
  }
}

/** The host typed array of `dtype` decoded from the bytes of a storage buffer. */
export function decodeFromDevice(bytes: ArrayBuffer, dtype: DType, size: number, hasF16: boolean): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(bytes, 0, size).slice();
    case 'int32': return new Int32Array(bytes, 0, size).slice();
    case 'uint32': return new Uint32Array(bytes, 0, size).slice();
    case 'bool': {
      const words = new Uint32Array(bytes, 0, size);
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = words[i] ? 1 : 0;
      return out;
    }
    case 'float16': {
      if (!hasF16) return new Float32Array(bytes, 0, size).slice();
      const bits = new Uint16Array(bytes, 0, size);
      const out = typedArrayFor('float16', size);
      for (let i = 0; i < size; i++) out[i] = float16FromBits(bits[i]);
      return out;
    }
    default: throw unsupportedOnWebGPU(dtype);
  }
}
