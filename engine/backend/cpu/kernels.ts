// The cpu kernels for non-pointwise primitives, by primitive name. One file per family under
// ./kernels/, each registering its kernels here.

import type { CpuKernel } from './cpu_backend.js';

export const cpuKernels = new Map<string, CpuKernel>();

export function registerCpuKernel(name: string, k: CpuKernel): void {
  if (cpuKernels.has(name)) throw new Error(`cpu kernel ${name} registered twice`);
  cpuKernels.set(name, k);
}
