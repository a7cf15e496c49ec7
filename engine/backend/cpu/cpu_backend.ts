// The cpu backend: typed arrays in host memory, one loop per primitive. It is the reference the
// webgpu backend is tested against, and the fallback when no adapter exists.
//
// Dispatch is asynchronous only where it must be: an array moved here from the GPU has its values
// arriving later, so a buffer may be *pending*. Work on pending buffers is chained on their promises
// (JAX's async dispatch); work on ready buffers runs at once.

import type { ShapedArray } from '../../core/aval.js';
import { type TypedArray, typedArrayFor, roundToFloat16 } from '../../core/dtype.js';
import type { Primitive, Params } from '../../core/primitive.js';
import type { Backend, DeviceBuffer, MemoryStats, Operand } from '../backend.js';
import { cpuKernels } from './kernels.js';
import './kernels/index.js';
import { runElementwise } from './elementwise.js';
import { MemoryPressure } from '../memory_pressure.js';

export class CpuBuffer implements DeviceBuffer {
  /** Set while the values are still being computed or transferred; cleared when `data` is final. */
  pending: Promise<void> | null = null;
  constructor(public data: TypedArray) {}
  get nbytes(): number { return this.data.byteLength; }
}

/** An operand as cpu kernels see it: its host values and abstract value. */
export interface CpuOperand { data: TypedArray; aval: ShapedArray }

/** A cpu kernel: computes the outputs of one primitive from host arrays. */
export type CpuKernel = (inputs: CpuOperand[], params: Params, outAvals: ShapedArray[]) => TypedArray[];

function toDType(data: TypedArray, aval: ShapedArray): TypedArray {
  const copy = typedArrayFor(aval.dtype, aval.size);
  if (aval.dtype === 'float16') for (let i = 0; i < copy.length; i++) copy[i] = roundToFloat16(data[i]);
  else copy.set(data as never);
  return copy;
}

export class CpuBackend implements Backend {
  readonly platform = 'cpu' as const;
  readonly description = `cpu (${process.arch}, JavaScript typed arrays)`;
  readonly isFallback = true;
  private live = 0;
  private liveBytes = 0;
  private created = 0;
  private inFlight = new Set<Promise<void>>();
  private readonly pressure = new MemoryPressure();

  private wrap(data: TypedArray): CpuBuffer {
    this.live++; this.liveBytes += data.byteLength; this.created++;
    this.pressure.allocated(this.liveBytes);
    return new CpuBuffer(data);
  }

  /** A buffer whose values arrive later (from another device). */
  private wrapPending(aval: ShapedArray, fill: Promise<TypedArray>): CpuBuffer {
    const buf = this.wrap(typedArrayFor(aval.dtype, aval.size));
    const p = fill.then((d) => { buf.data = d; buf.pending = null; });
    this.track(p);
    buf.pending = p;
    return buf;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    const done = () => { this.inFlight.delete(p); };
    p.then(done, done);
  }

  upload(data: TypedArray, aval: ShapedArray): DeviceBuffer { return this.wrap(toDType(data, aval)); }

  /** Upload of values that are not on the host yet (a read from another device in flight). */
  uploadLater(data: Promise<TypedArray>, aval: ShapedArray): DeviceBuffer {
    return this.wrapPending(aval, data.then((d) => toDType(d, aval)));
  }

  async read(buffer: DeviceBuffer, _aval: ShapedArray): Promise<TypedArray> {
    const b = buffer as CpuBuffer;
    if (b.pending) await b.pending;
    // Let the event loop turn, as a GPU readback does: FinalizationRegistry callbacks (which free
    // the buffers of collected arrays) run as tasks, so a loop that only awaits cpu reads through
    // microtasks would otherwise never release anything.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return b.data.slice() as TypedArray;
  }
  /** Synchronous read; undefined while the values are still arriving. */
  readSync(buffer: DeviceBuffer, _aval: ShapedArray): TypedArray | undefined {
    const b = buffer as CpuBuffer;
    return b.pending ? undefined : (b.data.slice() as TypedArray);
  }
  copyBuffer(buffer: DeviceBuffer, aval: ShapedArray): DeviceBuffer {
    const b = buffer as CpuBuffer;
    if (b.pending) return this.wrapPending(aval, b.pending.then(() => b.data.slice() as TypedArray));
    return this.wrap(b.data.slice() as TypedArray);
  }

  release(buffer: DeviceBuffer): void {
    this.live--; this.liveBytes -= buffer.nbytes;
    this.pressure.released(this.liveBytes);
    // The values are not wiped: work chained on pending operands may still read this buffer after
    // its array was collected; the typed array goes when the last such closure lets go of it.
  }

  supports(prim: Primitive): boolean { return !!prim.elementwise || cpuKernels.has(prim.name); }

  execute(prim: Primitive, inputs: Operand[], params: Params, outAvals: ShapedArray[]): DeviceBuffer[] {
    const bufs = inputs.map((o) => o.buffer as CpuBuffer);
    const compute = () => {
      const ins = bufs.map((b, i) => ({ data: b.data, aval: inputs[i].aval }));
      return prim.elementwise
        ? [runElementwise(prim, ins, params, outAvals[0])]
        : cpuKernels.get(prim.name)!(ins, params, outAvals);
    };
    const waits = bufs.filter((b) => b.pending).map((b) => b.pending!);
    if (waits.length === 0) return compute().map((d) => this.wrap(d));
    const results = Promise.all(waits).then(compute);
    return outAvals.map((aval, i) => this.wrapPending(aval, results.then((r) => r[i])));
  }

  async synchronize(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  memoryStats(): MemoryStats {
    return { liveBuffers: this.live, liveBytes: this.liveBytes, pooledBuffers: 0, pooledBytes: 0, created: this.created, reused: 0 };
  }
}

