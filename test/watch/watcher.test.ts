// watch.step: with a sink (as under the Tracelens runner) it reports every step's loss in order, the
// pytree summaries at most once per interval with the gradient norm and learning rate, the fixed
// leaves, and obeys the controls — a learning-rate change takes effect at the next update and is
// marked, pause holds the loop until resume, "save now" writes a checkpoint that restores, named as
// CheckpointManager names them. watch.tree reports one pytree when asked. Without a sink it does
// nothing and returns the state it was given.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numpy as np, optax, checkpoint, jit, valueAndGrad, watch, type Array as TArray } from '../../engine/index.js';
import { setWatchSink } from '../../engine/watch/sink.js';
import { forEachBackend } from '../engine/helpers.js';
import { FakeSink } from './fake_sink.js';

interface Params { fixed: { scale: TArray }; trainable: { w: TArray } }
const loss = (p: Params, x: TArray) => np.sum(np.square(np.subtract(np.multiply(p.fixed.scale, np.matmul(x, p.trainable.w)), 1)));
const optimizer = optax.multiTransform({ trainable: optax.injectHyperparams(optax.adam)({ learningRate: 0.1 }), fixed: optax.setToZero() },
  { fixed: { scale: 'fixed' }, trainable: { w: 'trainable' } });
type State = ReturnType<typeof optimizer.init>;
const trainStep = jit((p: Params, s: State, x: TArray) => {
  const [l, g] = valueAndGrad(loss)(p, x) as [TArray, Params];
  const [u, next] = optimizer.update(g, s, p);
  return [l, optax.applyUpdates(p, u), next, g] as [TArray, Params, State, Params];
});

function setup() {
  const params: Params = { fixed: { scale: np.ones([2]) }, trainable: { w: np.full([3, 2], 0.5) } };
  return { params, state: optimizer.init(params), x: np.reshape(np.linspace(-1, 1, 12), [4, 3]) };
}

