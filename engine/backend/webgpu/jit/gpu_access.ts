// The one place the jit compiler reaches into the webgpu backend: the GpuContext (pools, pipeline
// cache, pending batch) of its current device, checked usable the way the backend's own calls check
// it (lost device, errors reported since the last call).
// TODO(lead): a public `WebGPUBackend.context()` would replace this cast.

import type { Backend } from '../../backend.js';
import type { GpuContext } from '../gpu_context.js';

export function gpuContextOf(backend: Backend): GpuContext {
  const usable = (backend as unknown as { usable?: () => GpuContext }).usable;
  if (typeof usable !== 'function') throw new Error(`Tracelens internal error: the ${backend.platform} backend has no GPU context.`);
  return usable.call(backend);
}
