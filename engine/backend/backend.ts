// What every backend provides. The engine above this line sees only this interface; a backend holds
// its own buffers, kernels and memory pool.

import type { ShapedArray } from '../core/aval.js';
import type { TypedArray } from '../core/dtype.js';
import type { Primitive, Params } from '../core/primitive.js';

export type Platform = 'webgpu' | 'cpu';

/** A backend's handle on array storage. Opaque above the backend. */
export interface DeviceBuffer {
  readonly nbytes: number;
}

export interface Operand {
  buffer: DeviceBuffer;
  aval: ShapedArray;
}

export interface MemoryStats {
  /** Buffers currently owned by live arrays. */
  liveBuffers: number;
  liveBytes: number;
  /** Buffers released and kept for reuse, by size bucket. */
  pooledBuffers: number;
  pooledBytes: number;
  /** Buffers created from scratch since start, and allocations served from the pool. */
  created: number;
  reused: number;
}

export interface Backend {
  readonly platform: Platform;
  /** Human-readable description (for webgpu: the adapter's). */
  readonly description: string;
  /** True for software/fallback adapters (lavapipe, SwiftShader) and for the cpu backend itself. */
  readonly isFallback: boolean;

  /** Copies host data (already in `aval.dtype`'s host typed array) to a new device buffer. */
  upload(data: TypedArray, aval: ShapedArray): DeviceBuffer;
  /** Reads a buffer back to the host, resolving after all work writing it has finished. */
  read(buffer: DeviceBuffer, aval: ShapedArray): Promise<TypedArray>;
  /** Returns a buffer to the pool; called by the finalizer or `dispose()`, at most once per buffer. */
  release(buffer: DeviceBuffer): void;
  /** Runs one primitive eagerly. Inputs are already on this backend. Dispatch may be asynchronous. */
  execute(prim: Primitive, inputs: Operand[], params: Params, outAvals: ShapedArray[]): DeviceBuffer[];
  /** Resolves when all submitted work has finished. */
  synchronize(): Promise<void>;
  memoryStats(): MemoryStats;
  /** True when this backend has a kernel for the primitive. */
  supports(prim: Primitive): boolean;
  /** Host-memory backends can read synchronously (used for cpu → webgpu transfers and debugNans). */
  readSync?(buffer: DeviceBuffer, aval: ShapedArray): TypedArray | undefined;
  /** Host-memory backends accept values that are still on their way (a readback from another device). */
  uploadLater?(data: Promise<TypedArray>, aval: ShapedArray): DeviceBuffer;
  /** A new buffer with the same contents (devicePut to the same device). */
  copyBuffer(buffer: DeviceBuffer, aval: ShapedArray): DeviceBuffer;
}
