// The webgpu backend: eager primitives as WGSL compute kernels on one GPUDevice (Dawn in Node,
// navigator.gpu in a browser).
//
// The per-device machinery (pools, pipelines, the pending command batch) lives in a GpuContext. This
// class adds what outlives a device: when the device is lost (driver reset, GPU removed, or a test's
// simulateDeviceLoss), the arrays on it are marked lost, a new device is requested at once, and work
// carries on there after a one-time warning.

import type { ShapedArray } from '../../core/aval.js';
import type { TypedArray } from '../../core/dtype.js';
import { DeviceLostError } from '../../core/errors.js';
import type { Primitive, Params } from '../../core/primitive.js';
import type { Backend, DeviceBuffer, MemoryStats, Operand } from '../backend.js';
import { requestGpuDevice } from './adapter.js';
import type { WebGPUBuffer } from './buffer_pool.js';
import { unsupportedOnWebGPU } from './dtype_wgsl.js';
import { runElementwise } from './elementwise_kernel.js';
import { GpuContext } from './gpu_context.js';
import { gpuKernels, type GpuOperand } from './kernel.js';
import './kernels/index.js';

export interface WebGPUBackendOptions {
  /** Use shader-f16 when the adapter has it (default true); false stores float16 as rounded f32. */
  allowF16?: boolean;
}

interface OpenedDevice { device: GPUDevice; description: string; isFallback: boolean; hasF16: boolean }

export class WebGPUBackend implements Backend {
  readonly platform = 'webgpu' as const;
  readonly description: string;
  readonly isFallback: boolean;
  private ctx: GpuContext | null = null;
  /** Why the current device went away, while a new one is being requested (or could not be). */
  private lostReason: string | null = null;
  private recreation: Promise<void> | null = null;
  private recreationFailure: string | null = null;
  private warnOnNextUse: string | null = null;
  /** An error WebGPU raised outside any error scope, thrown from the next call into the backend. */
  private uncaptured: Error | null = null;
  private readonly destroyedOnPurpose = new WeakSet<GPUDevice>();

  constructor(opened: OpenedDevice, private readonly options: WebGPUBackendOptions = {}) {
    this.description = opened.description;
    this.isFallback = opened.isFallback;
    this.attach(opened);
  }

  /** True when float16 arrays are stored as f16 (the adapter has shader-f16). */
  get hasF16(): boolean { return this.ctx?.hasF16 ?? false; }

  /** Distinct compute pipelines compiled on the current device (tests and benchmarks). */
  get pipelinesCompiled(): number { return this.ctx?.pipelines.compiled ?? 0; }

  /** Queue submissions on the current device (tests and benchmarks). */
  get submissions(): number { return this.ctx?.batch.submits ?? 0; }

  // ---- Backend ---------------------------------------------------------------------------------

  upload(data: TypedArray, aval: ShapedArray): DeviceBuffer {
    if (aval.dtype === 'float64') throw unsupportedOnWebGPU(aval.dtype);
    return this.usable().upload(data, aval);
  }

  async read(buffer: DeviceBuffer, aval: ShapedArray): Promise<TypedArray> {
    const ctx = this.usable();
    this.checkLive(buffer);
    try {
      return await ctx.read(buffer as WebGPUBuffer, aval);
    } catch (e) {
      const lost = (buffer as WebGPUBuffer).lost;
      if (lost) throw new DeviceLostError(`Reading a ${aval.strShort()} array failed: its WebGPU device was lost (${lost}); recompute it.`);
      throw e;
    }
  }

  release(buffer: DeviceBuffer): void {
    const b = buffer as WebGPUBuffer;
    b.pool.release(b);
  }

  execute(prim: Primitive, inputs: Operand[], params: Params, outAvals: ShapedArray[]): DeviceBuffer[] {
    const ctx = this.usable();
    for (const x of [...inputs.map((i) => i.aval), ...outAvals]) if (x.dtype === 'float64') throw unsupportedOnWebGPU(x.dtype);
    ctx.currentLabel = prim.name;
    const operands = inputs as GpuOperand[];
    if (prim.elementwise) return [runElementwise(ctx, prim, operands, params, outAvals[0])];
    const kernel = gpuKernels.get(prim.name);
    if (!kernel) throw new Error(`${prim.name} is not implemented on the webgpu backend; run it on the cpu device with devicePut.`);
    return kernel(ctx, operands, params, outAvals) as WebGPUBuffer[];
  }

  async synchronize(): Promise<void> {
    if (this.recreation) await this.recreation;
    await this.usable().synchronize();
    this.throwUncaptured();
  }

