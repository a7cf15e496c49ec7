// Compute pipelines, cached by WGSL source text. Compiling a shader costs tens of milliseconds on a
// software adapter, so every kernel keeps sizes out of its source and a source is compiled once.
//
// Bind group layouts are explicit (inputs read-only storage, outputs read-write storage, then an
// optional uniform block) rather than 'auto': an auto layout silently drops bindings the shader
// does not use, and binding them anyway would be a validation error.
//
// WebGPU reports compile errors asynchronously, while eager execution is synchronous. So a broken
// shader is remembered: the batch holding its first dispatch is rejected by the GPU, the error is
// thrown from the next call into the backend (or from the pending readback, see ./gpu_errors.ts),
// and later uses of that source throw at once.

import type { GpuErrors } from './gpu_errors.js';

export interface BindingShape { inputs: number; outputs: number; uniform: boolean }

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  error?: Error;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, CachedPipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  /** Distinct pipelines compiled so far (for tests and benchmarks). */
  compiled = 0;

  constructor(private readonly device: GPUDevice, private readonly errors: GpuErrors) {}

  /** The pipeline for a source; throws a compile error found earlier for it. */
  get(code: string, shape: BindingShape, label: string): CachedPipeline {
    const key = `${shape.inputs}/${shape.outputs}/${shape.uniform ? 'u' : '-'}\n${code}`;
    const hit = this.pipelines.get(key);
    if (hit) {
      if (hit.error) throw hit.error;
      return hit;
    }
    const layout = this.layoutFor(shape);
    const entry: CachedPipeline = this.errors.scoped((): CachedPipeline => {
      const module = this.device.createShaderModule({ code, label });
      const pipeline = this.device.createComputePipeline({
        label,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
      });
      return { pipeline, layout };
    }, (err): Error => {
      entry.error = new Error(`Tracelens internal error: the WebGPU kernel for ${label} did not compile.\n${err.message}\n` +
        `Shader source:\n${numberLines(code)}`);
      return entry.error;
    });
    this.pipelines.set(key, entry);
    this.compiled++;
    return entry;
  }

  private layoutFor(shape: BindingShape): GPUBindGroupLayout {
    const key = `${shape.inputs}/${shape.outputs}/${shape.uniform}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      const add = (buffer: GPUBufferBindingLayout) => entries.push({ binding: entries.length, visibility: 0x4 /* COMPUTE */, buffer });
      for (let i = 0; i < shape.inputs; i++) add({ type: 'read-only-storage' });
      for (let i = 0; i < shape.outputs; i++) add({ type: 'storage' });
      if (shape.uniform) add({ type: 'uniform' });
      layout = this.device.createBindGroupLayout({ entries, label: `tracelens ${key}` });
      this.layouts.set(key, layout);
    }
    return layout;
  }
}

function numberLines(code: string): string {
  return code.split('\n').map((l, i) => `${String(i + 1).padStart(4)}  ${l}`).join('\n');
}
