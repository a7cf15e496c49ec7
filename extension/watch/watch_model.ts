// The watched runs of this session, fed by the runner's watch events: what `ctx.watch` answers and
// what the panel's two views are drawn from. Pure (no `vscode`), so it is tested in Node.
//
// Events come by the runner's request id; a run started by "Run & watch" is bound to its id when
// the request is sent. Events of runs that were not started to be watched (a plain "Run file") are
// ignored, and so is any event that does not match the contract.
import { basename } from 'node:path';
import { isWatchEvent } from '../runner/protocol.js';
import { Throttle } from './throttle.js';
import type { WatchDelta } from './watch_delta.js';
import { WatchRun, type FinalStatus } from './watch_run.js';
import type { WatchApi } from './watch_api.js';

/** `onDidChange` listeners hear about changes at most this often. */
const CHANGE_INTERVAL_MS = 250;

export interface Disposable {
  dispose(): void;
}

export class WatchModel implements Omit<WatchApi, 'viewStats'> {
  /** Events dropped because they did not match the contract. */
  malformedEvents = 0;
  private readonly all: WatchRun[] = [];
  private readonly byRunnerId = new Map<number, WatchRun>();
  /** A run whose request id was not known when it started: it takes the first unknown id that reports. */
  private unbound: WatchRun | undefined;
  private readonly runsPerFile = new Map<string, number>();
  private disposed = false;
  private readonly deltaListeners = new Set<(deltas: WatchDelta[]) => void>();
  private readonly changeListeners = new Set<() => void>();
  private readonly changes = new Throttle(CHANGE_INTERVAL_MS, () => {
    for (const listener of [...this.changeListeners]) callSafely(() => listener());
  });

  constructor(private readonly now: () => number = Date.now) {}

  get runs(): readonly WatchRun[] {
    return this.all;
  }

  get current(): WatchRun | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) if (!this.all[i].ended) return this.all[i];
    return this.all.at(-1);
  }

  find(id: string): WatchRun | undefined {
    return this.all.find((r) => r.id === id);
  }

  /** A run of `file` starts (status running), not yet bound to a runner request. */
  begin(file: string, args: readonly string[] = []): WatchRun {
    const name = basename(file);
    const nth = (this.runsPerFile.get(file) ?? 0) + 1;
    this.runsPerFile.set(file, nth);
    const label = `${name} #${nth}`;
    const run = new WatchRun(this.uniqueId(`${label} · ${timestamp(this.now())}`), label, file, [...args]);
    this.all.push(run);
    this.emit([{ kind: 'runs' }]);
    return run;
  }

  /** Ties `run` to the runner request that runs it; null: to the first unknown request that reports. */
  bind(run: WatchRun, runnerId: number | null): void {
    if (runnerId === null) {
      this.unbound = run;
      return;
    }
    this.byRunnerId.set(runnerId, run);
    if (this.unbound === run) this.unbound = undefined;
  }

  isBound(runnerId: number): boolean {
    return this.byRunnerId.has(runnerId);
  }

  /** The runner's watch events of request `runnerId`. */
  receive(runnerId: number, events: readonly unknown[]): void {
    let run = this.byRunnerId.get(runnerId);
    if (!run && this.unbound && !this.unbound.ended) {
      run = this.unbound;
      this.bind(run, runnerId);
    }
    if (!run) return;
    const changes: WatchDelta[] = [];
    const receivedAt = this.now();
    for (const event of events) {
      if (isWatchEvent(event)) run.apply(event, receivedAt, changes);
      else this.malformedEvents++;
    }
    this.emit(changes);
  }

  /** The run's request answered: ok → finished, Cancelled → stopped, anything else → failed. */
  end(run: WatchRun, status: FinalStatus): void {
    if (this.unbound === run) this.unbound = undefined;
    const changes: WatchDelta[] = [];
    run.end(status, changes);
    this.emit(changes);
  }

  /** Every change, as it happens (the panel's views batch them into messages). */
  onDelta(listener: (deltas: WatchDelta[]) => void): Disposable {
    this.deltaListeners.add(listener);
    return { dispose: () => this.deltaListeners.delete(listener) };
  }

  onDidChange(listener: () => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    this.changes.dispose();
    this.deltaListeners.clear();
    this.changeListeners.clear();
  }

  private emit(deltas: WatchDelta[]): void {
    // A run the shutdown cancelled still ends, after the listeners are gone.
    if (deltas.length === 0 || this.disposed) return;
    for (const listener of [...this.deltaListeners]) callSafely(() => listener(deltas));
    this.changes.schedule();
  }

  private uniqueId(id: string): string {
    let unique = id;
    for (let n = 2; this.all.some((r) => r.id === unique); n++) unique = `${id} (${n})`;
    return unique;
  }
}

/** A listener's failure is its own: the other listeners and the run go on. */
function callSafely(f: () => void): void {
  try {
    f();
  } catch (error) {
    console.error('Tracelens: a listener of the watched runs failed', error);
  }
}

/** `2026-11-22 18:15:31`, local time: ids stay apart across window reloads and read well in the inspector. */
function timestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
