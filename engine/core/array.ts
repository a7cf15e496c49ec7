// Concrete arrays: an abstract value plus a buffer on one device. Immutable. The buffer goes back to
// its backend's pool when the array is garbage-collected (or on `dispose()`), so user code never
// counts references. Reading is asynchronous: `await x.data()`.

import { ShapedArray } from './aval.js';
import { ArrayBase } from './array_base.js';
import type { TypedArray } from './dtype.js';
import { DeviceLostError } from './errors.js';
import { sizeOf } from './shape.js';
import type { DeviceBuffer } from '../backend/backend.js';
import type { Device } from '../backend/devices.js';
import { formatArray } from './format.js';

const JSArray = globalThis.Array;

interface Held { device: Device; buffer: DeviceBuffer }
const finalizer = new FinalizationRegistry<Held>((h) => h.device.backend.release(h.buffer));

/** Host copies are kept for small arrays, so printing them and reading them again needs no readback. */
const HOST_CACHE_MAX_ELEMENTS = 1 << 16;

export class Array extends ArrayBase {
  readonly aval: ShapedArray;
  readonly device: Device;
  /** True when placed explicitly with devicePut: operations then run on this device, as in JAX. */
  readonly committed: boolean;
  #buffer: DeviceBuffer | null;
  #host: TypedArray | null;

  /** @internal Arrays are made by the engine; users call np.array and friends. */
  constructor(aval: ShapedArray, device: Device, buffer: DeviceBuffer, opts: { committed?: boolean; host?: TypedArray } = {}) {
    super();
    this.aval = aval;
    this.device = device;
    this.committed = opts.committed ?? false;
    this.#buffer = buffer;
    this.#host = opts.host && opts.host.length <= HOST_CACHE_MAX_ELEMENTS ? opts.host : null;
    finalizer.register(this, { device, buffer }, this);
  }

  /** @internal The device buffer. Throws if disposed. */
  get buffer(): DeviceBuffer {
    if (!this.#buffer) throw new Error(`This ${this.aval.strShort()} array was disposed; it can no longer be used.`);
    const lost = (this.#buffer as { lost?: string }).lost;
    if (lost) {
      throw new DeviceLostError(`This ${this.aval.strShort()} array lived on a WebGPU device that was lost (${lost}); ` +
        'its contents are gone. Recompute it (the device itself has been recreated).');
    }
    return this.#buffer;
  }

  /** @internal A host copy when one is known without readback. */
  get hostCopy(): TypedArray | null { return this.#host; }

  /** The values as a typed array (a fresh copy): Float32Array, Int32Array, Uint32Array, Uint8Array (bool)… */
  async data(): Promise<TypedArray> {
    if (!this.#host) {
      const got = await this.device.backend.read(this.buffer, this.aval);
      if (got.length <= HOST_CACHE_MAX_ELEMENTS) this.#host = got;
      else return got;
    }
    return this.#host.slice() as TypedArray;
  }

  /** The values as nested JS arrays (booleans for bool arrays), like `x.tolist()`. */
  async tolist(): Promise<unknown> {
    const flat = await this.data();
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.ndim) return conv(flat[offset]);
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return JSArray.from({ length: n }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The single value of a size-1 array, like `x.item()`. */
  async item(): Promise<number | boolean> {
    if (this.size !== 1) {
      throw new TypeError(`item(): can only convert an array of size 1 to a JS scalar, got shape [${this.shape}]; index it first or use tolist().`);
    }
    const v = (await this.data())[0];
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /** Resolves once every computation producing this array has finished on its device. */
  async blockUntilReady(): Promise<this> {
    void this.buffer;
    await this.device.backend.synchronize();
    return this;
  }

  /** Releases the device buffer now. Never needed: buffers are freed when arrays are collected. */
  dispose(): void {
    if (!this.#buffer) return;
    finalizer.unregister(this);
    this.device.backend.release(this.#buffer);
    this.#buffer = null;
  }

  get isDisposed(): boolean { return this.#buffer === null; }
  /** True when the buffer died with a lost GPU device. */
  get isLost(): boolean { return !!(this.#buffer as { lost?: string } | null)?.lost; }

  override toString(): string {
    // Host-memory backends (cpu) can show their values without an await; device arrays show them once read.
    const host = this.#host ?? (this.#buffer && this.device.backend.readSync?.(this.#buffer, this.aval)) ?? null;
    return formatArray(this.aval, host, this.device.platform);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }
}

export { ShapedArray };
