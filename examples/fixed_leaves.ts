// A pytree with fixed leaves (equal to 1, never changed) and trainable leaves initialised randomly
// from one key, trained with Adam on the trainable leaves only, the learning rate changed on the fly
// mid-run, and params + optimiser state checkpointed so that a fresh process resumes the run to the
// same trajectory.
//
// Freezing leaves is Optax's recipe: `multiTransform` with `setToZero` for the fixed label (a
// `masked` optimiser would pass the fixed leaves' raw gradients through as updates). The learning
// rate lives in the optimiser state thanks to `injectHyperparams`, so changing it between steps
// changes the next update without re-tracing the jitted step.
//
// Every step reports to Tracelens's panel through `watch` (loss, params, grads, optimiser state, which
// leaves are fixed) and takes its controls; run from a terminal, those calls do nothing. The panel's
// "Restart from checkpoint" starts the loop at `watch.begin`.
//
//   npm run demo                          (= npm run example:fixed-leaves)
//   flags: --device=cpu|webgpu  --steps=N  --lr-change-at=K  --checkpoint-dir=DIR
//          --stop-after=K (save at step K and exit)  --resume (continue from DIR's latest step)
//          --json (a last line `RESULT {first, losses, leaves, stepsPerSecond}`)

import { numpy as np, random, tree, optax, checkpoint, config, jit, valueAndGrad, watch, type Array as TlArray } from 'tracelens';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const device = flag('device');
if (device === 'cpu' || device === 'webgpu') config.update('defaultDevice', device);
const steps = Number(flag('steps') ?? 100);
const lrChangeAt = Number(flag('lr-change-at') ?? 40);
const stopAfter = flag('stop-after') === undefined ? null : Number(flag('stop-after'));
const checkpointDir = flag('checkpoint-dir');
const resume = process.argv.includes('--resume');
const json = process.argv.includes('--json');
const log = json ? () => {} : console.log;

interface Params {
  fixed: { offset: TlArray; scale: TlArray };
  trainable: { b: TlArray; w: TlArray };
}

// Data: y = x·W + c on a fixed grid; the model (fixed leaves at 1) can fit it exactly, so the loss tends to 0.
const xs = np.reshape(np.linspace(-1, 1, 48), [16, 3]);
const ys = np.add(np.matmul(xs, np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]])), np.array([0.3, -0.7]));

/** The fixed leaves scale and shift the model; equal to 1 and never trained. */
function predict(params: Params, x: TlArray): TlArray {
  const { fixed, trainable } = params;
  const linear = np.add(np.matmul(x, trainable.w), trainable.b);
  return np.subtract(np.add(np.multiply(fixed.scale, linear), fixed.offset), 1);
}

/** Sum of squared residuals. @shapes {fixed: {offset: f32[], scale: f32[2]}, trainable: {b: f32[2], w: f32[3,2]}}, f32[16,3], f32[16,2] */
function loss(params: Params, x: TlArray, y: TlArray): TlArray {
  return np.sum(np.square(np.subtract(predict(params, x), y)));
}

/** Trainable leaves ~ N(0, 0.5²), one key each, split from one key. */
function initialParams(key: TlArray): Params {
  const [kw, kb] = [0, 1].map((i) => random.split(key, 2).index(i));
  return {
    fixed: { offset: np.ones([]), scale: np.ones([2]) },
    trainable: { b: np.multiply(0.5, random.normal(kb, [2])), w: np.multiply(0.5, random.normal(kw, [3, 2])) },
  };
}

const labels = { fixed: { offset: 'fixed', scale: 'fixed' }, trainable: { b: 'trainable', w: 'trainable' } };
const optimizer = optax.multiTransform({
  trainable: optax.injectHyperparams(optax.adam)({ learningRate: 0.05 }),
  fixed: optax.setToZero(),
}, labels);
type OptState = ReturnType<typeof optimizer.init>;

/** Lowers the trainable group's learning rate: a leaf of the optimiser state, read by the next update. */
function setLearningRate(state: OptState, lr: number): void {
  const injected = state.innerStates.trainable.innerState as optax.InjectHyperparamsState;
  injected.hyperparams.learningRate = np.array(lr, { dtype: 'float32' });
}

const step = jit((params: Params, state: OptState, x: TlArray, y: TlArray) => {
  const [value, grads] = valueAndGrad(loss)(params, x, y) as [TlArray, Params];
  const [updates, next] = optimizer.update(grads, state, params);
  return [value, optax.applyUpdates(params, updates), next, grads] as [TlArray, Params, OptState, Params];
});

let params = initialParams(random.key(0));
let state = optimizer.init(params);
let first = 0;
const manager = checkpointDir ? new checkpoint.CheckpointManager(checkpointDir, { maxToKeep: 3 }) : null;
if (resume) {
  if (!manager) throw new Error('--resume needs --checkpoint-dir=DIR');
  const restored = await manager.restore(null, { params, optState: state });
  ({ params, optState: state } = restored.tree);
  first = (restored.step ?? 0) + 1;
  log(`resumed from ${checkpointDir} at step ${restored.step}`);
} else {
  // The initial state at step 0, or the checkpoint the panel restarts from (the same {params, optState}).
  ({ params, optState: state, step: first } = await watch.begin({ params, optState: state }));
}

const losses: number[] = [];
/** When the first step (which traces and compiles) had finished: steps per second count from there. */
let compiledAt = performance.now();
for (let i = first; i < steps; i++) {
  if (i === lrChangeAt) {
    setLearningRate(state, 0.01);
    watch.marker('lr 0.05 → 0.01', i);
    log(`step ${i}: learning rate 0.05 → 0.01`);
  }
  let value: TlArray, grads: Params;
  [value, params, state, grads] = step(params, state, xs, ys);
  losses.push(Number(await value.item()));
  state = await watch.step(i, { loss: value, params, grads, optState: state, fixed: { fixed: true, trainable: false } });
  if (i === first) compiledAt = performance.now();
  if (i < 5 || i % 10 === 9 || i === steps - 1) log(`step ${String(i).padStart(3)}  loss ${losses[losses.length - 1].toFixed(6)}`);
  if (stopAfter === i) {
    if (!manager) throw new Error('--stop-after needs --checkpoint-dir=DIR');
    const saved = await manager.save(i, { params, optState: state }, { metadata: { example: 'fixed_leaves' } });
    log(`saved step ${i} to ${saved.path}; stopping`);
    break;
  }
}
const stepsPerSecond = losses.length > 1 ? ((losses.length - 1) * 1000) / (performance.now() - compiledAt) : null;

const leaves = Object.fromEntries(await Promise.all(tree.leavesWithPath<TlArray>(params).map(async ([path, leaf]) =>
  [tree.keystr(path), Array.from(await leaf.data() as Float32Array)] as const)));
log(`\nfixed leaves: offset ${leaves["['fixed']['offset']"]}, scale ${leaves["['fixed']['scale']"]} (never changed)`);
log(`learned: w ${leaves["['trainable']['w']"].map((v) => v.toFixed(3)).join(' ')}, b ${leaves["['trainable']['b']"].map((v) => v.toFixed(3)).join(' ')}`);
if (losses.length > 1) log(`loss ${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(6)} over ${losses.length} steps (${stepsPerSecond!.toFixed(0)} steps/s after the first)`);
if (json) console.log(`RESULT ${JSON.stringify({ first, losses, leaves, stepsPerSecond })}`);
