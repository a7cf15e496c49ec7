// A small MLP classifier trained with Adam and a warmup-cosine learning-rate schedule on data it
// generates: three interleaved spiral arms in the plane. Everything random comes from one key.
// Every step reports to Tracelens's panel through `watch` (a no-op from a terminal).
//
//   npm run example:mlp-classifier    (add -- --device=cpu for the cpu backend, --steps=N,
//                                      --json for a last line `RESULT {losses, accuracy, stepsPerSecond}`)

import { config, defaultDevice, random, watch } from 'tracelens';
import { accuracy, initMlp, parameterCount, spirals, trainer } from './mlp/model.js';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const device = flag('device');
if (device === 'cpu' || device === 'webgpu') config.update('defaultDevice', device);
const steps = Number(flag('steps') ?? 300);

const [dataKey, initKey] = [0, 1].map((i) => random.split(random.key(42)).index(i));
const { x, y } = spirals(dataKey, 100);
const { schedule, optimizer, step } = trainer(steps);
const init = initMlp(initKey, [2, 32, 32, 3]);
// The initial state at step 0, or the checkpoint the panel restarts the run from.
let { params, optState: state, step: first } = await watch.begin({ params: init, optState: optimizer.init(init) });
console.log(`MLP 2-32-32-3 (${parameterCount(params)} parameters), ${x.shape[0]} points in 3 spirals, Adam + warmup-cosine schedule, ${steps} steps`);

const losses: number[] = [];
/** When the first step (which traces and compiles) had finished: steps per second count from there. */
let compiledAt = performance.now();
for (let i = first; i < steps; i++) {
  const [value, nextParams, nextState, grads] = step(params, state, x, y);
  params = nextParams;
  state = await watch.step(i, { loss: value, params, grads, optState: nextState });
  if (i === first) {
    await value.blockUntilReady();
    compiledAt = performance.now();
  }
  if (i % 25 === 0 || i === steps - 1) {
    losses.push(Number(await value.item()));
    console.log(`step ${String(i).padStart(4)}  lr ${Number(await schedule(i).item()).toFixed(5)}  loss ${losses[losses.length - 1].toFixed(5)}`);
  }
}
const stepsPerSecond = steps - first > 1 ? ((steps - first - 1) * 1000) / (performance.now() - compiledAt) : null;
const acc = Number(await accuracy(params, x, y).item());
console.log(`\ntraining accuracy ${(100 * acc).toFixed(1)}% after ${steps} steps (${stepsPerSecond?.toFixed(0) ?? '—'} steps/s after the first, on ${defaultDevice().platform})`);
if (process.argv.includes('--json')) console.log(`RESULT ${JSON.stringify({ losses, accuracy: acc, stepsPerSecond })}`);
