// What a watched training program reports, and what it can be told. Plain JSON-friendly data: the
// runner forwards events to the extension host as they are, and controls arrive the other way.
import type { LeafSummary } from './summarize.js';

/** A number as JSON carries it: non-finite values spelled out (JSON has no NaN). */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface TreeReport {
  /** 'params', 'grads', 'optState'. */
  name: string;
  leaves: LeafSummary[];
}

export type WatchEvent =
  /** One value of a series (loss, grad norm, learning rate, or the user's own `watch.scalar`). */
  | { kind: 'scalar'; series: string; step: number; wallTime: number; value: WireNumber }
  /** Something that happened at a step: a learning-rate change (effective from that step), a save. */
  | { kind: 'marker'; step: number; label: string }
  /** Summaries of whole pytrees at a step (throttled: a few per second at most). */
  | { kind: 'trees'; step: number; trees: TreeReport[]; fixedPaths: string[] }
  | { kind: 'paused'; step: number }
  | { kind: 'resumed'; step: number }
  | { kind: 'saved'; step: number; path: string }
  /** `watch.begin` restored params and optimiser state from a checkpoint; the run goes on from `step + 1`. */
  | { kind: 'restored'; step: number; path: string };

export type WatchControl =
  | { kind: 'pause' }
  | { kind: 'resume' }
  /** Replace every `hyperparams.learningRate` leaf of the optimiser state from the next step on. */
  | { kind: 'setLearningRate'; value: number }
  /**
   * Save `{params, optState}` now, at the step just finished, as `<dir>/ckpt_<step, 8 digits>.safetensors`
   * (CheckpointManager's naming, so a manager over `dir` lists it too).
   */
  | { kind: 'saveCheckpoint'; dir: string };

/**
 * Where reports go. Installed by the Tracelens runner; absent everywhere else, which makes every
 * `watch` call a no-op.
 */
export interface WatchSink {
  emit(events: WatchEvent[]): void;
  /** Controls received since the last call, in order. */
  drainControls(): WatchControl[];
  /** The next control to arrive (used while paused). */
  nextControl(): Promise<WatchControl>;
  /**
   * The checkpoint the panel asked this run to start from ("Restart from checkpoint"), or null.
   * `watch.begin` restores it and calls `resumeTaken()`.
   */
  readonly resumeFrom: string | null;
  resumeTaken(): void;
}

export function wireNumber(x: number): WireNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}
