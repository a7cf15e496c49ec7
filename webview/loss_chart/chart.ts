// The plot itself: d3 scales and axes, one faint raw path and one bold smoothed path per run for
// the one series shown (series_choice.ts), learning-rate markers, marks for the points a line
// cannot show, x-only zoom and pan (d3-zoom), and the hover tooltip. It draws what the model says;
// the model lives in main.ts.
//
// Paths are built from the downsampled points of the visible x range only, so a frame costs
// O(points) for the bucket scan and O(pixels) for the DOM, whatever the series' length.

import { axisBottom, axisLeft, line, pointer, scaleLinear, scaleLog, select, symbol, symbolCross, symbolTriangle,
  zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ScaleContinuousNumeric, type Selection, type ZoomBehavior } from 'd3';

import type { ChartSettings, RunInfo, StepMarker } from '../protocol/loss_chart.js';
import { downsample, isDrawable } from './downsample.js';
import { formatValue, formatX } from './format.js';
import type { Series, SeriesStore } from './series_store.js';

export interface ChartModel {
  store: SeriesStore;
  settings: ChartSettings;
  runs: ReadonlyMap<string, RunInfo>;
  markers: readonly StepMarker[];
  /** The series drawn, for every run that logged it; the axes fit it alone. */
  series: string | null;
}

export interface ChartEvents {
  /** The user zoomed or panned: the chart stops fitting the data as it streams. */
  userZoomed(domain: [number, number]): void;
}

/** Why a point is marked instead of drawn. */
export type UndrawableKind = 'nan' | 'posInf' | 'negInf' | 'nonPositive';

export function undrawableKind(y: number, logY: boolean): UndrawableKind | null {
  if (Number.isNaN(y)) return 'nan';
  if (y === Infinity) return 'posInf';
  if (y === -Infinity) return 'negInf';
  if (logY && y <= 0) return 'nonPositive';
  return null;
}

const margin = { top: 18, right: 16, bottom: 30, left: 56 };
const plotHeight = 300;

type SvgGroup = Selection<SVGGElement, unknown, null, undefined>;

/** x of point i is (xs[i] - offset) * scale on the current axis. */
interface XColumn {
  xs: Float64Array;
  offset: number;
  scale: number;
  sorted: boolean;
  /** The smallest and largest x. */
  range: [number, number];
}

export class LossChart {
  readonly element: HTMLElement;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly xAxis: SvgGroup;
  private readonly yAxis: SvgGroup;
  private readonly plot: SvgGroup;
  private readonly lines: SvgGroup;
  private readonly undrawable: SvgGroup;
  private readonly markerLayer: SvgGroup;
  private readonly hoverLayer: SvgGroup;
  private readonly overlay: Selection<SVGRectElement, unknown, null, undefined>;
  private readonly tooltip: HTMLElement;
  private readonly zoomBehavior: ZoomBehavior<SVGRectElement, unknown>;
  /** The x domain the zoom transform is relative to: the fitted domain, frozen once the user zooms. */
  private reference: [number, number] = [0, 1];
  private x: ScaleContinuousNumeric<number, number> = scaleLinear();
  private y: ScaleContinuousNumeric<number, number> = scaleLinear();
  private model: ChartModel | undefined;
  private width = 0;
  private programmaticZoom = false;
  private pointerX: number | null = null;
  private pointerY = 0;

