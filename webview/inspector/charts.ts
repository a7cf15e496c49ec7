// The inspector's small pictures, as SVG: a leaf's histogram, its heatmap (2-D leaves) with a
// legend, and the sparkline of its norm over steps. Colours are never written here: every mark
// carries a class, and style.css paints the classes from the theme's variables, so a theme
// change repaints them without a re-render.

import type { HeatmapCell, LeafSummary, NormPoint } from '../protocol/inspector.js';
import { formatStat } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function title(text: string): SVGElement {
  return svg('title', {}, text);
}

// ---- histogram ----

const HIST_WIDTH = 320;
const HIST_HEIGHT = 72;
const HIST_LABELS = 16;

/** One bar per bin, its height the bin's share of the tallest; min and max under the ends. */
export function histogram(h: LeafSummary['histogram']): SVGElement {
  const max = Math.max(1, ...h.counts);
  const width = HIST_WIDTH / h.counts.length;
  const bars = h.counts.map((count, i) => {
    const height = count === 0 ? 0 : Math.max(1, (count / max) * HIST_HEIGHT);
    const last = i === h.counts.length - 1;
    return svg('rect', {
      class: 'bar', x: i * width + 0.5, y: HIST_HEIGHT - height, width: Math.max(1, width - 1), height,
    }, title(`${count} in [${formatStat(h.edges[i])}, ${formatStat(h.edges[i + 1])}${last ? ']' : ')'}`));
  });
  const low = h.edges[0], high = h.edges[h.edges.length - 1];
  return svg('svg', {
    class: 'histogram', width: HIST_WIDTH, height: HIST_HEIGHT + HIST_LABELS, role: 'img',
    'aria-label': `Histogram of the finite values, ${h.counts.length} bins from ${formatStat(low)} to ${formatStat(high)}`,
  },
  svg('line', { class: 'axis', x1: 0, x2: HIST_WIDTH, y1: HIST_HEIGHT + 0.5, y2: HIST_HEIGHT + 0.5 }),
  ...bars,
  svg('text', { class: 'tick', x: 0, y: HIST_HEIGHT + 12 }, formatStat(low)),
  svg('text', { class: 'tick', x: HIST_WIDTH, y: HIST_HEIGHT + 12, 'text-anchor': 'end' }, formatStat(high)),
  svg('text', { class: 'tick', x: HIST_WIDTH, y: 10, 'text-anchor': 'end' }, `max ${max}`));
}

// ---- heatmap ----

/** Steps of colour on each side of zero; style.css defines classes lv-n8 … lv-0 … lv-p8. */
export const LEVELS = 8;
const HEATMAP_SIDE = 288;

/** The colour class of a cell: non-finite markers, else its signed level around zero. */
export function cellClass(value: HeatmapCell, maxAbs: number): string {
  if (value === 'NaN') return 'nan';
  if (value === 'Infinity') return 'posinf';
  if (value === '-Infinity') return 'neginf';
  const level = maxAbs === 0 ? 0 : Math.round((Math.abs(value) / maxAbs) * LEVELS);
  if (level === 0) return 'lv-0';
  return value > 0 ? `lv-p${level}` : `lv-n${level}`;
}

function describeCell(value: HeatmapCell): string {
  if (typeof value === 'number') return formatStat(value);
  return value === 'Infinity' ? '+inf' : value === '-Infinity' ? '\u2212inf' : 'NaN';
}

/**
 * The heatmap of a 2-D leaf (already at most 48×48), diverging around zero so that a sign flip
 * shows, with NaN hatched and the infinities in colours of their own. A cell's tooltip names the
 * rows and columns of the leaf it averages when the leaf was larger than the grid.
 */
export function heatmap(h: NonNullable<LeafSummary['heatmap']>, shape: readonly number[]): SVGElement {
  const cell = Math.max(4, Math.min(24, Math.floor(HEATMAP_SIDE / Math.max(h.rows, h.cols))));
  const maxAbs = maxAbsOf(h.values);
  const span = (n: number, of: number, i: number) => {
    const from = Math.floor((i * n) / of), to = Math.floor(((i + 1) * n) / of) - 1;
    return from === to ? String(from) : `${from}\u2013${to}`;
  };
  const cells = h.values.map((value, i) => {
    const r = Math.floor(i / h.cols), c = i % h.cols;
    return svg('rect', { class: `cell ${cellClass(value, maxAbs)}`, x: c * cell, y: r * cell, width: cell, height: cell },
      title(`[${span(shape[0], h.rows, r)}, ${span(shape[1], h.cols, c)}] ${describeCell(value)}`));
  });
  return svg('svg', {
    class: 'heatmap', width: h.cols * cell, height: h.rows * cell, role: 'img',
    'aria-label': `Heatmap, ${h.rows} by ${h.cols} cells, blue positive, red negative`,
  }, svg('defs', {}, hatchPattern()), ...cells);
}