  memoryStats(): MemoryStats {
    return this.ctx?.memoryStats() ?? { liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, created: 0, reused: 0 };
  }

  supports(prim: Primitive): boolean {
    return !!prim.elementwise || gpuKernels.has(prim.name);
  }

  copyBuffer(buffer: DeviceBuffer, aval: ShapedArray): DeviceBuffer {
    const ctx = this.usable();
    this.checkLive(buffer);
    return ctx.clone(buffer as WebGPUBuffer, aval);
  }

  // ---- device lifetime -------------------------------------------------------------------------

  /** @internal Destroys the device as a driver reset would, without marking it intentional (tests). */
  simulateDeviceLoss(): void {
    this.ctx?.device.destroy();
  }

  /** Resolves once a lost device has been replaced (immediately when none was lost). */
  async ready(): Promise<void> {
    if (this.recreation) await this.recreation;
  }

  /** Releases the device for good. */
  destroy(): void {
    if (!this.ctx) return;
    this.destroyedOnPurpose.add(this.ctx.device);
    this.ctx.destroy();
    this.ctx.device.destroy();
    this.ctx = null;
    this.lostReason = 'the backend was destroyed';
    this.recreationFailure = 'the backend was destroyed';
  }

  private attach(opened: OpenedDevice): void {
    const { device } = opened;
    const ctx = new GpuContext(device, opened.hasF16);
    this.ctx = ctx;
    device.addEventListener('uncapturederror', (ev) => {
      const e = ev as GPUUncapturedErrorEvent;
      e.preventDefault?.();
      this.uncaptured ??= new Error(`Tracelens internal error: WebGPU reported an error (the last operation queued was ${ctx.currentLabel}): ${e.error.message}`);
    });
    void device.lost.then((info) => {
      if (this.destroyedOnPurpose.has(device) || this.ctx !== ctx) return;
      const reason = info.message || String(info.reason);
      ctx.pool.markLost(reason);
      ctx.destroy();
      this.ctx = null;
      this.lostReason = reason;
      this.recreation = this.recreate(reason);
    });
  }

  private async recreate(reason: string): Promise<void> {
    const opened = await requestGpuDevice({ allowF16: this.options.allowF16 });
    this.recreation = null;
    if ('reason' in opened) {
      this.recreationFailure = opened.reason;
      return;
    }
    this.attach(opened);
    this.lostReason = null;
    this.warnOnNextUse = `Tracelens: the WebGPU device was lost (${reason}); recreated it. ` +
      'Arrays that lived on the old device are gone: using one raises DeviceLostError, so recompute them.';
  }

  /** The context to run on now, or an error saying why there is none. */
  /** The device context (pools, pipeline cache, pending batch), checked usable: not lost, no unreported errors. The jit compiler encodes into it. */
  usable(): GpuContext {
    if (!this.ctx) {
      if (this.recreationFailure) {
        throw new DeviceLostError(`The WebGPU device was lost (${this.lostReason}) and could not be recreated: ${this.recreationFailure}. ` +
          "Use the cpu device instead (config.update('defaultDevice', 'cpu') or devicePut(x, 'cpu')).");
      }
      throw new DeviceLostError(`The WebGPU device was lost (${this.lostReason}) and is being recreated, which takes a few milliseconds; ` +
        'retry after an await (for example `await new Promise((r) => setTimeout(r, 100))`).');
    }
    if (this.warnOnNextUse) {
      console.warn(this.warnOnNextUse);
      this.warnOnNextUse = null;
    }
    const reported = this.ctx.errors.take();
    if (reported) throw reported;
    this.throwUncaptured();
    return this.ctx;
  }

  private throwUncaptured(): void {
    const e = this.uncaptured;
    if (e) {
      this.uncaptured = null;
      throw e;
    }
  }

  private checkLive(buffer: DeviceBuffer): void {
    const b = buffer as WebGPUBuffer;
    if (b.lost) throw new DeviceLostError(`This array lived on a WebGPU device that was lost (${b.lost}); recompute it.`);
    if (b.pool !== this.ctx?.pool) throw new DeviceLostError('This array lived on an earlier WebGPU device that is gone; recompute it.');
  }
}

/** Opens the default WebGPU device; resolves with `{reason}` when there is none (never hangs or throws). */
export async function createWebGPUBackend(options: WebGPUBackendOptions = {}): Promise<{ backend: WebGPUBackend } | { reason: string }> {
  const opened = await requestGpuDevice({ allowF16: options.allowF16 });
  if ('reason' in opened) return opened;
  return { backend: new WebGPUBackend(opened, options) };
}
