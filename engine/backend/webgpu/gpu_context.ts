// Everything that lives and dies with one GPUDevice: its buffer pools, pipeline cache and pending
// command batch. It is the KernelContext kernels see. When the device is lost the backend throws
// the whole context away and builds a new one on a new device.

import type { ShapedArray } from '../../core/aval.js';
import type { TypedArray } from '../../core/dtype.js';
import { BufferPool, BufferUsage, type WebGPUBuffer } from './buffer_pool.js';
import { CommandBatch } from './command_batch.js';
import { decodeFromDevice, deviceBytes, encodeForDevice } from './dtype_wgsl.js';
import type { DispatchRequest, GpuBuffer, KernelContext } from './kernel.js';
import { GpuErrors } from './gpu_errors.js';
import { PipelineCache } from './pipeline_cache.js';
import { readBytes } from './readback.js';

/** Released buffers kept for reuse, at most (the rest are destroyed). */
const POOL_CAP_BYTES = 256 * 2 ** 20;
const STAGING_POOL_CAP_BYTES = 64 * 2 ** 20;

export class GpuContext implements KernelContext {
  readonly pool: BufferPool;
  private readonly staging: BufferPool;
  readonly pipelines: PipelineCache;
  readonly batch: CommandBatch;
  /** Validation errors WebGPU reported asynchronously, thrown from the next call. */
  readonly errors: GpuErrors;
  /** Names the primitive being executed, for compile errors. */
  currentLabel = 'a webgpu kernel';

  constructor(readonly device: GPUDevice, readonly hasF16: boolean) {
    this.pool = new BufferPool(device, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      Math.min(POOL_CAP_BYTES, device.limits.maxBufferSize), 'tracelens array');
    this.staging = new BufferPool(device, BufferUsage.MAP_READ | BufferUsage.COPY_DST, STAGING_POOL_CAP_BYTES, 'tracelens readback');
    this.errors = new GpuErrors(device);
    this.pipelines = new PipelineCache(device, this.errors);
    this.batch = new CommandBatch(device, this.errors, () => { this.pool.afterSubmit(); this.staging.afterSubmit(); });
  }

  // ---- KernelContext ---------------------------------------------------------------------------

  allocate(nbytes: number): WebGPUBuffer {
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (nbytes > limit) {
      throw new RangeError(`${this.currentLabel}: an array of ${nbytes} bytes is larger than this WebGPU adapter's ` +
        `maxStorageBufferBindingSize (${limit} bytes); split the computation into smaller arrays or run it on the cpu device.`);
    }
    return this.pool.acquire(nbytes);
  }

  allocateFor(aval: ShapedArray): WebGPUBuffer {
    return this.allocate(deviceBytes(aval.dtype, aval.size, this.hasF16));
  }

  releaseTemp(buf: GpuBuffer): void { this.pool.release(buf as WebGPUBuffer); }

  dispatch(req: DispatchRequest): void {
    const label = req.label ?? this.currentLabel;
    const uniforms = req.uniforms === undefined ? null : ArrayBuffer.isView(req.uniforms) ? req.uniforms : new Uint8Array(req.uniforms);
    const pipeline = this.pipelines.get(req.code, { inputs: req.inputs.length, outputs: req.outputs.length, uniform: uniforms !== null }, label);
    const [x, y = 1, z = 1] = req.workgroups;
    this.batch.dispatch(pipeline, [...req.inputs, ...req.outputs], uniforms, [x, y, z], label);
  }

  copyBuffer(src: GpuBuffer, dst: GpuBuffer, nbytes: number, srcOffset = 0, dstOffset = 0): void {
    this.batch.copy(src.buffer, srcOffset, dst.buffer, dstOffset, nbytes);
  }

  clone(buf: GpuBuffer, aval: ShapedArray): WebGPUBuffer {
    const copy = this.allocateFor(aval);
    this.copyBuffer(buf, copy, copy.nbytes);
    return copy;
  }

  grid(n: number, workgroupSize: number): [number, number, number] {
    const groups = Math.ceil(n / workgroupSize);
    const maxX = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= maxX) return [groups, 1, 1];
    const y = Math.ceil(groups / maxX);
    if (y > maxX) throw new RangeError(`${this.currentLabel}: ${n} elements need more workgroups than WebGPU can dispatch; split the array.`);
    return [Math.ceil(groups / y), y, 1];
  }

  // ---- transfers -------------------------------------------------------------------------------

  upload(data: TypedArray, aval: ShapedArray): WebGPUBuffer {
    const buf = this.allocateFor(aval);
    const bytes = encodeForDevice(data, aval.dtype, this.hasF16);
    // Safe without waiting: a buffer from the pool is never referenced by unsubmitted commands.
    if (bytes.byteLength) this.device.queue.writeBuffer(buf.buffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buf;
  }

  async read(buf: WebGPUBuffer, aval: ShapedArray): Promise<TypedArray> {
    const bytes = await readBytes(this.batch, this.staging, buf, deviceBytes(aval.dtype, aval.size, this.hasF16));
    await this.errors.settle();
    return decodeFromDevice(bytes, aval.dtype, aval.size, this.hasF16);
  }

  async synchronize(): Promise<void> {
    this.batch.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this.errors.settle();
  }

  memoryStats() {
    const s = this.pool.stats(), t = this.staging.stats();
    return { ...s, pooledBuffers: s.pooledBuffers + t.pooledBuffers, pooledBytes: s.pooledBytes + t.pooledBytes };
  }

  /** Tears down the pools and batch (the device itself is destroyed by the caller). */
  destroy(): void {
    this.batch.destroy();
    this.pool.destroy();
    this.staging.destroy();
  }
}
