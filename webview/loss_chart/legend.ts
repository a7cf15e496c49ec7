// The legend under the chart: one entry per run in colour order, with its label and status, and for
// the series shown the point count and how many points are marked rather than drawn (NaN, ±inf,
// and values ≤ 0 while the y axis is logarithmic), so a diverging run is visible even when zoomed
// away. A run that has not logged the shown series is listed with no points, so it is not mistaken
// for a run that is gone.

import type { RunInfo } from '../protocol/loss_chart.js';
import type { SeriesStore } from './series_store.js';

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function countsText(counts: { nan: number; posInf: number; negInf: number; nonPositive: number }, logY: boolean): string {
  const parts: string[] = [];
  if (counts.nan) parts.push(`${counts.nan} NaN`);
  if (counts.posInf) parts.push(`${counts.posInf} +inf`);
  if (counts.negInf) parts.push(`${counts.negInf} -inf`);
  if (logY && counts.nonPositive) parts.push(`${counts.nonPositive} ≤ 0 (off the log scale)`);
  return parts.join(', ');
}

export function renderLegend(store: SeriesStore, runs: ReadonlyMap<string, RunInfo>, series: string | null, logY: boolean): HTMLElement {
  const list = el('ul', 'legend');
  list.setAttribute('aria-label', 'Runs');
  for (const run of store.runs) {
    const info = runs.get(run);
    const item = el('li', 'legend-run');
    item.dataset.run = run;
    const swatch = el('span', 'swatch');
    swatch.style.setProperty('background', store.colour(run));
    item.append(swatch, el('span', 'run-label', info?.label || run));
    if (info) item.append(el('span', `status ${info.status}`, info.status));
    if (series !== null) {
      const s = store.get(run, series);
      const entry = el('span', 'legend-series');
      entry.dataset.series = series;
      entry.append(el('span', 'series-count', `${(s?.length ?? 0).toLocaleString('en-US')} pts`));
      const marked = s ? countsText(s.counts, logY) : '';
      if (marked) entry.append(el('span', 'marked', marked));
      item.append(entry);
    }
    list.append(item);
  }
  return list;
}
