// Runs a callback at most once per interval, after the calls that asked for it: many requests in a
// burst (a fast run's events) become one run of the callback, a little later.

export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = -Infinity;

  constructor(private readonly intervalMs: number, private readonly callback: () => void) {}

  schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRun + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.runNow(), wait);
  }

  /** Runs the callback now if it was scheduled (a view that must catch up at once). */
  flush(): void {
    if (this.timer !== undefined) this.runNow();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private runNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRun = Date.now();
    this.callback();
  }
}
