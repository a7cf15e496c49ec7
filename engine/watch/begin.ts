// `watch.begin(initial)`: where a watched training loop starts. Normally from the program's own
// initial params and optimiser state at step 0; when the panel asked to "Restart from checkpoint",
// from that checkpoint, one step after the step it was saved at. Outside the extension it returns
// the initial state at once, so a program keeps the call everywhere.
import { basename } from 'node:path';
import * as checkpoint from '../checkpoint/index.js';
import { watchSink } from './sink.js';
import { announce } from './watcher.js';

export interface Begun<P, S> {
  params: P;
  optState: S;
  /** The first step to run: 0, or the restored checkpoint's step + 1. */
  step: number;
}

/**
 * The params, optimiser state and first step of a training loop:
 *
 *   let { params, optState, step: first } = await watch.begin({ params: init, optState: optimizer.init(init) });
 *   for (let i = first; i < steps; i++) {
 *     let loss, grads;
 *     [loss, params, optState, grads] = trainStep(params, optState, x, y);
 *     optState = await watch.step(i, { loss, params, grads, optState });
 *   }
 *
 * A restored checkpoint must hold `{params, optState}` shaped like `initial` (what the panel's "Save
 * checkpoint now" writes); one that does not raises checkpoint.restore's ValueError, naming the
 * key paths that differ, and the run fails with it.
 */
export async function begin<P, S>(initial: { params: P; optState: S }): Promise<Begun<P, S>> {
  const sink = watchSink();
  const path = sink?.resumeFrom ?? null;
  if (!sink || path === null) return { params: initial.params, optState: initial.optState, step: 0 };
  const restored = await checkpoint.restore(path, { params: initial.params, optState: initial.optState });
  if (restored.step === null) {
    throw new Error(`watch.begin: the checkpoint ${path} records no step, so the run cannot tell where to go on from. ` +
      'Restart from a checkpoint saved by the panel ("Save checkpoint now") or by checkpoint.save(path, tree, {step}).');
  }
  sink.resumeTaken();
  const step = restored.step;
  announce(sink,
    { kind: 'restored', step, path },
    { kind: 'marker', step: step + 1, label: `restarted from ${basename(path)} (step ${step})` });
  return { params: restored.tree.params, optState: restored.tree.optState, step: step + 1 };
}
