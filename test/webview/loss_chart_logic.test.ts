// The loss chart's DOM-free logic in plain Node: TensorBoard's debiased EMA on hand-computed
// values, min/max bucket downsampling (spikes survive, order kept, non-finite kept as breaks),
// the CSV export, the columnar store, which series is shown, and the message contract's validators.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { defaultSettings, isHostToWebview, isLossChartState, isWebviewToHost, settingsFromSaved, type ScalarPoint } from '../../webview/protocol/loss_chart.js';
import { csvField, toCsv } from '../../webview/loss_chart/csv.js';
import { downsample, isDrawable } from '../../webview/loss_chart/downsample.js';
import { shownSeries } from '../../webview/loss_chart/series_choice.js';
import { runPalette, SeriesStore } from '../../webview/loss_chart/series_store.js';
import { DebiasedEma, smooth } from '../../webview/loss_chart/smoothing.js';
import { malformedMessages, spikeSeries } from './loss_chart_fixtures.js';

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) assert.ok(Number.isNaN(actual[i]), `[${i}] is NaN`);
    else if (!Number.isFinite(expected[i])) assert.equal(actual[i], expected[i], `[${i}]`);
    else assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('smoothing: TensorBoard debiased EMA', () => {
  test('matches hand-computed values; non-finite values pass through and do not count', () => {
    // w = 0.5: last = 0.5, 1.25, 2.125, (NaN skipped), 3.0625; debias by 1 - 0.5^n over the 4 finite values.
    const out = smooth([1, 2, 3, NaN, 4, Infinity], 0.5);
    assertClose(out, [1, 5 / 3, 17 / 7, NaN, 49 / 15, Infinity], 1e-12);
  });

  test('w = 0.6 on a loss curve, against the formula written out term by term', () => {
    const v = [2.5, 1.9, 2.2, 1.1, 0.9];
    const w = 0.6;
    const expected = v.map((_, t) => {
      let num = 0;
      for (let k = 0; k <= t; k++) num += (1 - w) * Math.pow(w, t - k) * v[k];
      return num / (1 - Math.pow(w, t + 1));
    });
    assertClose(smooth(v, w), expected, 1e-12);
    assert.equal(smooth(v, 0.6)[0], 2.5, 'the first smoothed value is the first value (debiased)');
  });

  test('weight 0 is the identity; a constant series is left exactly as it is', () => {
    assertClose(smooth([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5], 0);
    assert.deepEqual(Array.from(smooth([0.1, 0.1, 0.1, 0.1], 0.99)), [0.1, 0.1, 0.1, 0.1]);
  });

  test('extending as points stream in equals smoothing the whole series, including a constant start', () => {
    const values = [0.3, 0.3, 0.3, 0.7, NaN, 0.2, 0.25, -Infinity, 0.1];
    const out = new Float64Array(values.length);
    let ema = new DebiasedEma(0.9);
    for (let end = 1; end <= values.length; end++) {
      if (!ema.extend(values, end, out)) {
        ema = new DebiasedEma(0.9);
        assert.ok(ema.extend(values, end, out));
      }
    }
    assertClose(out, Array.from(smooth(values, 0.9)), 0);
  });
});

describe('downsample: min/max buckets', () => {

  test('a single-step spike in 100,000 points survives at 800 columns, and the path stays small', () => {
    const { steps, values } = spikeSeries();
    const indices = downsample({ xs: steps, xOffset: 0, xScale: 1, ys: values, length: steps.length },
      { x0: 0, x1: 99_999, buckets: 800, logY: false });
    assert.ok(indices.includes(61_234), 'the spike index is kept');
    assert.ok(indices.length <= 4 * 800, `at most 4 points per column (${indices.length})`);
    assert.ok(indices.every((v, i) => i === 0 || v > indices[i - 1]), 'indices in step order');
    assert.equal(indices[0], 0);
    assert.equal(indices[indices.length - 1], 99_999);
  });

  test('sorted columns give the same points by bisection as unsorted ones by a full scan', () => {
    const { steps, values } = spikeSeries();
    const columns = { xs: steps, xOffset: 0, xScale: 1, ys: values, length: steps.length };
    for (const [x0, x1] of [[0, 99_999], [61_000, 62_000.5], [-50, 10], [99_990, 200_000]]) {
      const window = { x0, x1, buckets: 300, logY: false };
      assert.deepEqual(downsample({ ...columns, sorted: true }, window), downsample(columns, window), `[${x0}, ${x1}]`);
    }
  });

  test('on a log scale values ≤ 0 are kept as breaks, not drawn', () => {
    const got = downsample({ xs: [0, 1, 2], xOffset: 0, xScale: 1, ys: [1, 0, 2], length: 3 }, { x0: 0, x1: 2, buckets: 1, logY: true });
    assert.deepEqual(Array.from(got), [0, 1, 2]);
    assert.equal(isDrawable(0, true), false);
    assert.equal(isDrawable(0, false), true);
    assert.equal(isDrawable(-Infinity, false), false);
  });

  test('each bucket keeps first, min, max and last in order', () => {
    const ys = [5, 1, 9, 3, 4, /* bucket 2 */ 2, 8, 0];
    const xs = [0, 1, 2, 3, 4, 10, 11, 12];
    const got = downsample({ xs, xOffset: 0, xScale: 1, ys, length: ys.length }, { x0: 0, x1: 19.9, buckets: 2, logY: false });
    // Bucket 1 drops index 3 (neither first, last, min nor max); bucket 2 has only three points.
    assert.deepEqual(Array.from(got), [0, 1, 2, 4, 5, 6, 7]);
  });

  test('points that cannot be drawn are kept, one per run of them in a bucket, to break the line', () => {
    const ys = [1, NaN, NaN, 2, Infinity, 3];
    const xs = [0, 1, 2, 3, 4, 5];
    const got = downsample({ xs, xOffset: 0, xScale: 1, ys, length: ys.length }, { x0: 0, x1: 5, buckets: 1, logY: false });
    assert.deepEqual(Array.from(got), [0, 1, 3, 4, 5], 'the second NaN of the run is folded into the first');
  });

  test('only the visible range is scanned into the path, plus one neighbour each side', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x));
    const got = downsample({ xs, xOffset: 0, xScale: 1, ys, length: ys.length }, { x0: 40.5, x1: 50.5, buckets: 1000, logY: false });
    assert.deepEqual(Array.from(got), [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51]);
  });

  test('relative wall time: x is (xs - offset) * scale', () => {
    const wall = [1000, 2000, 3000, 4000];
    const got = downsample({ xs: wall, xOffset: 1000, xScale: 1 / 1000, ys: [1, 2, 3, 4], length: 4 }, { x0: 1, x1: 2, buckets: 10, logY: false });
    assert.deepEqual(Array.from(got), [0, 1, 2, 3]);
  });
});

