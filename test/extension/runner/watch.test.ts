// A program that reports through `watch` under the runner: its events reach the host in step
// order (loss, pytree summaries), and the host's controls steer it while it runs — pause holds it,
// a learning-rate change is applied and marked, resume lets it finish. "Save checkpoint now" and a
// later run's `resumeFrom` restart training where it was saved; a program that cannot restart (no
// watch.begin) says so; an unwatched run (`watch: false`, the bench's baseline) reports nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchEvent } from '../../../engine/watch/events.js';
import { isWatchEvent } from '../../../extension/runner/protocol.js';
import { failure, fixture, startClient, unsaved, value } from './helpers.js';

type Of<K extends WatchEvent['kind']> = Extract<WatchEvent, { kind: K }>;
const ofKind = <K extends WatchEvent['kind']>(events: WatchEvent[], kind: K): Of<K>[] => events.filter((e): e is Of<K> => e.kind === kind);
const losses = (events: WatchEvent[]) => ofKind(events, 'scalar').filter((e) => e.series === 'loss');

test('watch events reach the host in step order', { timeout: 120_000 }, async () => {
  const events: WatchEvent[] = [];
  const { client } = startClient({ onWatch: (_id, e) => events.push(...e) });
  try {
    value(await client.request({ type: 'run', file: fixture('watched_training.ts') }));
    const losses = events.filter((e) => e.kind === 'scalar' && e.series === 'loss');
    assert.deepEqual(losses.map((e) => e.step), [...Array(300).keys()]);
    const trees = events.filter((e) => e.kind === 'trees');
    assert.ok(trees.length >= 1, 'at least one pytree summary');
    assert.deepEqual(trees[0].kind === 'trees' && trees[0].trees.map((t) => t.name), ['params', 'grads', 'optState']);
  } finally {
    client.dispose();
  }
});

test('pause holds the run, a learning-rate change is applied and marked, resume finishes it', { timeout: 120_000 }, async () => {
  const events: WatchEvent[] = [];
  let client!: ReturnType<typeof startClient>['client'];
  let paused!: () => void;
  const pausedSeen = new Promise<void>((resolve) => { paused = resolve; });
  let sentPause = false;
  ({ client } = startClient({
    onWatch: (_id, batch) => {
      events.push(...batch);
      if (!sentPause) { sentPause = true; client.control({ kind: 'pause' }); }
      if (batch.some((e) => e.kind === 'paused')) paused();
    },
  }));
  try {
    const run = client.request({ type: 'run', file: fixture('watched_training.ts') });
    await pausedSeen;
    const stepsAtPause = events.filter((e) => e.kind === 'scalar' && e.series === 'loss').length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(events.filter((e) => e.kind === 'scalar' && e.series === 'loss').length, stepsAtPause, 'no steps while paused');
    assert.notEqual(client.control({ kind: 'setLearningRate', value: 0.01 }), null);
    assert.notEqual(client.control({ kind: 'resume' }), null);
    value(await run);
    const marker = events.find((e) => e.kind === 'marker');
    assert.ok(marker && marker.kind === 'marker' && marker.label === 'lr 0.1 → 0.01', JSON.stringify(marker));
    assert.ok(events.some((e) => e.kind === 'resumed'));
    assert.equal(events.filter((e) => e.kind === 'scalar' && e.series === 'loss').length, 300, 'the run finished its 300 steps');
    assert.equal(client.control({ kind: 'pause' }), null, 'no run in progress: nothing to steer');
  } finally {
    client.dispose();
  }
});

test('watch: false runs the program with no sink: it trains and reports nothing', { timeout: 120_000 }, async () => {
  const events: WatchEvent[] = [];
  const { client, logs } = startClient({ onWatch: (_id, e) => events.push(...e) });
  try {
    value(await client.request({ type: 'run', file: fixture('watched_training.ts'), watch: false }));
    assert.ok(logs.some((l) => l.line === 'trained'), 'the program ran to its end');
    assert.deepEqual(events, []);
    assert.equal(client.currentRunId, null);
  } finally {
    client.dispose();
  }
});

