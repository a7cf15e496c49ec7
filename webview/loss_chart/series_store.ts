// Every scalar the chart has received, append-only and columnar: per (run, series) a growable
// Float64Array of steps, wall times and values, so 100,000 points cost three typed arrays instead of
// 100,000 objects, and the smoothed column is extended as points stream in rather than recomputed.
// Runs get their colour from a fixed palette in the order they first appear, so a run keeps its
// colour for the life of the view (and across a restore, which replays that order).

import { fromWireNumber, toWireNumber, type SavedSeries, type ScalarPoint } from '../protocol/loss_chart.js';
import { DebiasedEma } from './smoothing.js';

/**
 * Theme variables VS Code defines for charts, with the Dark Modern values as fallbacks for a page
 * opened outside VS Code; each theme (high contrast included) supplies its own readable shades.
 */
export const runPalette: readonly string[] = [
  'var(--vscode-charts-blue, #3794ff)',
  'var(--vscode-charts-orange, #d18616)',
  'var(--vscode-charts-green, #89d185)',
  'var(--vscode-charts-purple, #b180d7)',
  'var(--vscode-charts-red, #f14c4c)',
  'var(--vscode-charts-yellow, #cca700)',
  'var(--vscode-terminal-ansiCyan, #29b8db)',
  'var(--vscode-terminal-ansiMagenta, #bc3fbc)',
];

class Column {
  data = new Float64Array(256);
  push(x: number, at: number): void {
    if (at === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at] = x;
  }
}

export class Series {
  length = 0;
  private readonly stepColumn = new Column();
  private readonly wallColumn = new Column();
  private readonly valueColumn = new Column();
  private smoothedColumn = new Float64Array(0);
  private ema: DebiasedEma | undefined;
  /** Points the chart cannot draw as a line and marks instead, by kind. */
  readonly counts = { nan: 0, posInf: 0, negInf: 0, nonPositive: 0 };
  /** Smallest and largest step and wall time, kept as points arrive so fitting the x axis is O(1). */
  readonly stepRange: [number, number] = [Infinity, -Infinity];
  readonly wallRange: [number, number] = [Infinity, -Infinity];
  /** Whether steps (wall times) never decreased: then the visible window is found by bisection. */
  stepsSorted = true;
  wallSorted = true;

  constructor(readonly run: string, readonly name: string, readonly key: string) {}

  get steps(): Float64Array { return this.stepColumn.data; }
  get wallTimes(): Float64Array { return this.wallColumn.data; }
  get values(): Float64Array { return this.valueColumn.data; }

  push(step: number, wallTime: number, value: number): void {
    if (this.length > 0) {
      if (step < this.steps[this.length - 1]) this.stepsSorted = false;
      if (wallTime < this.wallTimes[this.length - 1]) this.wallSorted = false;
    }
    this.stepRange[0] = Math.min(this.stepRange[0], step);
    this.stepRange[1] = Math.max(this.stepRange[1], step);
    this.wallRange[0] = Math.min(this.wallRange[0], wallTime);
    this.wallRange[1] = Math.max(this.wallRange[1], wallTime);
    this.stepColumn.push(step, this.length);
    this.wallColumn.push(wallTime, this.length);
    this.valueColumn.push(value, this.length);
    if (Number.isNaN(value)) this.counts.nan++;
    else if (value === Infinity) this.counts.posInf++;
    else if (value === -Infinity) this.counts.negInf++;
    else if (value <= 0) this.counts.nonPositive++;
    this.length++;
  }

  /** The smoothed values, brought up to date for `weight` (only the new points cost anything). */
  smoothed(weight: number): Float64Array {
    if (this.smoothedColumn.length < this.values.length) {
      const grown = new Float64Array(this.values.length);
      grown.set(this.smoothedColumn);
      this.smoothedColumn = grown;
    }
    if (!this.ema || this.ema.weight !== weight) this.ema = new DebiasedEma(weight);
    if (!this.ema.extend(this.values, this.length, this.smoothedColumn)) {
      this.ema = new DebiasedEma(weight);
      this.ema.extend(this.values, this.length, this.smoothedColumn);
    }
    return this.smoothedColumn;
  }

  /** Index of the point whose x is nearest `x`; x of point i is (xs[i] - offset) * scale. */
  nearest(xs: Float64Array, offset: number, scale: number, x: number): number {
    let best = -1;
    let bestDistance = Infinity;
    // A linear scan, not a bisection: a resumed run may log steps out of order.
    for (let i = 0; i < this.length; i++) {
      const d = Math.abs((xs[i] - offset) * scale - x);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  toSaved(): SavedSeries {
    const values = Array.from(this.values.subarray(0, this.length));
    const { nan, posInf, negInf } = this.counts;
    return {
      run: this.run,
      series: this.name,
      steps: Array.from(this.steps.subarray(0, this.length)),
      wallTimes: Array.from(this.wallTimes.subarray(0, this.length)),
      values: nan + posInf + negInf > 0 ? values.map(toWireNumber) : values,
    };
  }
}

export class SeriesStore {
  private readonly byKey = new Map<string, Series>();
  private readonly runOrder = new Map<string, number>();
  private readonly nameOrder = new Set<string>();
  /** Bumped on every change, so the view knows when to redraw and when to save its state. */
  revision = 0;

  get series(): Series[] {
    return [...this.byKey.values()];
  }

  /** Runs in the order their first point (or mention) arrived. */
  get runs(): string[] {
    return [...this.runOrder.keys()];
  }

  /** Every series name any run has logged, in the order each first arrived. */
  get names(): string[] {
    return [...this.nameOrder];
  }

  /** The series `name` of `run`, if that run has logged it. */
  get(run: string, name: string): Series | undefined {
    return this.byKey.get(JSON.stringify([run, name]));
  }

  /** Registers a run so its colour is fixed even before its first point arrives. */
  addRun(run: string): void {
    if (!this.runOrder.has(run)) this.runOrder.set(run, this.runOrder.size);
  }

  colour(run: string): string {
    this.addRun(run);
    return runPalette[this.runOrder.get(run)! % runPalette.length];
  }

  private seriesFor(run: string, name: string): Series {
    const key = JSON.stringify([run, name]);
    let s = this.byKey.get(key);
    if (!s) {
      this.addRun(run);
      s = new Series(run, name, key);
      this.byKey.set(key, s);
      this.nameOrder.add(name);
    }
    return s;
  }

  append(points: readonly ScalarPoint[]): void {
    for (const p of points) this.seriesFor(p.run, p.series).push(p.step, p.wallTime, fromWireNumber(p.value));
    if (points.length > 0) this.revision++;
  }

  restore(saved: readonly SavedSeries[]): void {
    for (const s of saved) {
      const series = this.seriesFor(s.run, s.series);
      for (let i = 0; i < s.steps.length; i++) series.push(s.steps[i], s.wallTimes[i], fromWireNumber(s.values[i]));
    }
    this.revision++;
  }

  clear(): void {
    this.byKey.clear();
    this.runOrder.clear();
    this.nameOrder.clear();
    this.revision++;
  }

  /** The first wall time of a run: the zero of the relative-time axis. */
  runStart(run: string): number {
    let start = Infinity;
    for (const s of this.byKey.values()) if (s.run === run) start = Math.min(start, s.wallRange[0]);
    return start;
  }

  toSaved(): SavedSeries[] {
    return this.series.map((s) => s.toSaved());
  }
}
