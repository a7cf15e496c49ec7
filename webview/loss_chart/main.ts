// The live loss chart webview: restores the saved series and settings at once (from the webview
// state, else the state the host embedded in the page), tells the host it is ready, then applies
// the host's batches. Every message is validated; a malformed one is logged and dropped whole.
// Drawing is coalesced to one frame per requestAnimationFrame however many batches arrive, and the
// state is saved at a pace that keeps serializing it a small share of the time.

import {
  defaultSettings,
  isHostToWebview,
  isLossChartState,
  settingsFromSaved,
  type ChartSettings,
  type HostToWebview,
  type LossChartState,
  type RunInfo,
  type StepMarker,
  type WebviewToHost,
} from '../protocol/loss_chart.js';
import { LossChart } from './chart.js';
import { Controls } from './controls.js';
import { toCsv } from './csv.js';
import { renderLegend } from './legend.js';
import { shownSeries } from './series_choice.js';
import { SeriesStore } from './series_store.js';
import { restoredState } from '../shared/saved_state.js';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: LossChartState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;

const store = new SeriesStore();
let settings: ChartSettings = { ...defaultSettings };
let runs = new Map<string, RunInfo>();
let markers: StepMarker[] = [];

const chart = new LossChart({
  userZoomed(domain) {
    settings = { ...settings, xDomain: domain };
    changed();
  },
});
const controls = new Controls({
  series(name) {
    settings = { ...settings, series: name };
    changed();
  },
  smoothing(weight) {
    settings = { ...settings, smoothing: weight };
    changed();
  },
  xAxis(mode) {
    if (mode === settings.xAxis) return;
    // A zoomed range in steps means nothing in seconds: the new axis starts fitted.
    settings = { ...settings, xAxis: mode, xDomain: null };
    changed();
  },
  logY(on) {
    settings = { ...settings, logY: on };
    changed();
  },
  fit() {
    settings = { ...settings, xDomain: null };
    changed();
  },
  exportCsv() {
    const series = store.series.map((s) => ({
      run: runs.get(s.run)?.label || s.run, name: s.name, length: s.length,
      steps: s.steps, wallTimes: s.wallTimes, values: s.values, smoothed: s.smoothed(settings.smoothing),
    }));
    vscode.postMessage({ type: 'exportCsv', fileName: 'tracelens-scalars.csv', csv: toCsv(series) });
  },
});
const empty = document.createElement('p');
empty.className = 'empty';
empty.textContent = 'No scalars yet. The values a training run logs appear here as they stream in.';
const legendSlot = document.createElement('div');
legendSlot.className = 'legend-slot';
root.replaceChildren(controls.element, empty, chart.element, legendSlot);

// ---- drawing, one frame at a time ----

let frameRequested = false;
let framesDrawn = 0;

function changed(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(draw);
}

function draw(): void {
  const started = performance.now();
  frameRequested = false;
  const points = store.series.reduce((n, s) => n + s.length, 0);
  empty.hidden = points > 0;
  chart.element.hidden = points === 0;
  const names = store.names;
  const series = shownSeries(names, settings.series);
  controls.update(settings, points > 0, names, series);
  if (points > 0) chart.render({ store, settings, runs, markers, series }, root.clientWidth);
  legendSlot.replaceChildren(renderLegend(store, runs, series, settings.logY));
  framesDrawn++;
  // For tests and for anyone debugging a stuck view: what the last frame showed.
  root.dataset.points = String(points);
  root.dataset.series = series ?? '';
  root.dataset.frames = String(framesDrawn);
  root.dataset.frameMs = (performance.now() - started).toFixed(2);
  saveSoon();
}

new ResizeObserver(() => changed()).observe(root);

// ---- state ----

let lastSaved = 0;
let saveCost = 0;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function currentState(): LossChartState {
  return { version: 1, settings, runs: [...runs.values()], markers, series: store.toSaved() };
}

function saveNow(): void {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  const started = performance.now();
  vscode.setState(currentState());
  lastSaved = performance.now();
  saveCost = lastSaved - started;
}

/**
 * Saves at most once a second, and spends at most 2% of the time saving: VS Code serializes the
 * whole state on every call, and 200,000 points take tens of milliseconds to clone.
 */
function saveSoon(): void {
  if (saveTimer !== undefined) return;
  const wait = Math.max(0, lastSaved + Math.max(1000, 50 * saveCost) - performance.now());
  saveTimer = setTimeout(saveNow, wait);
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && saveTimer !== undefined) saveNow();
});

function restore(state: LossChartState): void {
  settings = settingsFromSaved(state.settings);
  runs = new Map(state.runs.map((r) => [r.id, r]));
  for (const r of state.runs) store.addRun(r.id);
  markers = [...state.markers];
  store.restore(state.series);
  if (settings.xDomain) chart.adoptZoomReference(settings.xDomain);
}

function restoreInitialState(): void {
  const saved = restoredState(vscode, isLossChartState, 'loss-chart');
  if (saved) restore(saved);
}

// ---- messages ----

function receive(message: HostToWebview): void {
  switch (message.type) {
    case 'append':
      store.append(message.points);
      break;
    case 'marker': {
      const { run, step, label } = message;
      if (!markers.some((m) => m.run === run && m.step === step && m.label === label)) markers.push({ run, step, label });
      break;
    }
    case 'runs': {
      const known = new Map(message.runs.map((r) => [r.id, r]));
      // Runs this view restored that the host does not know ran before a window reload: their
      // process is gone, so none of them is still running.
      for (const [id, r] of runs) {
        if (!known.has(id)) known.set(id, r.status === 'running' || r.status === 'paused' ? { ...r, status: 'stopped' } : r);
      }
      runs = known;
      for (const r of message.runs) store.addRun(r.id);
      break;
    }
    case 'reset':
      store.clear();
      runs = new Map();
      markers = [];
      // The chosen series stays chosen: the next run most likely logs the same names.
      settings = { ...settings, xDomain: null };
      break;
  }
  changed();
}

window.addEventListener('message', (event: MessageEvent) => {
  if (!isHostToWebview(event.data)) {
    console.warn('Tracelens: ignoring a message the loss chart does not understand', event.data);
    return;
  }
  receive(event.data);
});

restoreInitialState();
draw();
vscode.postMessage({ type: 'ready' });
