// The one place the jit compiler reaches into the webgpu backend: the GpuContext (pools, pipeline
// cache, pending batch) of its current device, checked usable the way the backend's own calls check
// it (lost device, errors reported since the last call).

import type { Backend } from '../../backend.js';
import type { GpuContext } from '../gpu_context.js';
import { WebGPUBackend } from '../webgpu_backend.js';

export function gpuContextOf(backend: Backend): GpuContext {
  if (!(backend instanceof WebGPUBackend)) throw new Error(`Tracelens internal error: the ${backend.platform} backend has no GPU context.`);
  return backend.usable();
}
