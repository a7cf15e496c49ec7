// Buffers of one call, planned by liveness. Each value a step writes lives until the last step that
// reads it; then its buffer returns to the call's free list, where a later value of the same pool
// bucket takes it. Program outputs come from the pool and are handed to the caller; inputs and
// constants belong to their arrays and are never written.
//
// The executable follows this plan at run time (./executable.ts, CallArena); `simulate` replays it
// to count the buffers a call needs, which the plan reports (and tests check reuse with).

import type { Var } from '../../../core/jaxpr.js';
import { bucketSize } from '../buffer_pool.js';

export interface StepBuffers {
  reads: Var[];
  writes: Var[];
  /**
   * 'fused' writes take free buffers; 'library' kernels take them too unless a result is a program
   * output (then they allocate from the pool); 'host' results are arrays.
   */
  allocates: 'fused' | 'library' | 'host';
}

export interface BufferPlan {
  /** Values whose buffers go back to the call's free list after each step. */
  releaseAfter: Var[][];
  /** Values the call computes that are not program outputs. */
  intermediates: number;
  /** Distinct buffers those values occupy, with reuse. */
  buffers: number;
  /** Most bytes of intermediates alive at once (pool bucket sizes). */
  peakBytes: number;
}

export function planBuffers(steps: StepBuffers[], outputs: ReadonlySet<Var>, bytesOf: (v: Var) => number): BufferPlan {
  const lastRead = new Map<Var, number>();
  steps.forEach((s, k) => { for (const v of s.reads) lastRead.set(v, k); });
  const releaseAfter: Var[][] = steps.map(() => []);
  let intermediates = 0;
  steps.forEach((s, k) => {
    if (s.allocates === 'host') return;
    for (const v of s.writes) {
      if (outputs.has(v)) continue;
      intermediates++;
      // Never read: free right after it is written (a library kernel's unused second result).
      releaseAfter[lastRead.get(v) ?? k].push(v);
    }
  });

  // Replay: count distinct buffers per bucket.
  const free = new Map<number, number>();
  let buffers = 0, live = 0, peakBytes = 0;
  steps.forEach((s, k) => {
    if (s.allocates !== 'host') {
      for (const v of s.writes) {
        if (outputs.has(v)) continue;
        const b = bucketSize(bytesOf(v));
        const n = free.get(b) ?? 0;
        // A library kernel whose results are all intermediates allocates from the call's free buffers too.
        const reuses = s.allocates === 'fused' || !s.writes.some((w) => outputs.has(w));
        if (reuses && n > 0) free.set(b, n - 1);
        else buffers++;
        live += b;
        peakBytes = Math.max(peakBytes, live);
      }
    }
    for (const v of releaseAfter[k]) {
      const b = bucketSize(bytesOf(v));
      free.set(b, (free.get(b) ?? 0) + 1);
      live -= b;
    }
  });
  return { releaseAfter, intermediates, buffers, peakBytes };
}
