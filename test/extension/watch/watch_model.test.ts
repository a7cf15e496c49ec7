// The model of watched runs, fed a scripted event stream as the runner delivers it: what WatchApi
// answers (series, markers, statuses, snapshots) and the messages the panel's two views are sent,
// every one of which must pass the webview's own validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from '../../../engine/watch/events.js';
import type { LeafSummary } from '../../../engine/watch/summarize.js';
import { APPEND_CHUNK, ChartFeed } from '../../../extension/watch/chart_feed.js';
import { InspectorFeed } from '../../../extension/watch/inspector_feed.js';
import { MAX_NORM_POINTS, MAX_SNAPSHOTS } from '../../../extension/watch/trees_history.js';
import { WatchModel } from '../../../extension/watch/watch_model.js';
import { defaultSettings, isHostToWebview as isChartMessage, type LossChartState } from '../../../webview/protocol/loss_chart.js';
import { isHostToWebview as isInspectorMessage } from '../../../webview/protocol/inspector.js';

const file = '/work/examples/fixed_leaves.ts';
const start = Date.UTC(2026, 10, 22, 18, 0, 0);

/** A valid summary of a 2-element leaf whose L2 norm is `norm`. */
function leaf(path: string, norm: number): LeafSummary {
  const v = norm / Math.SQRT2;
  return {
    path, dtype: 'float32', shape: [2], count: 2, mean: v, std: 0, min: v, max: v,
    nanCount: 0, posInfCount: 0, negInfCount: 0, zeroCount: v === 0 ? 2 : 0,
    histogram: { edges: [v, v], counts: [2] }, norm,
  };
}

function scalar(step: number, value: WatchEvent & { kind: 'scalar' } extends { value: infer V } ? V : never, series = 'loss'): WatchEvent {
  return { kind: 'scalar', series, step, wallTime: start + step * 10, value };
}

function trees(step: number, ...named: [string, LeafSummary[]][]): WatchEvent {
  return { kind: 'trees', step, trees: named.map(([name, leaves]) => ({ name, leaves })), fixedPaths: [] };
}

function setup() {
  const model = new WatchModel(() => start);
  const chart = new ChartFeed(model);
  const inspector = new InspectorFeed(model);
  model.onDelta((d) => inspector.add(d));
  return { model, chart, inspector };
}

test('a run numbers its label per file and has an id unique in the session', () => {
  const { model } = setup();
  const a = model.begin(file);
  const b = model.begin(file);
  const c = model.begin('/work/other.ts');
  assert.equal(a.label, 'fixed_leaves.ts #1');
  assert.equal(b.label, 'fixed_leaves.ts #2');
  assert.equal(c.label, 'other.ts #1');
  // Started within the same second: the ids still differ, and each carries the start time.
  assert.equal(new Set([a.id, b.id, c.id]).size, 3);
  for (const run of [a, b, c]) assert.match(run.id, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  model.dispose();
});

test('series are kept whole and read in step order, non-finite values included', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 7);
  model.receive(7, [scalar(0, 1), scalar(2, 0.5), scalar(1, 'NaN'), scalar(3, 'Infinity'), scalar(0, 0.3, 'lr')]);
  model.receive(7, [scalar(4, 0.25)]);
  assert.deepEqual(run.series('loss').map((p) => p.step), [0, 1, 2, 3, 4]);
  const values = run.series('loss').map((p) => p.value);
  assert.ok(Number.isNaN(values[1]));
  assert.equal(values[3], Infinity);
  assert.deepEqual(run.seriesNames(), ['loss', 'lr']);
  assert.deepEqual(run.series('lr'), [{ step: 0, wallTime: start, value: 0.3 }]);
  assert.deepEqual(run.series('absent'), []);
  assert.equal(run.lastStep, 4);
  model.dispose();
});

test('events of a request no watched run is bound to are ignored; an unbound run takes the first that reports', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 3);
  model.receive(99, [scalar(0, 5)]); // a plain "Run file" of another program
  assert.deepEqual(run.series('loss'), []);

  const late = model.begin(file);
  model.bind(late, null);
  model.receive(12, [scalar(0, 2)]);
  model.receive(3, [scalar(0, 1)]);
  assert.deepEqual(late.series('loss').map((p) => p.value), [2]);
  assert.deepEqual(run.series('loss').map((p) => p.value), [1]);
  model.dispose();
});