function hatchPattern(): SVGElement {
  return svg('pattern', { id: 'nan-hatch', width: 4, height: 4, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { class: 'hatch-ground', width: 4, height: 4 }),
    svg('line', { class: 'hatch-line', x1: 0, y1: 0, x2: 0, y2: 4 }));
}

function maxAbsOf(values: readonly HeatmapCell[]): number {
  let max = 0;
  for (const v of values) if (typeof v === 'number' && Math.abs(v) > max) max = Math.abs(v);
  return max;
}

/** The colour scale from −max to +max, and the three non-finite markers. */
export function heatmapLegend(h: NonNullable<LeafSummary['heatmap']>): HTMLElement {
  const maxAbs = maxAbsOf(h.values);
  const swatch = 10;
  const steps = [];
  for (let level = -LEVELS; level <= LEVELS; level++) {
    const cls = level === 0 ? 'lv-0' : level > 0 ? `lv-p${level}` : `lv-n${-level}`;
    steps.push(svg('rect', { class: `cell ${cls}`, x: (level + LEVELS) * swatch, y: 0, width: swatch, height: swatch }));
  }
  const scale = svg('svg', { class: 'scale', width: (2 * LEVELS + 1) * swatch, height: swatch, 'aria-hidden': 'true' }, ...steps);
  const marker = (cls: string, label: string) => {
    const box = svg('svg', { width: swatch, height: swatch, 'aria-hidden': 'true' },
      svg('defs', {}, hatchPattern()), svg('rect', { class: `cell ${cls}`, width: swatch, height: swatch }));
    const item = document.createElement('span');
    item.className = `legend-item ${cls}`;
    item.append(box, label);
    return item;
  };
  const text = (s: string) => {
    const span = document.createElement('span');
    span.className = 'legend-value';
    span.textContent = s;
    return span;
  };
  const legend = document.createElement('div');
  legend.className = 'legend';
  legend.append(text(formatStat(-maxAbs)), scale, text(`+${formatStat(maxAbs)}`),
    marker('nan', 'NaN'), marker('posinf', '+inf'), marker('neginf', '\u2212inf'));
  return legend;
}

// ---- sparkline ----

/** style.css's `.sparkline-slot` keeps this width free in rows that have no sparkline yet. */
const SPARK_WIDTH = 64;
const SPARK_HEIGHT = 16;

/** The leaf's norm over the recorded steps, the current step dotted. */
export function sparkline(points: readonly NormPoint[], currentStep: number): SVGElement {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  const first = sorted[0].step, last = sorted[sorted.length - 1].step;
  const low = Math.min(...sorted.map((p) => p.norm)), high = Math.max(...sorted.map((p) => p.norm));
  const x = (step: number) => (last === first ? SPARK_WIDTH / 2 : 1 + ((step - first) / (last - first)) * (SPARK_WIDTH - 2));
  const y = (norm: number) => (high === low ? SPARK_HEIGHT / 2 : SPARK_HEIGHT - 2 - ((norm - low) / (high - low)) * (SPARK_HEIGHT - 4));
  const coords = sorted.map((p) => `${x(p.step).toFixed(1)},${y(p.norm).toFixed(1)}`).join(' ');
  const current = sorted.find((p) => p.step === currentStep);
  return svg('svg', { class: 'sparkline', width: SPARK_WIDTH, height: SPARK_HEIGHT, role: 'img',
    'aria-label': `Norm over ${sorted.length} steps, from ${formatStat(sorted[0].norm)} to ${formatStat(sorted[sorted.length - 1].norm)}` },
  title(`norm over steps ${first}\u2013${last}: ${formatStat(low)} to ${formatStat(high)}`),
  svg('polyline', { points: coords }),
  ...(current ? [svg('circle', { cx: x(current.step), cy: y(current.norm), r: 1.8 })] : []));
}
