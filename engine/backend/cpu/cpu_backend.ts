// The cpu backend: typed arrays in host memory, one loop per primitive. It is the reference the
// webgpu backend is tested against, and the fallback when no adapter exists.

import type { ShapedArray } from '../../core/aval.js';
import { type TypedArray, typedArrayFor, roundToFloat16 } from '../../core/dtype.js';
import type { Primitive, Params } from '../../core/primitive.js';
import type { Backend, DeviceBuffer, MemoryStats, Operand } from '../backend.js';
import { cpuKernels } from './kernels.js';
import './kernels/index.js';
import { runElementwise } from './elementwise.js';

export class CpuBuffer implements DeviceBuffer {
  constructor(public data: TypedArray) {}
  get nbytes(): number { return this.data.byteLength; }
}

/** A cpu kernel: computes the outputs of one primitive from host arrays. */
export type CpuKernel = (inputs: { data: TypedArray; aval: ShapedArray }[], params: Params, outAvals: ShapedArray[]) => TypedArray[];

export class CpuBackend implements Backend {
  readonly platform = 'cpu' as const;
  readonly description = `cpu (${process.arch}, JavaScript typed arrays)`;
  readonly isFallback = true;
  private live = 0;
  private liveBytes = 0;
  private created = 0;

  private wrap(data: TypedArray): CpuBuffer {
    this.live++; this.liveBytes += data.byteLength; this.created++;
    return new CpuBuffer(data);
  }

  upload(data: TypedArray, aval: ShapedArray): DeviceBuffer {
    const copy = typedArrayFor(aval.dtype, aval.size);
    if (aval.dtype === 'float16') for (let i = 0; i < copy.length; i++) copy[i] = roundToFloat16(data[i]);
    else copy.set(data as never);
    return this.wrap(copy);
  }
  async read(buffer: DeviceBuffer, aval: ShapedArray): Promise<TypedArray> { return this.readSync(buffer, aval); }
  readSync(buffer: DeviceBuffer, _aval: ShapedArray): TypedArray { return (buffer as CpuBuffer).data.slice() as TypedArray; }
  copyBuffer(buffer: DeviceBuffer): DeviceBuffer { return this.wrap((buffer as CpuBuffer).data.slice() as TypedArray); }

  release(buffer: DeviceBuffer): void {
    this.live--; this.liveBytes -= buffer.nbytes;
    (buffer as CpuBuffer).data = EMPTY;
  }

  supports(prim: Primitive): boolean { return !!prim.elementwise || cpuKernels.has(prim.name); }

  execute(prim: Primitive, inputs: Operand[], params: Params, outAvals: ShapedArray[]): DeviceBuffer[] {
    const ins = inputs.map((o) => ({ data: (o.buffer as CpuBuffer).data, aval: o.aval }));
    const outs = prim.elementwise
      ? [runElementwise(prim, ins, params, outAvals[0])]
      : cpuKernels.get(prim.name)!(ins, params, outAvals);
    return outs.map((d) => this.wrap(d));
  }

  async synchronize(): Promise<void> {}

  memoryStats(): MemoryStats {
    return { liveBuffers: this.live, liveBytes: this.liveBytes, pooledBuffers: 0, pooledBytes: 0, created: this.created, reused: 0 };
  }
}

const EMPTY = new Float32Array(0);
