// Size-bucketed reuse of GPU buffers. Creating a GPUBuffer is far slower than reusing one, and eager
// code allocates one per operation, so released buffers wait in power-of-two buckets for the next
// allocation of that size.
//
// A released buffer may still be read or written by commands that are encoded but not yet submitted
// (the array died, its consumer is queued). Reusing it before that submit would let a later
// `queue.writeBuffer` or dispatch overwrite data the queued commands have not read yet, so releases
// wait in a pending list until the batch holding those commands is submitted; queue order then
// guarantees every later use runs after them.

import type { MemoryStats } from '../backend.js';
import type { GpuBuffer } from './kernel.js';
import { MemoryPressure } from '../memory_pressure.js';

/** GPUBufferUsage flags (numeric so this file needs no WebGPU globals installed). */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;

const MIN_BUCKET_BYTES = 256;

/** The size class of an allocation: the next power of two, at least MIN_BUCKET_BYTES. */
export function bucketSize(nbytes: number): number {
  return Math.max(MIN_BUCKET_BYTES, 2 ** Math.ceil(Math.log2(Math.max(1, nbytes))));
}

/** A pooled GPU buffer as the engine holds it: one per array (or temporary). */
export class WebGPUBuffer implements GpuBuffer {
  /** Set when the device died with this buffer on it; `Array.buffer` turns it into a DeviceLostError. */
  lost?: string;
  constructor(readonly buffer: GPUBuffer, readonly nbytes: number, readonly pool: BufferPool) {}
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pendingRelease: GPUBuffer[] = [];
  private readonly live = new Set<WebGPUBuffer>();
  private liveBytes = 0;
  private pooledBytes = 0;
  private pooledBuffers = 0;
  private created = 0;
  private reused = 0;
  private destroyed = false;
  private readonly pressure = new MemoryPressure();

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    /** Bytes kept for reuse at most; buffers released beyond it are destroyed. */
    private readonly capBytes: number,
    private readonly label: string,
  ) {}

  /** A buffer of at least `nbytes` (its `nbytes` records the size asked for). */
  acquire(nbytes: number): WebGPUBuffer {
    // The last bucket below maxBufferSize may not be a power of two; callers keep nbytes under it.
    const size = Math.min(bucketSize(nbytes), Math.floor(this.device.limits.maxBufferSize / 4) * 4);
    const bucket = this.free.get(size);
    let buffer = bucket?.pop();
    if (buffer) {
      this.reused++;
      this.pooledBytes -= size;
      this.pooledBuffers--;
    } else {
      buffer = this.device.createBuffer({ size, usage: this.usage, label: `${this.label} ${size}` });
      this.created++;
    }
    const handle = new WebGPUBuffer(buffer, nbytes, this);
    this.live.add(handle);
    this.liveBytes += size;
    this.pressure.allocated(this.liveBytes);
    return handle;
  }

  /**
   * Gives a buffer back. `idle` says no unsubmitted command can reference it (a staging buffer
   * that was just mapped), so it is reusable at once; otherwise it waits for the next submit.
   */
  release(handle: WebGPUBuffer, opts: { idle?: boolean } = {}): void {
    if (!this.live.delete(handle)) return;
    this.liveBytes -= handle.buffer.size;
    this.pressure.released(this.liveBytes);
    if (this.destroyed) return;
    if (opts.idle) this.keepOrDestroy(handle.buffer);
    else this.pendingRelease.push(handle.buffer);
  }

  /** Forgets a buffer whose state is unknown (a failed map) and destroys it. */
  discard(handle: WebGPUBuffer): void {
    if (!this.live.delete(handle)) return;
    this.liveBytes -= handle.buffer.size;
    handle.buffer.destroy();
  }

  /** Whether released buffers wait for a submission before they can be reused. */
  get hasPendingReleases(): boolean { return this.pendingRelease.length > 0; }

  /** Called after each queue.submit: buffers released before it may be reused now. */
  afterSubmit(): void {
    const released = this.pendingRelease;
    this.pendingRelease = [];
    for (const b of released) this.keepOrDestroy(b);
  }

  private keepOrDestroy(buffer: GPUBuffer): void {
    if (this.pooledBytes + buffer.size > this.capBytes) { buffer.destroy(); return; }
    let bucket = this.free.get(buffer.size);
    if (!bucket) this.free.set(buffer.size, (bucket = []));
    bucket.push(buffer);
    this.pooledBytes += buffer.size;
    this.pooledBuffers++;
  }

  /** The device died: every live buffer's contents are gone. */
  markLost(reason: string): void {
    for (const h of this.live) h.lost = reason;
  }

  /** Destroys the pooled buffers; live ones die with their device. */
  destroy(): void {
    this.destroyed = true;
    for (const bucket of this.free.values()) for (const b of bucket) b.destroy();
    for (const b of this.pendingRelease) b.destroy();
    this.free.clear();
    this.pendingRelease = [];
    this.pooledBytes = 0;
    this.pooledBuffers = 0;
  }

  stats(): MemoryStats {
    return {
      liveBuffers: this.live.size, liveBytes: this.liveBytes,
      pooledBuffers: this.pooledBuffers + this.pendingRelease.length,
      pooledBytes: this.pooledBytes + this.pendingRelease.reduce((s, b) => s + b.size, 0),
      created: this.created, reused: this.reused,
    };
  }
}