test('a checkpoint saved from one run restarts the next at the following step, on the same trajectory', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-restart-'));
  const runs: WatchEvent[][] = [[], []];
  let current = 0;
  let asked = false;
  let client!: ReturnType<typeof startClient>['client'];
  ({ client } = startClient({
    onWatch: (_id, batch) => {
      runs[current].push(...batch);
      if (!asked) { asked = true; client.control({ kind: 'saveCheckpoint', dir }); }
    },
  }));
  try {
    const file = fixture('resumable_training.ts');
    value(await client.request({ type: 'run', file, args: ['--steps=300'] }));
    const [saved] = ofKind(runs[0], 'saved');
    assert.ok(saved, `a 'saved' event: ${JSON.stringify(runs[0].filter((e) => e.kind !== 'scalar' && e.kind !== 'trees'))}`);
    assert.equal(saved.path, join(dir, `ckpt_${String(saved.step).padStart(8, '0')}.safetensors`));
    assert.ok(saved.step < 299, `saved at step ${saved.step}, before the end`);

    current = 1;
    value(await client.request({ type: 'run', file, args: ['--steps=300'], resumeFrom: saved.path }));
    const second = runs[1];
    assert.ok(second.every(isWatchEvent), 'every event passes the host\'s check');
    assert.deepEqual(ofKind(second, 'restored'), [{ kind: 'restored', step: saved.step, path: saved.path }]);
    assert.deepEqual(ofKind(second, 'marker').map((m) => [m.step, m.label]),
      [[saved.step + 1, `restarted from ckpt_${String(saved.step).padStart(8, '0')}.safetensors (step ${saved.step})`]]);
    const restarted = losses(second);
    assert.deepEqual(restarted.map((e) => e.step), Array.from({ length: 299 - saved.step }, (_, k) => saved.step + 1 + k));
    const original = losses(runs[0]).find((e) => e.step === saved.step + 1)!;
    assert.equal(restarted[0].value, original.value, `loss at step ${saved.step + 1}: the same as the run that was saved`);
  } finally {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restart from a checkpoint of another shape fails the run with the ValueError naming the difference', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracelens-restart-'));
  const path = join(dir, 'other.safetensors');
  const { client } = startClient();
  try {
    const saveOther = unsaved('save_other.ts', [
      "import { checkpoint, numpy as np } from 'tracelens';",
      "await checkpoint.save(process.argv[2], { params: { w: np.zeros([5, 2]) }, optState: {} }, { step: 3 });",
    ].join('\n'));
    value(await client.request({ type: 'run', file: saveOther, args: [path] }));
    const error = failure(await client.request({ type: 'run', file: fixture('resumable_training.ts'), resumeFrom: path }));
    assert.equal(error.name, 'ValueError');
    assert.ok(error.message.includes(`checkpoint ${path} does not match the structure of like`), error.message);
    assert.match(error.message, /\['params'\]\['w'\]: checkpoint has f32\[5,2\], like has f32\[3,2\]/);
  } finally {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restart the program cannot take (it never calls watch.begin) is said on stderr and marked at step 0, ahead of its reports', { timeout: 120_000 }, async () => {
  const events: WatchEvent[] = [];
  const { client, logs } = startClient({ onWatch: (_id, e) => events.push(...e) });
  const resumeFrom = join(tmpdir(), 'tracelens-nowhere', 'ckpt_00000005.safetensors');
  const why = 'not restarted from ckpt_00000005.safetensors: the program does not call watch.begin(...)';
  const warnings = () => logs.filter((l) => l.stream === 'stderr' && l.line.includes(why));
  try {
    value(await client.request({ type: 'run', file: fixture('watched_training.ts'), resumeFrom }));
    assert.equal(warnings().length, 1, `one warning on stderr: ${JSON.stringify(logs.filter((l) => l.stream === 'stderr'))}`);
    assert.match(warnings()[0].line, /watch\.begin\(\{params, optState\}\)/, 'it says what to call');
    assert.deepEqual(events[0], { kind: 'marker', step: 0, label: why }, 'the marker goes out with the first reports, not at the end');
    assert.deepEqual(ofKind(events, 'marker').length, 1);
    assert.deepEqual(losses(events).map((e) => e.step), [...Array(300).keys()], 'the run went on from step 0');

    // A program that reports nothing is told when it ends.
    events.length = 0;
    value(await client.request({ type: 'run', file: fixture('print_argv.ts'), resumeFrom }));
    assert.equal(warnings().length, 2);
    assert.deepEqual(events, [{ kind: 'marker', step: 0, label: why }]);
  } finally {
    client.dispose();
  }
});
