// The suite in tracelens, on each of its devices (webgpu, then the JavaScript cpu backend), plus the
// device's physical reference: a plain copy kernel's bandwidth, dispatched through the engine's own
// GPU context so it pays what every tracelens kernel pays.

import { readFileSync } from 'node:fs';
import { devices } from 'tracelens';
// Installs the WebGPU jit compiler (fused kernels) and gives the bench a GPU context for the copy kernel.
import { gpuContextOf } from '../../engine/backend/webgpu/jit/gpu_access.js';
import { main, timeRuns, type LibraryBench, type Reference } from '../harness.js';
import { hostSection, section } from './tracelens_workloads.js';

/** A vec4 copy kernel over 4M f32 (16 MB read, 16 MB written): the adapter's usable bandwidth. */
async function copyKernelReference(): Promise<Reference[]> {
  const gpu = devices().find((d) => d.platform === 'webgpu');
  if (!gpu) return [];
  const ctx = gpuContextOf(gpu.backend);
  const M = 4 * 1024 * 1024;
  const src = ctx.allocate(4 * M), dst = ctx.allocate(4 * M);
  const code = `@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> b: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> u: vec4<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i < u.x) { b[i] = a[i]; }
}`;
  const { medianMs } = await timeRuns(async () => {
    ctx.dispatch({ code, inputs: [src], outputs: [dst], uniforms: new Uint32Array([M / 4, 0, 0, 0]), workgroups: ctx.grid(M / 4, 256), label: 'copy' });
    await ctx.synchronize();
  });
  ctx.releaseTemp(src);
  ctx.releaseTemp(dst);
  return [{ name: 'copy kernel, 4M f32 (vec4)', target: 'webgpu', device: gpu.description, value: (2 * 4 * M) / (medianMs * 1e6), unit: 'GB/s', medianMs }];
}

await main(async (): Promise<LibraryBench> => {
  const ordered = [...devices()].sort((a, b) => (a.platform === 'webgpu' ? -1 : 0) - (b.platform === 'webgpu' ? -1 : 0));
  return {
    library: 'tracelens',
    version: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
    sections: [...ordered.map(section), hostSection()],
    references: copyKernelReference,
  };
});
