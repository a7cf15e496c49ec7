// The devices that exist in this process, and which one new arrays land on.
//
// WebGPU adapters can only be requested asynchronously, so this module initializes them with a
// top-level await: once `tracelens` is imported, `devices()` is synchronous, as `jax.devices()` is.
// Set TRACELENS_PLATFORM=cpu to skip WebGPU entirely (like JAX_PLATFORMS=cpu).

import { config } from '../core/config.js';
import type { Backend, Platform } from './backend.js';
import { CpuBackend } from './cpu/cpu_backend.js';
import { createWebGPUBackend } from './webgpu/webgpu_backend.js';

export class Device {
  constructor(readonly backend: Backend, readonly id: number) {}
  get platform(): Platform { return this.backend.platform; }
  get description(): string { return this.backend.description; }
  get isFallback(): boolean { return this.backend.isFallback; }
  toString(): string { return `${this.platform}:${this.id} (${this.description})`; }
  toJSON() { return { platform: this.platform, description: this.description, isFallback: this.isFallback }; }
}

const cpuDevice = new Device(new CpuBackend(), 0);
let webgpuDevice: Device | null = null;
/** Why there is no WebGPU device, when there is none. */
export let webgpuUnavailableReason: string | null = null;

async function init(): Promise<void> {
  const wanted = (process.env.TRACELENS_PLATFORM ?? '').trim().toLowerCase();
  if (wanted === 'cpu') { webgpuUnavailableReason = 'TRACELENS_PLATFORM=cpu'; return; }
  const result = await createWebGPUBackend();
  if ('backend' in result) webgpuDevice = new Device(result.backend, 0);
  else webgpuUnavailableReason = result.reason;
}
await init();

let warnedFallback = false;
function warnFallbackOnce(): void {
  if (warnedFallback || process.env.TRACELENS_PLATFORM?.trim().toLowerCase() === 'cpu') return;
  warnedFallback = true;
  console.warn(
    `Tracelens: no usable WebGPU adapter (${webgpuUnavailableReason}); falling back to the cpu device. ` +
    'To run on WebGPU without a GPU on Debian 12, install the Vulkan loader and Mesa 25 lavapipe: ' +
    '`apt-get install libvulkan1 mesa-vulkan-drivers/bookworm-backports` (see the README), ' +
    'or set TRACELENS_PLATFORM=cpu to silence this warning.');
}

/** All devices, the default first: `[{platform: 'webgpu', description, isFallback}, {platform: 'cpu', …}]`. */
export function devices(platform?: Platform): Device[] {
  const all = [webgpuDevice, cpuDevice].filter((d): d is Device => d !== null);
  const def = defaultDevice();
  const ordered = [def, ...all.filter((d) => d !== def)];
  return platform ? ordered.filter((d) => d.platform === platform) : ordered;
}

/** The device new arrays land on: `config.defaultDevice` if set, else webgpu when it exists. */
export function defaultDevice(): Device {
  const want = config.defaultDevice;
  if (want === 'cpu') return cpuDevice;
  if (webgpuDevice) return webgpuDevice;
  if (want === 'webgpu' || want === null) warnFallbackOnce();
  return cpuDevice;
}

/** Looks a device up by platform name or passes a Device through; errors say what exists. */
export function resolveDevice(d: Device | Platform | string | undefined | null): Device {
  if (d === undefined || d === null) return defaultDevice();
  if (d instanceof Device) return d;
  if (d === 'cpu') return cpuDevice;
  if (d === 'webgpu') {
    if (webgpuDevice) return webgpuDevice;
    throw new Error(`No webgpu device: ${webgpuUnavailableReason}. Available devices: ${devices().map(String).join(', ')}.`);
  }
  throw new Error(`Unknown device ${JSON.stringify(d)}; use 'webgpu', 'cpu' or an element of devices().`);
}
