// Data for the loss chart tests: a small known run and the other series it logs, a 100,000-point
// series with one spike, the malformed messages the view must reject, and VS Code's high-contrast
// theme variables.

import type { ScalarPoint } from '../../webview/protocol/loss_chart.js';

export const t0 = Date.UTC(2025, 0, 15, 10, 0, 0);

/** Two runs of 6 steps; run `b` has a NaN and a +inf; 500 ms per step. */
export const knownPoints: ScalarPoint[] = [
  ...[2.0, 1.5, 1.2, 1.0, 0.9, 0.8].map((value, step) => ({ run: 'a', series: 'loss', step, wallTime: t0 + 500 * step, value })),
  ...([2.2, 1.8, 'NaN', 1.1, 'Infinity', 0.7] as const).map((value, step) => ({ run: 'b', series: 'loss', step, wallTime: t0 + 2_000 + 500 * step, value })),
];

/** What an optimiser wrapper logs beside the loss of `knownPoints`: two series on other scales. */
export const otherSeriesPoints: ScalarPoint[] = [
  ...[100, 60, 30, 20, 12, 8].map((value, step) => ({ run: 'a', series: 'grad norm', step, wallTime: t0 + 500 * step, value })),
  ...[120, 80, 50, 40, 30, 25].map((value, step) => ({ run: 'b', series: 'grad norm', step, wallTime: t0 + 2_000 + 500 * step, value })),
  ...[0.05, 0.05, 0.05, 0.01, 0.01, 0.01].map((value, step) => ({ run: 'a', series: 'learning rate', step, wallTime: t0 + 500 * step, value })),
];

export const knownRuns = [
  { id: 'a', label: 'adam lr=0.05', status: 'finished' as const },
  { id: 'b', label: 'sgd lr=0.5', status: 'failed' as const },
];

export const spikeStep = 61_234;

/** 100,000 steps of a slowly decaying loss with small ripple and one step at 50× the rest. */
export function spikeSeries(): { steps: number[]; values: number[] } {
  const steps: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    steps.push(i);
    values.push(i === spikeStep ? 50 : 1 / (1 + i / 10_000) + 0.01 * Math.sin(i / 7));
  }
  return { steps, values };
}

const goodPoint = { run: 'a', series: 'loss', step: 1, wallTime: t0, value: 1 };

export const malformedMessages: unknown[] = [
  null,
  'append',
  42,
  [],
  {},
  { type: 'explode' },
  { type: 'append' },
  { type: 'append', points: 'many' },
  { type: 'append', points: [{ ...goodPoint, value: null }] },
  { type: 'append', points: [{ ...goodPoint, value: 'nan' }] },
  { type: 'append', points: [{ ...goodPoint, value: '1.5' }] },
  { type: 'append', points: [{ ...goodPoint, step: -1 }] },
  { type: 'append', points: [{ ...goodPoint, step: 1.5 }] },
  { type: 'append', points: [{ ...goodPoint, wallTime: 'now' }] },
  { type: 'append', points: [{ ...goodPoint, run: '' }] },
  { type: 'append', points: [goodPoint, { ...goodPoint, extra: true }] },
  { type: 'append', points: [goodPoint], extra: true },
  { type: 'marker', run: 'a', step: 3 },
  { type: 'marker', run: 'a', step: '3', label: 'lr' },
  { type: 'runs', runs: [{ id: 'a', label: 'A', status: 'exploded' }] },
  { type: 'runs', runs: [{ id: 'a', label: 'A', status: 'running' }, { id: 'a', label: 'B', status: 'running' }] },
  { type: 'reset', now: true },
];

/** VS Code's High Contrast (dark) theme, as its webview host sets the variables this panel reads. */
export const highContrastVars: Record<string, string> = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace', 'editor-font-size': '13px',
  foreground: '#ffffff', descriptionForeground: '#ffffff', errorForeground: '#f48771',
  'editor-background': '#000000', 'editor-foreground': '#ffffff', contrastBorder: '#6fc3df', focusBorder: '#f38518',
  'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
  'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
  'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'checkbox-foreground': '#ffffff',
  'settings-checkboxBackground': '#000000', 'settings-checkboxBorder': '#6fc3df', 'settings-checkboxForeground': '#ffffff',
  'charts-foreground': '#ffffff', 'charts-lines': '#ffffff80', 'charts-red': '#f14c4c', 'charts-blue': '#3794ff',
  'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  'editorHoverWidget-background': '#0c141f', 'editorHoverWidget-border': '#6fc3df', 'widget-shadow': 'transparent',
  'testing-iconPassed': '#73c991',
  'settings-dropdownBackground': '#000000', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff',
  'settings-dropdownListBorder': '#6fc3df', 'list-activeSelectionBackground': '#000000', 'list-focusOutline': '#f38518',
};

/**
 * The --vscode-charts-* colours of Light Modern, which the harness's light theme does not set: the
 * screenshot should show the run colours a light theme really gives, not the dark fallbacks.
 */
export const lightChartVars: Record<string, string> = {
  'charts-foreground': '#616161', 'charts-lines': '#61616180', 'charts-red': '#e51400', 'charts-blue': '#1a85ff',
  'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
};

/**
 * Light Modern's colours for the controls (the series dropdown, the checkbox, secondary buttons),
 * which the harness's light theme does not set either: without them they fall back to dark shades.
 */
export const lightControlVars: Record<string, string> = {
  'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b',
  'settings-dropdownListBorder': '#cecece', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'list-hoverBackground': '#f2f2f2', 'list-focusOutline': '#005fb8',
  'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxBorder': '#cecece', 'settings-checkboxForeground': '#3b3b3b',
  'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
};