  constructor(private readonly events: ChartEvents) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.svg = select(this.element).append('svg').attr('class', 'plot-svg').attr('role', 'img')
      .attr('aria-label', 'Scalars over training');
    const clipId = `plot-clip-${Math.random().toString(36).slice(2)}`;
    this.svg.append('defs').append('clipPath').attr('id', clipId).append('rect');
    const frame = this.svg.append('g').attr('class', 'frame').attr('transform', `translate(${margin.left},${margin.top})`);
    this.xAxis = frame.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${plotHeight})`);
    this.yAxis = frame.append('g').attr('class', 'axis y-axis');
    this.plot = frame.append('g').attr('class', 'plot').attr('clip-path', `url(#${clipId})`);
    this.markerLayer = this.plot.append('g').attr('class', 'step-markers');
    this.lines = this.plot.append('g').attr('class', 'lines');
    this.undrawable = this.plot.append('g').attr('class', 'undrawable');
    this.hoverLayer = this.plot.append('g').attr('class', 'hover');
    this.overlay = frame.append('rect').attr('class', 'overlay').attr('height', plotHeight);
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.element.append(this.tooltip);

    this.zoomBehavior = zoom<SVGRectElement, unknown>()
      .scaleExtent([1e-4, 1e9])
      .on('zoom', (event: D3ZoomEvent<SVGRectElement, unknown>) => {
        if (this.programmaticZoom || !event.sourceEvent || !this.model) return;
        const domain = event.transform.rescaleX(scaleLinear().domain(this.reference).range([0, this.width])).domain();
        if (!(domain[0] < domain[1]) || !domain.every(Number.isFinite)) return;
        this.events.userZoomed([domain[0], domain[1]]);
      });
    this.overlay.call(this.zoomBehavior);
    this.overlay
      .on('pointermove', (event: PointerEvent) => {
        [this.pointerX, this.pointerY] = pointer(event, this.plot.node());
        this.drawHover();
      })
      .on('pointerleave', () => {
        this.pointerX = null;
        this.drawHover();
      });
  }

  /** The x column of a series on the current axis: steps, or seconds since its run started. */
  private xColumn(s: Series): XColumn {
    const m = this.model!;
    if (m.settings.xAxis === 'step') return { xs: s.steps, offset: 0, scale: 1, sorted: s.stepsSorted, range: s.stepRange };
    const offset = m.store.runStart(s.run);
    return {
      xs: s.wallTimes, offset, scale: 1 / 1000, sorted: s.wallSorted,
      range: [(s.wallRange[0] - offset) / 1000, (s.wallRange[1] - offset) / 1000],
    };
  }

  private fittedXDomain(series: readonly Series[]): [number, number] {
    let lo = Infinity, hi = -Infinity;
    for (const s of series) {
      const { range } = this.xColumn(s);
      lo = Math.min(lo, range[0]);
      hi = Math.max(hi, range[1]);
    }
    if (!(lo <= hi)) return [0, 1];
    if (lo === hi) return [lo - 1, hi + 1];
    return [lo, hi];
  }

  /** The shown series of every run that has points of it. */
  private shownSeries(): Series[] {
    const model = this.model!;
    return model.store.series.filter((s) => s.name === model.series && s.length > 0);
  }

  render(model: ChartModel, width: number): void {
    this.model = model;
    this.width = Math.max(80, Math.floor(width) - margin.left - margin.right);
    const { settings, store } = model;
    const series = this.shownSeries();

    this.svg.attr('width', this.width + margin.left + margin.right).attr('height', plotHeight + margin.top + margin.bottom);
    this.svg.select('clipPath rect').attr('width', this.width).attr('height', plotHeight);
    this.overlay.attr('width', this.width);

    if (settings.xDomain === null) {
      this.reference = this.fittedXDomain(series);
      this.resetZoom();
    }
    const xDomain = settings.xDomain ?? this.reference;
    this.x = scaleLinear().domain(xDomain).range([0, this.width]);

    const logY = settings.logY;
    const window = { x0: xDomain[0], x1: xDomain[1], buckets: this.width, logY };
    const drawn = series.map((s) => {
      const column = this.xColumn(s);
      const smoothed = s.smoothed(settings.smoothing);
      const columns = (ys: Float64Array) => ({ xs: column.xs, xOffset: column.offset, xScale: column.scale, ys, length: s.length, sorted: column.sorted });
      return {
        s, column, smoothed,
        raw: downsample(columns(s.values), window),
        smooth: downsample(columns(smoothed), window),
      };
    });

    this.y = this.fitY(drawn.flatMap((d) => [[d.raw, d.s.values, d.column], [d.smooth, d.smoothed, d.column]] as const), xDomain, settings.logY);

    const xAxis = axisBottom(this.x).ticks(Math.max(2, Math.floor(this.width / 90))).tickFormat((v) => formatX(Number(v), settings.xAxis));
    this.xAxis.call(xAxis);
    const yAxis = settings.logY
      ? axisLeft(this.y).ticks(6, '~g')
      : axisLeft(this.y).ticks(6).tickFormat((v) => formatValue(Number(v)));
    this.yAxis.call(yAxis.tickSizeInner(-this.width).tickSizeOuter(0).tickPadding(6));

    const x = this.x, y = this.y;
    const path = (column: XColumn, ys: Float64Array) => line<number>()
      .defined((i) => isDrawable(ys[i], logY))
      .x((i) => x((column.xs[i] - column.offset) * column.scale))
      .y((i) => y(ys[i]));

    const groups = this.lines.selectAll<SVGGElement, (typeof drawn)[number]>('g.series')
      .data(drawn, (d) => d.s.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'series');
        g.append('path').attr('class', 'raw');
        g.append('path').attr('class', 'smoothed');
        return g;
      })
      .attr('data-run', (d) => d.s.run)
      .attr('data-series', (d) => d.s.name)
      .style('stroke', (d) => store.colour(d.s.run));
    groups.select('path.raw').attr('d', (d) => path(d.column, d.s.values)(Array.from(d.raw)) ?? '');
    groups.select('path.smoothed').attr('d', (d) => path(d.column, d.smoothed)(Array.from(d.smooth)) ?? '');

    this.drawUndrawable(drawn.map((d) => ({ s: d.s, column: d.column, indices: d.raw })), settings.logY);
    this.drawStepMarkers();
    this.drawHover();
  }

  /** Y fits the drawable points in view, raw and smoothed; the downsampled points hold every extreme. */
  private fitY(columns: readonly (readonly [Uint32Array, Float64Array, XColumn])[], xDomain: [number, number], logY: boolean):
    ScaleContinuousNumeric<number, number> {
    let lo = Infinity, hi = -Infinity;
    for (const [indices, ys, { xs, offset, scale }] of columns) {
      for (const i of indices) {
        const x = (xs[i] - offset) * scale;
        const v = ys[i];
        if (x < xDomain[0] || x > xDomain[1] || undrawableKind(v, logY) !== null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (logY) {
      if (!(lo <= hi)) [lo, hi] = [0.1, 1];
      if (lo === hi) [lo, hi] = [lo / 2, hi * 2];
      const pad = Math.pow(hi / lo, 0.05);
      return scaleLog().domain([lo / pad, hi * pad]).range([plotHeight, 0]);
    }
    if (!(lo <= hi)) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - Math.max(1, Math.abs(lo)) * 0.5, hi + Math.max(1, Math.abs(hi)) * 0.5];
    const pad = (hi - lo) * 0.05;
    return scaleLinear().domain([lo - pad, hi + pad]).range([plotHeight, 0]);
  }

  /** NaN and +inf along the top edge, -inf and log-scale non-positives along the bottom, at their x. */
  private drawUndrawable(items: readonly { s: Series; column: XColumn; indices: Uint32Array }[], logY: boolean): void {
    const marks: { key: string; run: string; kind: UndrawableKind; px: number; py: number; index: number }[] = [];
    for (const { s, column, indices } of items) {
      for (const i of indices) {
        const kind = undrawableKind(s.values[i], logY);
        if (kind === null) continue;
        const px = this.x((column.xs[i] - column.offset) * column.scale);
        if (px < 0 || px > this.width) continue;
        const py = kind === 'nan' || kind === 'posInf' ? 6 : plotHeight - 6;
        marks.push({ key: `${s.key}:${i}`, run: s.run, kind, px, py, index: i });
      }
    }
    const shapes: Record<UndrawableKind, string> = {
      nan: symbol(symbolCross, 40)() ?? '',
      posInf: symbol(symbolTriangle, 40)() ?? '',
      negInf: symbol(symbolTriangle, 40)() ?? '',
      nonPositive: symbol(symbolTriangle, 40)() ?? '',
    };
    this.undrawable.selectAll<SVGPathElement, (typeof marks)[number]>('path.mark')
      .data(marks, (d) => d.key)
      .join('path')
      .attr('class', (d) => `mark ${d.kind}`)
      .attr('data-kind', (d) => d.kind)
      .attr('data-run', (d) => d.run)
      .attr('d', (d) => shapes[d.kind])
      .attr('transform', (d) => `translate(${d.px},${d.py})${d.kind === 'posInf' ? '' : d.kind === 'nan' ? ' rotate(45)' : ' rotate(180)'}`)
      .style('fill', (d) => this.model!.store.colour(d.run))
      .style('stroke', (d) => this.model!.store.colour(d.run));
  }

  /** A marker sits at its step; on the wall-time axis, at the time its run logged that step. */
  private markerX(m: StepMarker): number | null {
    const model = this.model!;
    if (model.settings.xAxis === 'step') return m.step;
    for (const s of model.store.series) {
      if (s.run !== m.run || s.length === 0) continue;
      const i = s.nearest(s.steps, 0, 1, m.step);
      return (s.wallTimes[i] - model.store.runStart(s.run)) / 1000;
    }
    return null;
  }

  private drawStepMarkers(): void {
    const model = this.model!;
    const placed = model.markers.flatMap((m) => {
      const x = this.markerX(m);
      if (x === null) return [];
      const px = this.x(x);
      return px >= 0 && px <= this.width ? [{ m, px }] : [];
    });
    const groups = this.markerLayer.selectAll<SVGGElement, (typeof placed)[number]>('g.step-marker')
      .data(placed)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'step-marker');
        g.append('line');
        g.append('text');
        return g;
      })
      .attr('data-step', (d) => d.m.step)
      .attr('transform', (d) => `translate(${d.px},0)`)
      .style('color', (d) => model.store.colour(d.m.run));
    groups.select('line').attr('y1', 0).attr('y2', plotHeight);
    groups.select('text').attr('x', 4).attr('y', 12).text((d) => d.m.label);
  }

  private drawHover(): void {
    const model = this.model;
    const px = this.pointerX;
    if (!model || px === null || px < 0 || px > this.width) {
      this.hoverLayer.selectAll('*').remove();
      this.tooltip.hidden = true;
      return;
    }
    const x = this.x.invert(px);
    const logY = model.settings.logY;
    const rows = this.shownSeries().map((s) => {
      const column = this.xColumn(s);
      const i = s.nearest(column.xs, column.offset, column.scale, x);
      const value = s.values[i];
      const smoothed = s.smoothed(model.settings.smoothing)[i];
      return { s, i, value, smoothed, px: this.x((column.xs[i] - column.offset) * column.scale) };
    });
    this.hoverLayer.selectAll('line').data([px]).join('line').attr('class', 'hover-line')
      .attr('x1', (d) => d).attr('x2', (d) => d).attr('y1', 0).attr('y2', plotHeight);
    this.hoverLayer.selectAll<SVGCircleElement, (typeof rows)[number]>('circle')
      .data(rows.filter((r) => undrawableKind(r.value, logY) === null))
      .join('circle').attr('r', 3.5)
      .attr('cx', (r) => r.px).attr('cy', (r) => this.y(r.value))
      .style('fill', (r) => model.store.colour(r.s.run));

    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of ['', 'Run', 'Step', 'Value', 'Smoothed']) {
      const th = document.createElement('th');
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.className = 'tooltip-row';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.setProperty('background', model.store.colour(r.s.run));
      tr.insertCell().append(swatch);
      const kind = undrawableKind(r.value, logY);
      const cells = [
        model.runs.get(r.s.run)?.label || r.s.run,
        String(r.s.steps[r.i]),
        formatValue(r.value) + (kind === 'nonPositive' ? ' (≤ 0: off the log scale)' : ''),
        formatValue(r.smoothed),
      ];
      for (const text of cells) tr.insertCell().textContent = text;
    }
    this.tooltip.replaceChildren(table);
    this.tooltip.hidden = rows.length === 0;
    // Beside the pointer, below it, so step-marker labels along the top stay readable; flipped to
    // the left near the right edge and kept above the x axis.
    const left = margin.left + px + 14;
    const flip = left + this.tooltip.offsetWidth > this.element.clientWidth;
    const top = Math.min(margin.top + this.pointerY + 14, margin.top + plotHeight - this.tooltip.offsetHeight);
    this.tooltip.style.setProperty('left', `${flip ? margin.left + px - 14 - this.tooltip.offsetWidth : left}px`);
    this.tooltip.style.setProperty('top', `${Math.max(margin.top, top)}px`);
  }

  private resetZoom(): void {
    const t = zoomTransform(this.overlay.node()!);
    if (t.k === 1 && t.x === 0 && t.y === 0) return;
    this.programmaticZoom = true;
    this.overlay.call(this.zoomBehavior.transform, zoomIdentity);
    this.programmaticZoom = false;
  }

  /** The user's zoom applies to the domain shown when it began; `reference` is that domain. */
  adoptZoomReference(domain: [number, number]): void {
    this.reference = domain;
    this.resetZoom();
  }
}