test('status goes running → paused → running → finished, and the end is final', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  assert.equal(run.status, 'running');
  assert.equal(run.pausedAt, null);
  model.receive(1, [scalar(5, 1), { kind: 'paused', step: 5 }]);
  assert.equal(run.status, 'paused');
  assert.equal(run.pausedAt, 5);
  assert.equal(model.current, run);
  model.receive(1, [{ kind: 'resumed', step: 5 }]);
  assert.equal(run.status, 'running');
  assert.equal(run.pausedAt, null);
  model.end(run, 'finished');
  assert.equal(run.status, 'finished');
  // Reports still on their way when the process ended add data but change no status.
  model.receive(1, [{ kind: 'paused', step: 6 }, scalar(6, 0.9)]);
  assert.equal(run.status, 'finished');
  assert.equal(run.series('loss').length, 2);
  model.end(run, 'failed');
  assert.equal(run.status, 'finished');

  const stopped = model.begin(file);
  model.bind(stopped, 2);
  assert.equal(model.current, stopped, 'the run in progress is the current one');
  model.receive(2, [{ kind: 'paused', step: 0 }]);
  model.end(stopped, 'stopped');
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.pausedAt, null);
  assert.equal(model.current, stopped, 'with none in progress, the newest');
  model.dispose();
});

test('markers come from the program, saves, restores and pauses, once each', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [
    { kind: 'restored', step: 20, path: '/w/.tracelens/checkpoints/fixed_leaves/ckpt_00000020.safetensors' },
    { kind: 'marker', step: 31, label: 'lr 0.1 → 0.01' },
    { kind: 'paused', step: 40 }, { kind: 'resumed', step: 40 },
    { kind: 'saved', step: 41, path: '/w/ckpt_00000041.safetensors' },
    { kind: 'marker', step: 41, label: 'checkpoint saved' },
  ]);
  assert.deepEqual(run.markers, [
    { step: 20, label: 'restored ckpt_00000020.safetensors' },
    { step: 31, label: 'lr 0.1 → 0.01' },
    { step: 40, label: 'paused' },
    { step: 40, label: 'resumed' },
    { step: 41, label: 'checkpoint saved' },
  ]);
  assert.deepEqual(run.saved, [{ step: 41, path: '/w/ckpt_00000041.safetensors' }]);
  assert.equal(run.lastStep, 41, 'a learning-rate marker for the next step is no report of that step');
  model.dispose();
});

test('a malformed event is counted and skipped; the rest of its batch applies', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [
    scalar(0, 1),
    { kind: 'scalar', series: 'loss', step: -1, wallTime: start, value: 2 },
    { kind: 'scalar', series: 'loss', step: 1, wallTime: start, value: NaN }, // NaN must be spelled 'NaN'
    { kind: 'launch', step: 1 },
    null,
    { kind: 'trees', step: 2, trees: [{ name: 'params', leaves: [{ path: "['w']" }] }], fixedPaths: [] },
    scalar(3, 0.5),
  ]);
  assert.equal(model.malformedEvents, 5);
  assert.deepEqual(run.series('loss').map((p) => p.step), [0, 3]);
  assert.equal(run.snapshot('latest'), null);
  model.dispose();
});

test('trees of the same step merge into one snapshot; fixed paths and norm history come with it', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  assert.equal(run.snapshot('latest'), null);
  model.receive(1, [trees(0, ['params', [leaf("['a']", 1), leaf("['b']", 2)]])]);
  model.receive(1, [trees(0, ['grads', [leaf("['a']", 0.5)]])]);
  model.receive(1, [{ kind: 'trees', step: 0, trees: [], fixedPaths: ["['b']"] }]);
  model.receive(1, [trees(5, ['params', [leaf("['a']", 1.5), leaf("['b']", 2)]], ['grads', [leaf("['a']", 0.25)]])]);

  const first = run.snapshot(0)!;
  assert.equal(first.step, 0);
  assert.deepEqual(first.trees.map((t) => t.name), ['params', 'grads']);
  assert.deepEqual(first.fixedPaths, ["['b']"]);
  assert.deepEqual(first.availableSteps, [0, 5]);
  const latest = run.snapshot('latest')!;
  assert.equal(latest.step, 5);
  assert.equal(latest.run, run.id);
  assert.deepEqual(latest.normHistory, {
    "['a']": [{ step: 0, norm: 1 }, { step: 5, norm: 1.5 }],
    "['b']": [{ step: 0, norm: 2 }, { step: 5, norm: 2 }],
  });
  // A step between recorded ones shows the one before it.
  assert.equal(run.snapshot(3)!.step, 0);
  assert.equal(run.snapshot(9)!.step, 5);
  model.dispose();
});

