// Garbage collection driven by device memory.
//
// Arrays free their buffers from a FinalizationRegistry, which runs only after V8 collects them —
// and V8 only clears weak references in *major* collections, which it schedules by JS-heap pressure.
// An Array wrapper is a few hundred bytes of JS heap holding megabytes of device memory, so V8 sees
// no reason to collect while GPU memory fills up. Like any runtime with external memory, we tell the
// collector ourselves: when a backend's live bytes have grown by more than max(minGrowth, the live
// bytes after the previous collection), we request a full collection. Buffers then return to the
// pool when the event loop next turns (finalizers run as tasks), so live memory stays within about
// twice the working set plus `minGrowthBytes`.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFn = () => void;

function obtainGc(): GcFn | null {
  const existing = (globalThis as { gc?: GcFn }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as GcFn; // a fresh context sees the flag; the main one does not
  } catch {
    return null;
  }
}
const gc = obtainGc();

let minGrowthBytes = 64 * 1024 * 1024;

/** Tunes the collection threshold (tests use a small one to show that memory stays bounded). */
export function setMemoryPressureThreshold(bytes: number): void { minGrowthBytes = bytes; }
export function memoryPressureThreshold(): number { return minGrowthBytes; }

/** Per-backend tracker: call `allocated` after each allocation and `released` after each release. */
export class MemoryPressure {
  private baseline = 0;
  collections = 0;

  allocated(liveBytes: number): void {
    if (gc && liveBytes - this.baseline > Math.max(minGrowthBytes, this.baseline)) {
      gc();
      this.collections++;
      this.baseline = liveBytes; // lowered by `released` as finalizers return the dead buffers
    }
  }

  released(liveBytes: number): void {
    if (liveBytes < this.baseline) this.baseline = liveBytes;
  }
}
