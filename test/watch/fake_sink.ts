// A watch sink as the runner installs one, in memory: records every event, takes controls the test
// sends (waking a paused loop), and offers a checkpoint to restart from like "Restart from checkpoint".
import type { WatchControl, WatchEvent, WatchSink } from '../../engine/watch/index.js';

export class FakeSink implements WatchSink {
  events: WatchEvent[] = [];
  /** Whether `watch.begin` said it restored `resumeFrom`. */
  resumed = false;
  private controls: WatchControl[] = [];
  private waiting: ((c: WatchControl) => void) | null = null;

  constructor(readonly resumeFrom: string | null = null) {}

  emit(events: WatchEvent[]): void { this.events.push(...events); }
  drainControls(): WatchControl[] { return this.controls.splice(0); }
  nextControl(): Promise<WatchControl> {
    const queued = this.controls.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => { this.waiting = resolve; });
  }
  resumeTaken(): void { this.resumed = true; }

  send(c: WatchControl): void {
    if (this.waiting) { const w = this.waiting; this.waiting = null; w(c); } else this.controls.push(c);
  }

  of<K extends WatchEvent['kind']>(kind: K): Extract<WatchEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<WatchEvent, { kind: K }> => e.kind === kind);
  }
}
