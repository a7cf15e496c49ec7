// The one message contract of the live loss chart, imported by the host side that forwards the
// runner's scalars and by the browser side (webview/loss_chart/main.ts). Both sides validate what
// they receive: a malformed message is dropped whole, never half-applied.
//
// Non-finite values: a diverging run logs NaN and ±Infinity, and the chart must show them, but
// postMessage and setState go through JSON, which writes NaN and Infinity as `null`. So a value on
// the wire is a `WireNumber`: a finite number or one of the strings 'NaN', 'Infinity', '-Infinity'.
import { type Fields, type WireNumber, hasExactly, isFiniteNumber, isNonEmptyString, isNonNegativeInteger, isRecord, isString, isWireNumber } from './checks.js';

export type { WireNumber } from './checks.js';
export { fromWireNumber, toWireNumber } from './checks.js';

export type RunStatus = 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

export interface ScalarPoint {
  /** The run's id, as in the `runs` message. */
  run: string;
  /** The scalar's name (`loss`, `val_loss`, …). */
  series: string;
  step: number;
  /** Milliseconds since the epoch, when the runner logged the value. */
  wallTime: number;
  value: WireNumber;
}

export interface RunInfo {
  id: string;
  label: string;
  status: RunStatus;
}

/** A vertical line at a step of one run, e.g. `lr 0.05 → 0.01`. */
export interface StepMarker {
  run: string;
  step: number;
  label: string;
}

export type HostToWebview =
  /** Points in arrival order; batched, may arrive many times a second. */
  | { type: 'append'; points: ScalarPoint[] }
  | ({ type: 'marker' } & StepMarker)
  /**
   * Every run the host knows, with its status. Sent on every 'ready' (an empty list included): a run
   * the view kept in its saved state that the host does not know ran in a window since reloaded, so
   * the view keeps it, and if it still says running or paused, marks it stopped.
   */
  | { type: 'runs'; runs: RunInfo[] }
  /** Forget every point, run and marker. */
  | { type: 'reset' };

export type WebviewToHost =
  /** Sent once the webview listens; the host sends nothing before it. */
  | { type: 'ready' }
  /** The host asks where to save and writes `csv` there. */
  | { type: 'exportCsv'; fileName: string; csv: string };

export type XAxisMode = 'step' | 'relative';

export interface ChartSettings {
  /** TensorBoard's smoothing weight, 0 (none) to 0.999. */
  smoothing: number;
  xAxis: XAxisMode;
  logY: boolean;
  /** The x range the user zoomed to; null while the chart fits the data as it streams. */
  xDomain: [number, number] | null;
  /** The series the user chose to chart (TensorBoard's tag); null until they choose one. */
  series: string | null;
}

/** Settings as saved: a state saved before the series selector existed has no `series`. */
export type SavedChartSettings = Omit<ChartSettings, 'series'> & { series?: string | null };

/** The settings a saved state restores; a missing `series` means the user never chose one. */
export function settingsFromSaved(saved: SavedChartSettings): ChartSettings {
  return { ...saved, series: saved.series ?? null };
}

/** One (run, series) column set, as saved with `vscode.setState`. */
export interface SavedSeries {
  run: string;
  series: string;
  steps: number[];
  wallTimes: number[];
  values: WireNumber[];
}

/** What the webview keeps with `vscode.setState`, so hiding and reopening the view loses nothing. */
export interface LossChartState {
  version: 1;
  settings: SavedChartSettings;
  runs: RunInfo[];
  markers: StepMarker[];
  series: SavedSeries[];
}

export const maxSmoothing = 0.999;

export const defaultSettings: ChartSettings = { smoothing: 0.6, xAxis: 'step', logY: false, xDomain: null, series: null };


// ---- validation ----

/** Steps are integers a training loop counts; a fractional or negative one is a bug upstream. */
function isStep(x: unknown): x is number {
  return isNonNegativeInteger(x);
}

const runStatuses: readonly string[] = ['running', 'paused', 'finished', 'stopped', 'failed'];

export function isScalarPoint(x: unknown): x is ScalarPoint {
  return isRecord(x) && hasExactly(x, ['run', 'series', 'step', 'wallTime', 'value'])
    && isNonEmptyString(x.run) && isNonEmptyString(x.series) && isStep(x.step)
    && isFiniteNumber(x.wallTime) && isWireNumber(x.value);
}

function isRunInfo(x: unknown): x is RunInfo {
  return isRecord(x) && hasExactly(x, ['id', 'label', 'status'])
    && isNonEmptyString(x.id) && isString(x.label) && runStatuses.includes(x.status as string);
}

function isStepMarkerFields(x: Fields): boolean {
  return isNonEmptyString(x.run) && isStep(x.step) && isString(x.label);
}

function hasUniqueIds(runs: RunInfo[]): boolean {
  return new Set(runs.map((r) => r.id)).size === runs.length;
}

export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'append':
      return hasExactly(x, ['type', 'points']) && Array.isArray(x.points) && x.points.every(isScalarPoint);
    case 'marker':
      return hasExactly(x, ['type', 'run', 'step', 'label']) && isStepMarkerFields(x);
    case 'runs':
      return hasExactly(x, ['type', 'runs']) && Array.isArray(x.runs) && x.runs.every(isRunInfo) && hasUniqueIds(x.runs);
    case 'reset':
      return hasExactly(x, ['type']);
    default:
      return false;
  }
}

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
      return hasExactly(x, ['type']);
    case 'exportCsv':
      return hasExactly(x, ['type', 'fileName', 'csv']) && isNonEmptyString(x.fileName)
        && !/[\\/]/.test(x.fileName) && isString(x.csv);
    default:
      return false;
  }
}

function isSavedChartSettings(x: unknown): x is SavedChartSettings {
  if (!isRecord(x) || !hasExactly(x, ['smoothing', 'xAxis', 'logY', 'xDomain'], ['series'])) return false;
  const domain = x.xDomain;
  return (x.series === undefined || x.series === null || isNonEmptyString(x.series))
    && isFiniteNumber(x.smoothing) && x.smoothing >= 0 && x.smoothing <= maxSmoothing
    && (x.xAxis === 'step' || x.xAxis === 'relative') && typeof x.logY === 'boolean'
    && (domain === null || (Array.isArray(domain) && domain.length === 2 && domain.every(isFiniteNumber)
      && (domain[0] as number) < (domain[1] as number)));
}

function isSavedSeries(x: unknown): x is SavedSeries {
  if (!isRecord(x) || !hasExactly(x, ['run', 'series', 'steps', 'wallTimes', 'values'])) return false;
  const { steps, wallTimes, values } = x;
  return isNonEmptyString(x.run) && isNonEmptyString(x.series)
    && Array.isArray(steps) && Array.isArray(wallTimes) && Array.isArray(values)
    && steps.length === wallTimes.length && steps.length === values.length
    && steps.every(isStep) && wallTimes.every(isFiniteNumber) && values.every(isWireNumber);
}

export function isLossChartState(x: unknown): x is LossChartState {
  if (!isRecord(x) || !hasExactly(x, ['version', 'settings', 'runs', 'markers', 'series'])) return false;
  return x.version === 1 && isSavedChartSettings(x.settings)
    && Array.isArray(x.runs) && x.runs.every(isRunInfo) && hasUniqueIds(x.runs)
    && Array.isArray(x.markers) && x.markers.every((m) => isRecord(m) && hasExactly(m, ['run', 'step', 'label']) && isStepMarkerFields(m))
    && Array.isArray(x.series) && x.series.every(isSavedSeries);
}