test('the trees history stays bounded and keeps early steps selectable', () => {
  const { model } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  const steps = 5000;
  for (let step = 0; step < steps; step++) model.receive(1, [trees(step, ['params', [leaf("['w']", step)]])]);
  const snapshot = run.snapshot('latest')!;
  const available = snapshot.availableSteps;
  assert.ok(available.length <= MAX_SNAPSHOTS, `${available.length} snapshots kept`);
  assert.ok(available.length >= MAX_SNAPSHOTS / 2);
  assert.deepEqual(available, [...available].sort((a, b) => a - b));
  assert.equal(available[0], 0, 'the first step stays');
  assert.equal(available.at(-1), steps - 1);
  // The recent steps are all there; older ones thinned out.
  assert.deepEqual(available.slice(-MAX_SNAPSHOTS / 2), Array.from({ length: MAX_SNAPSHOTS / 2 }, (_, i) => steps - MAX_SNAPSHOTS / 2 + i));
  assert.ok(available.some((s) => s > 0 && s < steps / 4), 'some early steps between the first and the recent ones');
  for (const step of available) assert.equal(run.snapshot(step)!.step, step);

  const norms = snapshot.normHistory["['w']"];
  assert.ok(norms.length <= MAX_NORM_POINTS && norms.length >= MAX_NORM_POINTS / 2, `${norms.length} norm points`);
  assert.equal(norms[0].step, 0);
  assert.equal(norms.at(-1)!.step, steps - 1);
  assert.ok(norms.every((p, i) => i === 0 || p.step > norms[i - 1].step));
  assert.ok(norms.every((p) => p.norm === p.step));
  model.dispose();
});

test('the chart is sent what it lacks, in few messages, every one passing the chart protocol', () => {
  const { model, chart } = setup();
  assert.deepEqual(chart.take(), [{ type: 'runs', runs: [] }], 'before any run: an empty list, so a restored view ends its stale runs');
  assert.deepEqual(chart.take(), [], 'and only once');
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [scalar(0, 1), scalar(1, 'NaN'), scalar(2, '-Infinity'), { kind: 'marker', step: 1, label: 'lr 0.1 → 0.01' }]);
  model.receive(1, [{ kind: 'paused', step: 2 }]);
  const live = chart.take();
  assert.deepEqual(live.map((m) => m.type), ['runs', 'append', 'marker', 'marker']);
  for (const m of live) assert.ok(isChartMessage(m), JSON.stringify(m));
  assert.deepEqual(live[0], { type: 'runs', runs: [{ id: run.id, label: 'fixed_leaves.ts #1', status: 'paused' }] });
  const append = live[1] as { points: { value: unknown; run: string; wallTime: number }[] };
  assert.deepEqual(append.points.map((p) => p.value), [1, 'NaN', '-Infinity']);
  assert.ok(append.points.every((p) => p.run === run.id && p.wallTime >= start));
  assert.deepEqual(chart.take(), [], 'nothing new, nothing to post');

  model.end(run, 'finished');
  model.receive(1, [scalar(3, 0.5)]);
  assert.deepEqual(chart.take(), [
    { type: 'runs', runs: [{ id: run.id, label: 'fixed_leaves.ts #1', status: 'finished' }] },
    { type: 'append', points: [{ run: run.id, series: 'loss', step: 3, wallTime: start + 30, value: 0.5 }] },
  ], 'a view shown again after hiding goes on from what it restored');
  model.dispose();
});

