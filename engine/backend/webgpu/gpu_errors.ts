// Errors WebGPU reports asynchronously. Eager execution is synchronous, but shader compiles and
// queue submissions report validation errors through promises (error scopes). They are kept here
// until the next call into the backend can throw them; readbacks and synchronize wait for them.
//
// Only the first error is kept until it is thrown: a broken pipeline also invalidates the command
// buffer that uses it, and that second report is a consequence, not news.

export class GpuErrors {
  private readonly pending = new Set<Promise<void>>();
  private first: Error | null = null;

  constructor(private readonly device: GPUDevice) {}

  /**
   * Runs `fn` inside a validation error scope. An error it caused is recorded as `describe(error)`,
   * or dropped when `describe` returns null (a consequence of an error already recorded).
   */
  scoped<T>(fn: () => T, describe: (error: GPUError) => Error | null): T {
    this.device.pushErrorScope('validation');
    let result: T;
    try {
      result = fn();
    } finally {
      const check = this.device.popErrorScope().then((error) => {
        if (!error) return;
        const e = describe(error);
        if (e) this.first ??= e;
      }, () => { /* the device was lost: lost-device handling reports that */ });
      this.pending.add(check);
      void check.finally(() => this.pending.delete(check));
    }
    return result;
  }

  /** The error not thrown yet, cleared once taken. */
  take(): Error | null {
    const e = this.first;
    this.first = null;
    return e;
  }

  /** Waits for the checks in flight, then throws the error they found, if any. */
  async settle(): Promise<void> {
    if (this.pending.size) await Promise.all(this.pending);
    const e = this.take();
    if (e) throw e;
  }
}