describe('csv', () => {
  test('one row per point with run, series, step, wall time in seconds, value and smoothed', () => {
    const csv = toCsv([{ run: 'run, "a"', name: 'loss', length: 3, steps: [0, 1, 2], wallTimes: [1_700_000_000_000, 1_700_000_000_500, 1_700_000_001_000],
      values: [0.5, NaN, -Infinity], smoothed: [0.5, NaN, -Infinity] }]);
    assert.equal(csv, [
      'run,series,step,wall_time,value,smoothed',
      '"run, ""a""",loss,0,1700000000,0.5,0.5',
      '"run, ""a""",loss,1,1700000000.5,nan,nan',
      '"run, ""a""",loss,2,1700000001,-inf,-inf',
      '',
    ].join('\r\n'));
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
  });
});

describe('series store', () => {
  const point = (run: string, series: string, step: number, value: ScalarPoint['value']): ScalarPoint =>
    ({ run, series, step, wallTime: 1_000 * step, value });

  test('columns grow past their first capacity and keep every point', () => {
    const store = new SeriesStore();
    store.append(Array.from({ length: 1000 }, (_, i) => point('a', 'loss', i, i / 2)));
    const [s] = store.series;
    assert.equal(s.length, 1000);
    assert.equal(s.steps[999], 999);
    assert.equal(s.values[999], 499.5);
    assert.equal(s.wallTimes[10], 10_000);
  });

  test('run colours follow first appearance and never change', () => {
    const store = new SeriesStore();
    store.addRun('b');
    store.append([point('a', 'loss', 0, 1), point('b', 'loss', 0, 1), point('c', 'val', 0, 1)]);
    assert.deepEqual(store.runs, ['b', 'a', 'c']);
    assert.equal(store.colour('b'), runPalette[0]);
    assert.equal(store.colour('a'), runPalette[1]);
    assert.equal(store.colour('c'), runPalette[2]);
    store.append([point('a', 'val', 1, 2)]);
    assert.equal(store.colour('a'), runPalette[1]);
  });

  test('counts NaN, ±inf and non-positive values; restores what it saved', () => {
    const store = new SeriesStore();
    store.append([point('a', 'loss', 0, 'NaN'), point('a', 'loss', 1, 'Infinity'), point('a', 'loss', 2, '-Infinity'), point('a', 'loss', 3, 0), point('a', 'loss', 4, 2)]);
    assert.deepEqual(store.series[0].counts, { nan: 1, posInf: 1, negInf: 1, nonPositive: 1 });
    const copy = new SeriesStore();
    copy.restore(store.toSaved());
    assert.deepEqual(copy.toSaved(), store.toSaved());
    assert.deepEqual(store.toSaved()[0].values, ['NaN', 'Infinity', '-Infinity', 0, 2]);
  });

  test('the smoothed column follows appends and weight changes', () => {
    const store = new SeriesStore();
    store.append([point('a', 'loss', 0, 1), point('a', 'loss', 1, 2)]);
    const s = store.series[0];
    assertClose(s.smoothed(0.5).subarray(0, 2), [1, 5 / 3], 1e-12);
    store.append([point('a', 'loss', 2, 3)]);
    assertClose(s.smoothed(0.5).subarray(0, 3), [1, 5 / 3, 17 / 7], 1e-12);
    assertClose(s.smoothed(0).subarray(0, 3), [1, 2, 3], 0);
  });
});

