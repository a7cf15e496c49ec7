// What changed in the watched runs, as the model tells its views (synchronously, per batch of
// events): the panel's views turn these into their webview messages at their own pace.
import type { StepMarker } from '../../webview/protocol/loss_chart.js';

export type WatchDelta =
  /** A run's series got a value. */
  | { kind: 'scalar'; run: string; series: string }
  | { kind: 'marker'; marker: StepMarker }
  /** A run was added, or a run's status changed. */
  | { kind: 'runs' }
  /** A run reported trees at a step. */
  | { kind: 'trees'; run: string; step: number }
  /** A run saved a checkpoint ("Save checkpoint now"). */
  | { kind: 'saved'; run: string; step: number; path: string };
