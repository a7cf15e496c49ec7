// The contract between the webgpu backend's machinery (device, pool, dispatch) and its kernels.
// A kernel for a non-pointwise primitive receives a KernelContext and its operands and returns the
// output buffers it allocated from the context.
//
// Storage: see ./dtype_wgsl.ts (`storageType(dtype, ctx.hasF16)`, `loadExpr`, `storeExpr`,
// `enableF16`): bool is a u32 word (0/1) per element, float16 is `f16` with shader-f16 and
// f32 otherwise. Size outputs with `ctx.allocateFor(aval)`, which knows those widths.
// WGSL helper functions (tl_…) come only from `wgslHelperSource` (lax/primitives/wgsl_helpers.ts).
// Bindings cover the bytes an array uses (`nbytes` rounded up to 4), never a whole pool bucket.
// Indexing with `ctx.grid(n, W)`: invocation `gid.x + gid.y * num_workgroups.x * W` (see GRID_INDEX).

import type { ShapedArray } from '../../core/aval.js';
import type { Params } from '../../core/primitive.js';

/** WGSL for the linear invocation index under `ctx.grid(n, W)`, with W the workgroup size. */
export const GRID_INDEX = (workgroupSize: number) => `gid.x + gid.y * nwg.x * ${workgroupSize}u`;
/** The matching entry-point parameters: `fn main(${GRID_PARAMS})`. */
export const GRID_PARAMS = '@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>';

/** A storage buffer owned by the webgpu backend (from its size-bucketed pool). */
export interface GpuBuffer {
  readonly buffer: GPUBuffer;
  /** Bytes the array actually uses (the GPUBuffer may be larger: pool buckets). */
  readonly nbytes: number;
}

export interface GpuOperand { buffer: GpuBuffer; aval: ShapedArray }

export interface DispatchRequest {
  /** WGSL source; pipelines are cached by source text, so keep sizes in `uniforms` where shapes vary. */
  code: string;
  /** Bound in order at @group(0) @binding(0..): inputs (read-only storage) then outputs (read_write storage). */
  inputs: GpuBuffer[];
  outputs: GpuBuffer[];
  /** Optional uniform block bound after the outputs (u32/i32/f32 words; padded to 16 bytes by the backend). */
  uniforms?: ArrayBuffer | Uint32Array | Int32Array | Float32Array;
  /** Workgroup counts; use KernelContext.grid for 1-D problems larger than 65535 workgroups. */
  workgroups: [number, number?, number?];
  /** A label for errors and profiling. */
  label?: string;
}

export interface KernelContext {
  readonly device: GPUDevice;
  /** True when the adapter has shader-f16 (float16 arrays are stored as f16 then). */
  readonly hasF16: boolean;
  /** Allocates an output or temporary buffer of at least `nbytes` (from the pool). */
  allocate(nbytes: number): GpuBuffer;
  /** Allocates a buffer holding an array of `aval` (element widths as in ./dtype_wgsl.ts). */
  allocateFor(aval: ShapedArray): GpuBuffer;
  /** Queues a copy of `nbytes` bytes (offsets and size multiples of 4), ordered with the dispatches. */
  copyBuffer(src: GpuBuffer, dst: GpuBuffer, nbytes: number, srcOffset?: number, dstOffset?: number): void;
  /** A new buffer holding a copy of the array `aval` in `buf` (queued like copyBuffer). */
  clone(buf: GpuBuffer, aval: ShapedArray): GpuBuffer;
  /** Returns a temporary buffer to the pool once the queued work that uses it has been submitted. */
  releaseTemp(buf: GpuBuffer): void;
  /** Queues one compute dispatch (batched into the backend's pending command encoder). */
  dispatch(req: DispatchRequest): void;
  /** Workgroup counts covering `n` invocations of `workgroupSize` threads, split over x/y when large. */
  grid(n: number, workgroupSize: number): [number, number, number];
}

export type GpuKernel = (ctx: KernelContext, inputs: GpuOperand[], params: Params, outAvals: ShapedArray[]) => GpuBuffer[];

/** Kernels for non-pointwise primitives, by primitive name. */
export const gpuKernels = new Map<string, GpuKernel>();
export function registerGpuKernel(name: string, k: GpuKernel): void {
  if (gpuKernels.has(name)) throw new Error(`webgpu kernel ${name} registered twice`);
  gpuKernels.set(name, k);
}
