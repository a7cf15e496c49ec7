// Waits for a webview page to say 'ready' and reloads it when it does not. A page can load and
// never run its script: code-server's service worker sometimes holds it ("Found unexpected service
// worker controller … Waiting for controllerchange"), and the view then stays blank for good. A
// fresh copy of the html (with a new nonce, so VS Code does not skip it as unchanged) gets past it.
// No VS Code here: the host drives it, the timers are injected, and a Node test runs it.

export interface WatchdogTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReadyWatchdogOptions {
  /** How long a freshly loaded page may take to say 'ready'. */
  timeoutMs: number;
  /** Reloads before giving up. */
  maxReloads: number;
  /** Set the page's html again; `attempt` counts from 1. */
  reload(attempt: number): void;
  /** Every reload was spent and the page is still silent. */
  giveUp(): void;
  timers?: WatchdogTimers;
}

const realTimers: WatchdogTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ReadyWatchdog {
  private timer: unknown = undefined;
  private reloads = 0;
  private readonly timers: WatchdogTimers;

  constructor(private readonly options: ReadyWatchdogOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /** Reloads spent since the page last said 'ready'. */
  get reloadCount(): number {
    return this.reloads;
  }

  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** A page was just loaded (or shown again): it should say 'ready' within the timeout. */
  expectReady(): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => this.expired(), this.options.timeoutMs);
  }

  /** The page said 'ready': stop waiting, and a later silence starts from a full set of reloads. */
  ready(): void {
    this.cancel();
    this.reloads = 0;
  }

  /** Nothing to wait for any more (the view is hidden or gone). */
  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expired(): void {
    this.timer = undefined;
    if (this.reloads >= this.options.maxReloads) {
      this.options.giveUp();
      return;
    }
    this.reloads++;
    this.options.reload(this.reloads);
    this.expectReady();
  }
}
