// The contract between the webgpu backend's machinery (device, pool, dispatch) and its kernels.
// A kernel for a non-pointwise primitive receives a KernelContext and its operands and returns the
// output buffers it allocated from the context.

import type { ShapedArray } from '../../core/aval.js';
import type { Params } from '../../core/primitive.js';

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
