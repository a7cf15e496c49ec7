// What the pytree inspector is shown: the newest trees of the run in progress (following it as it
// reports), or the step the user picked, until they pick 'latest' again. Pure, for the Node tests.
import type { HostToWebview as InspectorMessage, InspectorSnapshot, StepChoice } from '../../webview/protocol/inspector.js';
import type { WatchDelta } from './watch_delta.js';
import type { WatchModel } from './watch_model.js';

export class InspectorFeed {
  private choice: { run: string; step: number } | 'latest' = 'latest';
  private changed = false;

  constructor(private readonly model: WatchModel) {}

  get pending(): boolean {
    return this.changed;
  }

  add(deltas: readonly WatchDelta[]): void {
    if (this.choice !== 'latest') return;
    const following = this.model.current?.id;
    if (deltas.some((d) => d.kind === 'trees' && d.run === following)) this.changed = true;
  }

  /** The user picked a step of `run`, or 'latest' to follow the run in progress again. */
  select(run: string, step: StepChoice): void {
    this.choice = step === 'latest' || !this.model.find(run) ? 'latest' : { run, step };
    this.changed = true;
  }

  /** The snapshot to post now, if it changed since the last one taken. */
  take(): InspectorMessage | undefined {
    return this.changed ? this.message() : undefined;
  }

  /** What a view that (re)starts is shown; undefined when the host has no trees (the view keeps its own). */
  message(): InspectorMessage | undefined {
    this.changed = false;
    const snapshot = this.snapshot();
    return snapshot ? { type: 'snapshot', ...snapshot } : undefined;
  }

  private snapshot(): InspectorSnapshot | null {
    if (this.choice === 'latest') return this.model.current?.snapshot('latest') ?? null;
    return this.model.find(this.choice.run)?.snapshot(this.choice.step) ?? null;
  }
}
