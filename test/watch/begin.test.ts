// watch.begin: where a watched loop starts. Without a sink, or with one that asks for no restart, it
// hands back the program's own initial state at step 0. With "Restart from checkpoint" it restores
// the checkpoint the panel's "Save checkpoint now" wrote, says so (a 'restored' event and a marker),
// and the loop goes on from the next step exactly as the saved run would have. A checkpoint of
// another program fails with checkpoint.restore's ValueError, naming what differs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numpy as np, optax, checkpoint, jit, valueAndGrad, watch, type Array as TArray } from '../../engine/index.js';
import { setWatchSink } from '../../engine/watch/sink.js';
import { forEachBackend } from '../engine/helpers.js';
import { FakeSink } from './fake_sink.js';

interface Params { w: TArray; b: TArray }
const x = () => np.reshape(np.linspace(-1, 1, 12), [4, 3]);
const loss = (p: Params, xs: TArray) => np.sum(np.square(np.subtract(np.add(np.matmul(xs, p.w), p.b), 1)));
const optimizer = optax.injectHyperparams(optax.adam)({ learningRate: 0.1 });
type State = ReturnType<typeof optimizer.init>;
const trainStep = jit((p: Params, s: State, xs: TArray) => {
  const [l, g] = valueAndGrad(loss)(p, xs) as [TArray, Params];
  const [u, next] = optimizer.update(g, s, p);
  return [l, optax.applyUpdates(p, u), next] as [TArray, Params, State];
});

function initial(): { params: Params; optState: State } {
  const params = { w: np.full([3, 2], 0.5), b: np.zeros([2]) };
  return { params, optState: optimizer.init(params) };
}

/** Runs steps `from`..`to - 1` as a watched program does; returns the losses and the final state. */
async function train(start: { params: Params; optState: State }, from: number, to: number) {
  let { params, optState } = start;
  const losses: number[] = [];
  const xs = x();
  for (let i = from; i < to; i++) {
    let l: TArray;
    [l, params, optState] = trainStep(params, optState, xs);
    losses.push(Number(await l.item()));
    optState = await watch.step(i, { loss: l, params, optState });
  }
  return { losses, params, optState };
}

forEachBackend((platform) => {
  test(`${platform} › without a sink, or without a checkpoint to restart from, begin hands back the initial state at step 0`, async () => {
    const start = initial();
    setWatchSink(null);
    const alone = await watch.begin(start);
    assert.equal(alone.params, start.params);
    assert.equal(alone.optState, start.optState);
    assert.equal(alone.step, 0);

    const sink = new FakeSink(null);
    setWatchSink(sink);
    try {
      const watched = await watch.begin(start);
      assert.deepEqual([watched.params === start.params, watched.optState === start.optState, watched.step], [true, true, 0]);
      await watch.flush();
      assert.deepEqual(sink.events, [], 'nothing to report');
      assert.equal(sink.resumed, false);
    } finally {
      setWatchSink(null);
    }
  });

  test(`${platform} › restarting from a checkpoint saved by "save now" goes on from the next step on the same trajectory`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-begin-'));
    try {
      // The first run: 6 steps, saved after step 2 (the panel's "Save checkpoint now").
      const first = new FakeSink();
      setWatchSink(first);
      const { params: p0, optState: s0 } = initial();
      let [, params, optState] = trainStep(p0, s0, x());
      optState = await watch.step(0, { params, optState });
      const rest = await (async () => {
        [, params, optState] = trainStep(params, optState, x());
        optState = await watch.step(1, { params, optState });
        [, params, optState] = trainStep(params, optState, x());
        first.send({ kind: 'saveCheckpoint', dir });
        optState = await watch.step(2, { params, optState });
        return train({ params, optState }, 3, 6);
      })();
      await watch.flush();
      const [saved] = first.of('saved');
      assert.equal(saved.path, join(dir, 'ckpt_00000002.safetensors'));

      // The restart: a fresh program whose begin() restores step 2 and continues at step 3.
      const second = new FakeSink(saved.path);
      setWatchSink(second);
      const begun = await watch.begin(initial());
      assert.equal(begun.step, 3);
      assert.equal(second.resumed, true, 'begin told the runner it took the checkpoint');
      const resumed = await train(begun, begun.step, 6);
      await watch.flush();
      assert.deepEqual(second.events.slice(0, 2), [
        { kind: 'restored', step: 2, path: saved.path },
        { kind: 'marker', step: 3, label: 'restarted from ckpt_00000002.safetensors (step 2)' },
      ]);
      assert.deepEqual(second.of('scalar').filter((e) => e.series === 'loss').map((e) => e.step), [3, 4, 5]);
      assert.deepEqual(resumed.losses, rest.losses, 'the same losses as the run that was saved');
      assert.deepEqual(Array.from(await resumed.params.w.data()), Array.from(await rest.params.w.data()));
      assert.deepEqual(Array.from(await (resumed.optState.hyperparams.learningRate as TArray).data()), [Math.fround(0.1)]);
    } finally {
      setWatchSink(null);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${platform} › a checkpoint that does not match the program's state fails with a ValueError naming the differences`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelens-begin-'));
    const path = join(dir, 'other.safetensors');
    try {
      const other = { params: { w: np.zeros([5, 2]), b: np.zeros([2]) }, optState: { count: np.zeros([], { dtype: 'int32' }) } };
      await checkpoint.save(path, other, { step: 9 });
      const sink = new FakeSink(path);
      setWatchSink(sink);
      await assert.rejects(watch.begin(initial()), (e: Error) => {
        assert.equal(e.name, 'ValueError');
        assert.match(e.message, new RegExp(`checkpoint ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not match the structure of like`));
        assert.match(e.message, /\['params'\]\['w'\]: checkpoint has f32\[5,2\]/);
        return true;
      });
      assert.equal(sink.resumed, false);
      await watch.flush();
      assert.deepEqual(sink.events, [], 'no restart is reported');
    } finally {
      setWatchSink(null);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
