// Moving arrays between devices (devicePut). Synchronous from the user's view: the copy is
// scheduled and the new array is usable at once.

import { Array } from '../core/array.js';
import { type Device, resolveDevice } from '../backend/devices.js';

/** The array's buffer on `device` — the array itself if it is already there. */
export function transferTo(x: Array, device: Device, opts: { committed?: boolean } = {}): Array {
  if (x.device === device && (opts.committed === undefined || opts.committed === x.committed)) return x;
  if (x.isDeferred) {
    // Still being computed on the host's side: the move is chained after it, like any other work.
    return Array.pending(x.aval, device, x.whenSettled().then(() => transferTo(x, device, opts)), { committed: opts.committed });
  }
  if (x.device === device) return new Array(x.aval, device, cloneOnDevice(x, device), { committed: opts.committed });
  const host = x.hostValuesSync();
  if (!host && device.backend.uploadLater) {
    // To host memory: the readback is in flight; the new array's values arrive with it.
    return new Array(x.aval, device, device.backend.uploadLater(x.device.backend.read(x.buffer, x.aval), x.aval), { committed: opts.committed });
  }
  if (!host) {
    throw new Error(`Cannot move a ${x.aval.strShort()} array from ${x.device.platform} to ${device.platform} synchronously: ` +
      'its values are still being computed on the cpu device. Use `await devicePutAsync(x, device)` or read it first with `await x.data()`.');
  }
  return new Array(x.aval, device, device.backend.upload(host, x.aval), { committed: opts.committed, host });
}

function cloneOnDevice(x: Array, device: Device): import('../backend/backend.js').DeviceBuffer {
  const copy = (device.backend as { copyBuffer?: (b: unknown, a: unknown) => import('../backend/backend.js').DeviceBuffer }).copyBuffer;
  if (!copy) throw new Error(`internal: ${device.platform} backend cannot copy buffers`);
  return copy.call(device.backend, x.buffer, x.aval);
}

/** Moves an array to a device, reading it back first when needed (webgpu → cpu). */
export async function transferToAsync(x: Array, device: Device, opts: { committed?: boolean } = {}): Promise<Array> {
  await x.whenSettled();
  const hostKnown = x.hostValuesSync();
  if (x.device === device || hostKnown || device.backend.uploadLater) return transferTo(x, device, opts);
  const host = await x.data();
  return new Array(x.aval, device, device.backend.upload(host, x.aval), { committed: opts.committed, host });
}

/**
 * `devicePut(x, device)`: places an array on a device and commits it there, so operations on it run
 * on that device, as `jax.device_put` does. Synchronous: a webgpu → cpu move starts the readback and
 * the cpu work that needs the values waits for it.
 */
export function devicePut(x: Array, device?: Device | 'webgpu' | 'cpu'): Array {
  return transferTo(x, resolveDevice(device), { committed: device !== undefined });
}

/** devicePut that may read back from the GPU first. */
export async function devicePutAsync(x: Array, device?: Device | 'webgpu' | 'cpu'): Promise<Array> {
  return transferToAsync(x, resolveDevice(device), { committed: device !== undefined });
}
