// PLACEHOLDER until the webgpu backend lands: reports that no adapter is available.
import type { Backend } from '../backend.js';
export async function createWebGPUBackend(): Promise<{ backend: Backend } | { reason: string }> {
  return { reason: 'webgpu backend not built yet' };
}
