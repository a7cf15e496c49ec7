// One watched run, as the events of its program build it up: its scalar series (every point kept;
// the chart downsamples), its markers, the checkpoints it saved, its trees for the inspector, and
// its status (running → paused → running → finished / stopped / failed).
import { basename } from 'node:path';
import type { WatchEvent } from '../../engine/watch/events.js';
import type { InspectorSnapshot } from '../../webview/protocol/inspector.js';
import { fromWireNumber, toWireNumber, type RunInfo, type RunStatus, type ScalarPoint } from '../../webview/protocol/loss_chart.js';
import { TreesHistory } from './trees_history.js';
import type { WatchDelta } from './watch_delta.js';
import type { WatchPoint, WatchRunView } from './watch_api.js';

/** A series as columns: a long run logs hundreds of thousands of points. */
class SeriesColumns {
  readonly steps: number[] = [];
  readonly wallTimes: number[] = [];
  readonly values: number[] = [];
  /** Whether steps never decreased, so reading the series in step order needs no sort. */
  inStepOrder = true;

  push(step: number, wallTime: number, value: number): void {
    if (this.steps.length > 0 && step < this.steps[this.steps.length - 1]) this.inStepOrder = false;
    this.steps.push(step);
    this.wallTimes.push(wallTime);
    this.values.push(value);
  }

  points(): WatchPoint[] {
    const points = this.steps.map((step, i) => ({ step, wallTime: this.wallTimes[i], value: this.values[i] }));
    // Array.prototype.sort is stable: points of one step keep their arrival order.
    return this.inStepOrder ? points : points.sort((a, b) => a.step - b.step);
  }
}

export type FinalStatus = Extract<RunStatus, 'finished' | 'stopped' | 'failed'>;

export class WatchRun implements WatchRunView {
  status: RunStatus = 'running';
  lastStep = -1;
  pausedAt: number | null = null;
  readonly markers: { step: number; label: string }[] = [];
  readonly saved: { step: number; path: string }[] = [];
  private readonly columns = new Map<string, SeriesColumns>();
  private readonly trees = new TreesHistory();

  constructor(
    readonly id: string,
    readonly label: string,
    readonly file: string,
    /** The program's arguments, so that "Restart from checkpoint" runs it the same way. */
    readonly args: readonly string[],
  ) {}

  get info(): RunInfo {
    return { id: this.id, label: this.label, status: this.status };
  }

  get ended(): boolean {
    return this.status === 'finished' || this.status === 'stopped' || this.status === 'failed';
  }

  series(name: string): WatchPoint[] {
    return this.columns.get(name)?.points() ?? [];
  }

  seriesNames(): string[] {
    return [...this.columns.keys()];
  }

  snapshot(step: number | 'latest'): InspectorSnapshot | null {
    return this.trees.snapshot(this.id, step);
  }

  /** Points of `series` from the `from`-th on, in arrival order, as the chart takes them. */
  chartPoints(series: string, from: number): ScalarPoint[] {
    const c = this.columns.get(series);
    if (!c) return [];
    const points: ScalarPoint[] = [];
    for (let i = from; i < c.steps.length; i++) {
      points.push({ run: this.id, series, step: c.steps[i], wallTime: c.wallTimes[i], value: toWireNumber(c.values[i]) });
    }
    return points;
  }

  seriesLength(series: string): number {
    return this.columns.get(series)?.steps.length ?? 0;
  }

  /**
   * Applies one event of the run's program, pushing what changed to `changes`. `receivedAt` stands
   * in for a wall time the program could not give.
   */
  apply(event: WatchEvent, receivedAt: number, changes: WatchDelta[]): void {
    if (event.kind !== 'marker') this.lastStep = Math.max(this.lastStep, event.step);
    switch (event.kind) {
      case 'scalar': {
        if (event.series === '') return; // the chart names every series
        const wallTime = Number.isFinite(event.wallTime) ? event.wallTime : receivedAt;
        let columns = this.columns.get(event.series);
        if (!columns) this.columns.set(event.series, (columns = new SeriesColumns()));
        columns.push(event.step, wallTime, fromWireNumber(event.value));
        changes.push({ kind: 'scalar', run: this.id, series: event.series });
        return;
      }
      case 'marker':
        this.mark(event.step, event.label, changes);
        return;
      case 'trees':
        this.trees.add(event.step, event.trees, event.fixedPaths);
        changes.push({ kind: 'trees', run: this.id, step: event.step });
        return;
      case 'paused':
        this.mark(event.step, 'paused', changes);
        if (this.status !== 'running') return;
        this.status = 'paused';
        this.pausedAt = event.step;
        changes.push({ kind: 'runs' });
        return;
      case 'resumed':
        this.mark(event.step, 'resumed', changes);
        if (this.status !== 'paused') return;
        this.status = 'running';
        this.pausedAt = null;
        changes.push({ kind: 'runs' });
        return;
      case 'saved':
        this.saved.push({ step: event.step, path: event.path });
        // The program marks its saves itself too; the same label makes the two one marker.
        this.mark(event.step, 'checkpoint saved', changes);
        changes.push({ kind: 'saved', run: this.id, step: event.step, path: event.path });
        return;
      case 'restored':
        this.mark(event.step, `restored ${basename(event.path)}`, changes);
        return;
    }
  }

  /** The run's process ended; nothing its late events say changes that. */
  end(status: FinalStatus, changes: WatchDelta[]): void {
    if (this.ended) return;
    this.status = status;
    this.pausedAt = null;
    changes.push({ kind: 'runs' });
  }

  private mark(step: number, label: string, changes: WatchDelta[]): void {
    if (this.markers.some((m) => m.step === step && m.label === label)) return;
    this.markers.push({ step, label });
    changes.push({ kind: 'marker', marker: { run: this.id, step, label } });
  }
}
