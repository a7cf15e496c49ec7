// Batching of eager work into few queue submissions. Each eager operation encodes its dispatches
// (and buffer copies) into one pending command encoder; the batch is submitted when someone needs
// the results (a readback, synchronize), when it grows past MAX_PENDING_DISPATCHES, or in a
// microtask after its first dispatch — so a burst of synchronous eager ops is one submission.
// Jitted calls encode into the same compute pass (with their own cached bind groups, `encode`): a
// loop of small jitted calls is then a few submissions rather than one command buffer and one
// submission per call, which on a software adapter cost more than the call's kernels.
//
// Uniform blocks of all dispatches in a batch live in one arena buffer, written with a single
// queue.writeBuffer just before the submit. Queue order makes reusing the arena safe: the next
// batch's write lands after this batch's commands have run.

import type { GpuErrors } from './gpu_errors.js';
import type { CachedPipeline } from './pipeline_cache.js';
import { BufferUsage } from './buffer_pool.js';
import type { GpuBuffer } from './kernel.js';

const MAX_PENDING_DISPATCHES = 64;

export class CommandBatch {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingDispatches = 0;
  /** Run around the next submission (see aroundNextSubmit). */
  private hooks: { before(): void; after(): void }[] = [];
  private submitScheduled = false;
  private readonly arena: GPUBuffer;
  private readonly arenaHost: Uint8Array<ArrayBuffer>;
  private arenaUsed = 0;
  private readonly uniformAlignment: number;
  /** What the pending batch uses, to tell a rejected submit's cause in its error. */
  private usedPipelines = new Set<CachedPipeline>();
  private usedLabels = new Set<string>();
  /** Submissions so far (for tests and benchmarks). */
  submits = 0;

  constructor(private readonly device: GPUDevice, private readonly errors: GpuErrors, private readonly afterSubmit: () => void) {
    const arenaBytes = Math.min(65536, device.limits.maxUniformBufferBindingSize);
    this.arena = device.createBuffer({ size: arenaBytes, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'tracelens uniforms' });
    this.arenaHost = new Uint8Array(arenaBytes);
    this.uniformAlignment = Math.max(16, device.limits.minUniformBufferOffsetAlignment);
  }

  /**
   * Encodes one dispatch. `buffers` are bound in order, then the uniform block if any. Each binding
   * covers the bytes the array uses, not its whole pool bucket, so `arrayLength` stays meaningful.
   */
  dispatch(p: CachedPipeline, buffers: GpuBuffer[], uniforms: ArrayBufferView | null, workgroups: [number, number, number], label: string): void {
    if (workgroups[0] === 0 || workgroups[1] === 0 || workgroups[2] === 0) return;
    const entries: GPUBindGroupEntry[] = buffers.map((b, binding) => ({
      binding, resource: { buffer: b.buffer, size: Math.max(4, Math.ceil(b.nbytes / 4) * 4) },
    }));
    if (uniforms) {
      const size = Math.ceil(Math.max(uniforms.byteLength, 16) / 16) * 16;
      if (size > this.arenaHost.length) throw new Error(`Tracelens internal error: ${label} passes ${uniforms.byteLength} bytes of uniforms; the most is ${this.arenaHost.length}.`);
      if (this.arenaUsed + size > this.arenaHost.length) this.submit();
      const offset = this.arenaUsed;
      this.arenaHost.set(new Uint8Array(uniforms.buffer, uniforms.byteOffset, uniforms.byteLength), offset);
      this.arenaHost.fill(0, offset + uniforms.byteLength, offset + size);
      this.arenaUsed = Math.ceil((offset + size) / this.uniformAlignment) * this.uniformAlignment;
      entries.push({ binding: buffers.length, resource: { buffer: this.arena, offset, size } });
    }
    this.encode(p, this.device.createBindGroup({ layout: p.layout, entries, label }), workgroups, label);
  }

  /**
   * Encodes one dispatch with a bind group made by the caller (a jitted call's, cached across
   * calls). The batch may be submitted right after it (it holds MAX_PENDING_DISPATCHES).
   */
  encode(p: CachedPipeline, bindGroup: GPUBindGroup, workgroups: [number, number, number], label: string): void {
    const pass = this.computePass();
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.usedPipelines.add(p);
    this.usedLabels.add(label);
    this.pendingDispatches++;
    if (this.pendingDispatches >= MAX_PENDING_DISPATCHES) this.submit();
    else this.scheduleSubmit();
  }

  /** Encodes a buffer-to-buffer copy (offsets and size in bytes, multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size === 0) return;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, size);
    this.scheduleSubmit();
  }

  /**
   * Runs `before` just before the next submission (after the work encoded so far, before the GPU
   * sees it: a jitted executable writes its changed uniform blocks there) and `after` just after.
   */
  aroundNextSubmit(hook: { before(): void; after(): void }): void {
    this.hooks.push(hook);
    this.scheduleSubmit();
  }

  /** Submits everything encoded so far (a no-op when nothing is pending). */
  submit(): void {
    const hooks = this.hooks;
    this.hooks = [];
    for (const h of hooks) h.before();
    this.submitEncoded();
    for (const h of hooks) h.after();
  }

  private submitEncoded(): void {
    if (!this.encoder) return;
    this.endPass();
    const encoder = this.encoder, pipelines = this.usedPipelines, labels = this.usedLabels;
    this.encoder = null;
    this.usedPipelines = new Set();
    this.usedLabels = new Set();
    this.errors.scoped(() => {
      if (this.arenaUsed) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost, 0, this.arenaUsed);
      this.device.queue.submit([encoder.finish()]);
    }, (err) => ([...pipelines].some((p) => p.error) ? null // the compile error says it all
      : new Error(`Tracelens internal error: WebGPU rejected the work of ${[...labels].join(', ') || 'a buffer copy'}: ${err.message}`)));
    this.arenaUsed = 0;
    this.pendingDispatches = 0;
    this.submits++;
    this.afterSubmit();
  }

  destroy(): void {
    this.encoder = null;
    this.hooks = [];
    this.pass = null;
    this.arena.destroy();
  }

  private commandEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder({ label: 'tracelens batch' }));
  }

  private computePass(): GPUComputePassEncoder {
    return (this.pass ??= this.commandEncoder().beginComputePass());
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  private scheduleSubmit(): void {
    if (this.submitScheduled) return;
    this.submitScheduled = true;
    queueMicrotask(() => {
      this.submitScheduled = false;
      this.submit();
    });
  }
}