forEachBackend((platform) => {
  test(`${platform} › without a sink watch.step does nothing and returns the state`, async () => {
    setWatchSink(null);
    const { state } = setup();
    assert.equal(await watch.step(0, { loss: 1, optState: state }), state);
  });

  test(`${platform} › every step's loss in order; trees throttled, with grad norm, learning rate and fixed leaves`, async () => {
    const sink = new FakeSink();
    setWatchSink(sink);
    watch.configure({ treeIntervalMs: 60_000, flushMs: 5 });
    try {
      let { params, state, x } = setup();
      const losses: number[] = [];
      for (let i = 0; i < 12; i++) {
        let l: TArray, g: Params;
        [l, params, state, g] = trainStep(params, state, x);
        losses.push(Number(await l.item()));
        state = (await watch.step(i, { loss: l, params, grads: g, optState: state, fixed: { fixed: true } }))!;
      }
      await watch.flush();
      const reported = sink.of('scalar').filter((e) => e.series === 'loss');
      assert.deepEqual(reported.map((e) => e.step), [...Array(12).keys()]);
      assert.deepEqual(reported.map((e) => e.value), losses);
      const trees = sink.of('trees');
      assert.equal(trees.length, 1, 'one summary per interval (60 s here)');
      assert.deepEqual(trees[0].trees.map((t) => t.name), ['params', 'grads', 'optState']);
      assert.deepEqual(trees[0].fixedPaths, ["['fixed']['scale']"]);
      const w = trees[0].trees[0].leaves.find((l) => l.path === "['trainable']['w']")!;
      assert.deepEqual([w.dtype, w.shape], ['float32', [3, 2]]);
      assert.deepEqual(sink.of('scalar').filter((e) => e.series === 'learning rate').map((e) => e.value), [0.10000000149011612]);
      assert.equal(sink.of('scalar').filter((e) => e.series === 'grad norm').length, 1);
    } finally {
      setWatchSink(null);
      watch.configure({ treeIntervalMs: 500, flushMs: 50 });
    }
  });

  test(`${platform} › a learning-rate change applies to the next update and is marked; pause holds until resume`, async () => {
    const sink = new FakeSink();
    setWatchSink(sink);
    watch.configure({ flushMs: 5 });
    try {
      let { params, state, x } = setup();
      [, params, state] = trainStep(params, state, x);
      sink.send({ kind: 'setLearningRate', value: 0.01 });
      state = (await watch.step(0, { loss: 0, params, optState: state }))!;
      const before = await params.trainable.w.data();
      const [, after] = trainStep(params, state, x);
      // Adam's early steps move each weight by ≈ the learning rate: ≈ 0.01 now, not 0.1.
      const moved = Math.max(...Array.from(await after.trainable.w.data(), (v, i) => Math.abs(v - before[i])));
      assert.ok(moved < 0.02 && moved > 0.001, `moved by ${moved} with lr 0.01`);
      await watch.flush();
      assert.deepEqual(sink.of('marker').map((m) => [m.step, m.label]), [[1, 'lr 0.1 → 0.01']]);

      sink.send({ kind: 'pause' });
      let resumed = false;
      const held = watch.step(1, { loss: 0, params, optState: state }).then(() => { resumed = true; });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(resumed, false, 'paused: the step has not returned');
      assert.deepEqual(sink.of('paused').map((e) => e.step), [1]);
      sink.send({ kind: 'resume' });
      await held;
      assert.equal(resumed, true);
    } finally {
      setWatchSink(null);
      watch.configure({ flushMs: 50 });
    }
  });

  test(`${platform} › "save now" writes params and optimiser state that restore, as <dir>/ckpt_<step>.safetensors`, async () => {
    const sink = new FakeSink();
    setWatchSink(sink);
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-watch-'));
    const runDir = join(dir, 'checkpoints'); // not there yet: the save makes it
    try {
      let { params, state, x } = setup();
      [, params, state] = trainStep(params, state, x);
      sink.send({ kind: 'saveCheckpoint', dir: runDir });
      await watch.step(7, { params, optState: state });
      assert.deepEqual(readdirSync(runDir), ['ckpt_00000007.safetensors']);
      assert.deepEqual(new checkpoint.CheckpointManager(runDir).allSteps(), [7], 'a manager over the directory lists it');
      const restored = await checkpoint.restore(join(runDir, 'ckpt_00000007.safetensors'), { params, optState: state });
      assert.equal(restored.step, 7);
      assert.deepEqual(Array.from(await restored.tree.params.trainable.w.data()), Array.from(await params.trainable.w.data()));
      await watch.flush();
      assert.deepEqual(sink.of('saved').map((e) => [e.step, e.path]), [[7, join(runDir, 'ckpt_00000007.safetensors')]]);
    } finally {
      setWatchSink(null);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${platform} › watch.tree reports that one tree at the step, every time it is called`, async () => {
    const sink = new FakeSink();
    setWatchSink(sink);
    watch.configure({ treeIntervalMs: 60_000 });
    try {
      watch.tree('activations', { h: np.array([[1.5, -2], [0, 3]]) }, 4);
      watch.tree('activations', { h: np.zeros([2, 2]) }, 5);
      await watch.flush();
      const trees = sink.of('trees');
      assert.deepEqual(trees.map((t) => [t.step, t.trees.map((r) => r.name), t.fixedPaths]), [[4, ['activations'], []], [5, ['activations'], []]]);
      const h = trees[0].trees[0].leaves[0];
      assert.deepEqual([h.path, h.dtype, h.shape, h.min, h.max, h.zeroCount], ["['h']", 'float32', [2, 2], -2, 3, 1]);
      assert.equal(trees[1].trees[0].leaves[0].zeroCount, 4);
    } finally {
      setWatchSink(null);
      watch.configure({ treeIntervalMs: 500 });
    }
  });
});