describe('series shown', () => {
  test('the store lists series names in the order they first arrived, over every run, and forgets them on clear', () => {
    const store = new SeriesStore();
    const point = (run: string, series: string): ScalarPoint => ({ run, series, step: 0, wallTime: 0, value: 1 });
    store.append([point('a', 'grad norm'), point('a', 'loss'), point('b', 'val_loss'), point('b', 'loss')]);
    assert.deepEqual(store.names, ['grad norm', 'loss', 'val_loss']);
    assert.equal(store.get('b', 'val_loss')?.length, 1);
    assert.equal(store.get('a', 'val_loss'), undefined);
    store.clear();
    assert.deepEqual(store.names, []);
  });

  test("the user's choice while logged, else 'loss', else the first to arrive", () => {
    assert.equal(shownSeries([], null), null);
    assert.equal(shownSeries(['grad norm', 'learning rate'], null), 'grad norm');
    assert.equal(shownSeries(['grad norm', 'loss'], null), 'loss');
    assert.equal(shownSeries(['grad norm', 'loss'], 'grad norm'), 'grad norm');
    assert.equal(shownSeries(['grad norm', 'loss'], 'val_loss'), 'loss', 'a choice no run has logged falls back');
  });
});

describe('loss chart protocol', () => {
  test('accepts every well-formed message', () => {
    for (const m of [
      { type: 'append', points: [{ run: 'r', series: 'loss', step: 0, wallTime: 1, value: 'NaN' }] },
      { type: 'append', points: [] },
      { type: 'marker', run: 'r', step: 10, label: 'lr 0.05 → 0.01' },
      { type: 'runs', runs: [{ id: 'r', label: 'Run 1', status: 'running' }] },
      { type: 'reset' },
    ]) assert.ok(isHostToWebview(m), JSON.stringify(m));
    assert.ok(isWebviewToHost({ type: 'ready' }));
    assert.ok(isWebviewToHost({ type: 'exportCsv', fileName: 'a.csv', csv: 'x' }));
  });

  test(`rejects ${malformedMessages.length} malformed messages`, () => {
    for (const m of malformedMessages) assert.equal(isHostToWebview(m), false, JSON.stringify(m));
    assert.equal(isWebviewToHost({ type: 'exportCsv', fileName: '../evil.csv', csv: '' }), false);
    assert.equal(isWebviewToHost({ type: 'ready', extra: 1 }), false);
  });

  test('validates saved state', () => {
    const settings = { smoothing: 0.6, xAxis: 'step', logY: false, xDomain: null, series: 'grad norm' };
    const state = { version: 1, settings, runs: [], markers: [], series: [{ run: 'r', series: 'loss', steps: [0], wallTimes: [5], values: ['Infinity'] }] };
    assert.ok(isLossChartState(state));
    assert.equal(isLossChartState({ ...state, version: 2 }), false);
    assert.equal(isLossChartState({ ...state, settings: { ...settings, smoothing: 1 } }), false);
    assert.equal(isLossChartState({ ...state, settings: { ...settings, xDomain: [5, 1] } }), false);
    assert.equal(isLossChartState({ ...state, series: [{ ...state.series[0], steps: [0, 1] }] }), false);
    assert.ok(isLossChartState({ ...state, settings: { ...settings, series: null } }));
    assert.equal(isLossChartState({ ...state, settings: { ...settings, series: '' } }), false);
    assert.equal(isLossChartState({ ...state, settings: { ...settings, series: 3 } }), false);
    assert.equal(isLossChartState({ ...state, settings: { ...settings, colour: 'red' } }), false);
  });

  test('a state saved before the series selector still restores, with no series chosen', () => {
    const { series: _, ...settingsBeforeTheSelector } = defaultSettings;
    const old = { version: 1, settings: settingsBeforeTheSelector, runs: [], markers: [], series: [] };
    assert.ok(isLossChartState(old));
    assert.deepEqual(settingsFromSaved(old.settings), defaultSettings);
    assert.equal(defaultSettings.series, null);
    assert.deepEqual(settingsFromSaved({ ...defaultSettings, series: 'loss' }), { ...defaultSettings, series: 'loss' });
  });
});