test('a view created anew is sent everything: a long run in several appends, no reset', () => {
  const { model, chart } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [{ kind: 'marker', step: 0, label: 'start' }]);
  for (let i = 0; i < 25_000; i++) model.receive(1, [scalar(i, 1 / (i + 1)), scalar(i, i, 'learning rate')]);
  assert.equal(chart.take().length, 7, 'runs, five appends of 10,000 points, the marker');
  chart.restart(undefined);
  const replay = chart.take();
  for (const m of replay) assert.ok(isChartMessage(m));
  assert.equal(replay[0].type, 'runs');
  const points = replay.flatMap((m) => (m.type === 'append' ? m.points : []));
  assert.equal(points.length, 50_000);
  assert.ok(replay.filter((m) => m.type === 'append').every((m) => m.type === 'append' && m.points.length <= APPEND_CHUNK));
  assert.deepEqual(points.filter((p) => p.series === 'loss').map((p) => p.step), Array.from({ length: 25_000 }, (_, i) => i));
  assert.deepEqual(replay.filter((m) => m.type === 'marker'), [{ type: 'marker', run: run.id, step: 0, label: 'start' }]);
  assert.ok(!replay.some((m) => m.type === 'reset'), 'a replay never erases what the view saved of older runs');
  model.dispose();
});

test('a view created anew with a saved state is sent only what that state lacks', () => {
  const { model, chart } = setup();
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [scalar(0, 3), scalar(1, 2), { kind: 'marker', step: 1, label: 'lr 0.1 → 0.01' }, scalar(0, 0.1, 'learning rate')]);
  const saved: LossChartState = {
    version: 1, settings: defaultSettings, runs: [{ id: 'old run', label: 'old.ts #1', status: 'finished' }, run.info],
    markers: [{ run: run.id, step: 1, label: 'lr 0.1 → 0.01' }],
    series: [
      { run: 'old run', series: 'loss', steps: [0], wallTimes: [start], values: [9] },
      { run: run.id, series: 'loss', steps: [0], wallTimes: [start], values: [3] },
    ],
  };
  chart.restart(saved);
  const messages = chart.take();
  assert.deepEqual(messages.map((m) => m.type), ['runs', 'append']);
  const points = messages[1].type === 'append' ? messages[1].points : [];
  assert.deepEqual(points.map((p) => [p.series, p.step]), [['loss', 1], ['learning rate', 0]]);
  model.dispose();
});

test('the inspector follows the run in progress, shows a chosen step, and every snapshot passes its protocol', () => {
  const { model, inspector } = setup();
  assert.equal(inspector.message(), undefined, 'no trees: the view keeps what it saved');
  const run = model.begin(file);
  model.bind(run, 1);
  model.receive(1, [trees(0, ['params', [leaf("['w']", 1)]])]);
  model.receive(1, [trees(10, ['params', [leaf("['w']", 2)]])]);
  const latest = inspector.take()!;
  assert.ok(isInspectorMessage(latest), JSON.stringify(latest));
  assert.equal(latest.type === 'snapshot' && latest.step, 10);
  assert.equal(inspector.take(), undefined, 'posted once per change');

  inspector.select(run.id, 0);
  const chosen = inspector.take()!;
  assert.ok(isInspectorMessage(chosen));
  assert.equal(chosen.type === 'snapshot' && chosen.step, 0);
  assert.deepEqual(chosen.type === 'snapshot' && chosen.availableSteps, [0, 10]);
  model.receive(1, [trees(20, ['params', [leaf("['w']", 3)]])]);
  assert.equal(inspector.take(), undefined, 'a chosen step stays while the run goes on');

  inspector.select(run.id, 'latest');
  const followed = inspector.take()!;
  assert.equal(followed.type === 'snapshot' && followed.step, 20);

  // A new run: the inspector follows it once it reports trees, not before.
  model.end(run, 'stopped');
  const next = model.begin(file);
  model.bind(next, 2);
  assert.equal(inspector.take(), undefined);
  model.receive(2, [trees(0, ['params', [leaf("['w']", 9)]])]);
  const nextSnapshot = inspector.take()!;
  assert.ok(isInspectorMessage(nextSnapshot));
  assert.equal(nextSnapshot.type === 'snapshot' && nextSnapshot.run, next.id);

  // A step of a run this session never had (saved by the view before a reload): back to following.
  inspector.select('fixed_leaves.ts #1 · 2020-01-01 00:00:00', 3);
  const fallback = inspector.take()!;
  assert.equal(fallback.type === 'snapshot' && fallback.run, next.id);
  model.dispose();
});

test('onDidChange is batched: a burst of events is one call, a little later', async () => {
  const { model } = setup();
  let calls = 0;
  model.onDidChange(() => calls++);
  const run = model.begin(file);
  model.bind(run, 1);
  for (let i = 0; i < 100; i++) model.receive(1, [scalar(i, i)]);
  assert.equal(calls, 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(calls, 1);
  model.dispose();
});
