// The watch sink of a 'run' request: the program's `watch` reports go to the host as 'watch'
// events; controls from the host (pause, resume, learning rate, save now) queue here until the
// program's next `watch.step` takes them. A checkpoint to restart from waits here for the
// program's `watch.begin`; a program that reports without having taken it (it never calls
// `watch.begin`) has started from scratch, which the user is told at once, not when the run ends.
import { basename } from 'node:path';
import type { WatchControl, WatchEvent, WatchSink } from '../../../engine/watch/events.js';

export class RunnerWatchSink implements WatchSink {
  private readonly controls: WatchControl[] = [];
  private waiting: ((c: WatchControl) => void) | null = null;
  /** Whether the program's `watch.begin` restored `resumeFrom`. */
  private resumed = false;
  private missedResumeTold = false;

  constructor(
    readonly runId: number,
    private readonly forward: (events: WatchEvent[]) => void,
    readonly resumeFrom: string | null = null,
    /** Where a warning for the user goes (the run's stderr). */
    private readonly warn: (text: string) => void = () => {},
  ) {}

  emit(events: WatchEvent[]): void {
    this.forward(this.resumeFrom !== null && !this.resumed ? [...this.missedResume(), ...events] : events);
  }

  drainControls(): WatchControl[] {
    return this.controls.splice(0);
  }

  nextControl(): Promise<WatchControl> {
    const queued = this.controls.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => { this.waiting = resolve; });
  }

  resumeTaken(): void {
    this.resumed = true;
  }

  /** A control from the host. */
  receive(control: WatchControl): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(control);
    else this.controls.push(control);
  }

  /** The program ended: a restart it never took (and never reported past) is told now. */
  end(): void {
    if (this.resumeFrom === null || this.resumed) return;
    const told = this.missedResume();
    if (told.length) this.forward(told);
  }

  /** The first time only: the warning, and the marker that goes out ahead of the program's reports. */
  private missedResume(): WatchEvent[] {
    if (this.missedResumeTold) return [];
    this.missedResumeTold = true;
    const why = `not restarted from ${basename(this.resumeFrom!)}: the program does not call watch.begin(...)`;
    this.warn(`Tracelens: ${why}. Start its training loop from \`await watch.begin({params, optState})\` to restart from a checkpoint.\n`);
    return [{ kind: 'marker', step: 0, label: why }];
  }
}
