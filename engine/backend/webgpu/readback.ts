// Reading a device buffer back to the host: copy it into a MAP_READ staging buffer at the end of the
// pending batch, submit, map, and copy the bytes out. Staging buffers are pooled like storage ones;
// once mapped, no command references them, so they are reusable at once.

import type { BufferPool, WebGPUBuffer } from './buffer_pool.js';
import type { CommandBatch } from './command_batch.js';

/** Resolves with a copy of the first `nbytes` bytes (a multiple of 4) of `src`. */
export async function readBytes(batch: CommandBatch, staging: BufferPool, src: WebGPUBuffer, nbytes: number): Promise<ArrayBuffer> {
  if (nbytes === 0) return new ArrayBuffer(0);
  const stage = staging.acquire(nbytes);
  try {
    batch.copy(src.buffer, 0, stage.buffer, 0, nbytes);
    batch.submit();
    await stage.buffer.mapAsync(0x1 /* GPUMapMode.READ */, 0, nbytes);
    const bytes = stage.buffer.getMappedRange(0, nbytes).slice(0);
    stage.buffer.unmap();
    staging.release(stage, { idle: true });
    return bytes;
  } catch (e) {
    // A failed map (device lost mid-read) leaves the staging buffer in an unknown state: drop it.
    staging.discard(stage);
    throw e;
  }
}
