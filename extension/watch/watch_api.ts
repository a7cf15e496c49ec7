// What the rest of the extension (and the in-host tests, through `activate`'s `{ctx}`) may read of
// the watched runs: `ctx.watch`. The panel's two views and its controls are built on the same model.
import type { RunStatus } from '../../webview/protocol/loss_chart.js';
import type { InspectorSnapshot } from '../../webview/protocol/inspector.js';

export interface WatchPoint {
  step: number;
  /** Milliseconds since the epoch, when the program logged it. */
  wallTime: number;
  /** NaN and ±Infinity as numbers (they arrive as strings on the wire). */
  value: number;
}

export interface WatchRunView {
  /** Unique across window reloads (the charts keep old runs in their saved state). */
  readonly id: string;
  /** `fixed_leaves.ts #2`: the file's name and the how-many-th run of it this session. */
  readonly label: string;
  /** The program's file (fsPath). */
  readonly file: string;
  readonly status: RunStatus;
  /** The highest step reported so far; -1 before the first report. */
  readonly lastStep: number;
  /** The step the program paused at, while it is paused; null otherwise. */
  readonly pausedAt: number | null;
  /** Learning-rate changes, saves, restarts and the program's own `watch.marker`s, in arrival order. */
  readonly markers: readonly { step: number; label: string }[];
  /** Checkpoints saved during this run ("Save checkpoint now"), oldest first. */
  readonly saved: readonly { step: number; path: string }[];
  /** The run's series in step order: 'loss', 'grad norm', 'learning rate', and the program's own. */
  series(name: string): WatchPoint[];
  seriesNames(): string[];
  /** What the inspector shows for that step (or the newest one); null before the first trees report. */
  snapshot(step: number | 'latest'): InspectorSnapshot | null;
}

/** How far each webview has come, for tests and for "is anyone looking" decisions. */
export interface WatchViewStats {
  /** `resolveWebviewView` has been called (the view was shown at least once). */
  resolved: boolean;
  /** The webview said 'ready' since it was last resolved. */
  ready: boolean;
  /** Messages posted to the webview so far. */
  posted: number;
  /** Messages from the webview dropped because they failed validation. */
  rejected: number;
}

export interface WatchApi {
  /** Every run of this session, oldest first. */
  readonly runs: readonly WatchRunView[];
  /** The run in progress, else the newest one. */
  readonly current: WatchRunView | undefined;
  /** Called after any change to any run (batched: at most a few times per second). */
  onDidChange(listener: () => void): { dispose(): void };
  viewStats(): { lossChart: WatchViewStats; inspector: WatchViewStats };
}
