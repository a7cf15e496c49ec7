// Training steps per second of the MLP classifier program (examples/mlp_classifier.ts: 2-32-32-3,
// 300 points, Adam with a warmup-cosine schedule, one jitted step), on every tracelens device.
// A step counts when its loss has reached the host; median of RUNS runs of STEPS steps after a warm-up.
// Usage: tsx --conditions=tracelens-source bench/programs/mlp_classifier.ts OUT.json

import { writeFileSync } from 'node:fs';
import { config, devices, random, type Array as TlArray } from 'tracelens';
import { initMlp, spirals, trainer } from '../../examples/mlp/model.js';
import { timeRuns } from '../harness.js';
import { QUICK, RUNS } from '../spec.js';

const STEPS = QUICK ? 5 : 50;
const results: { device: string; stepsPerSecond: number; steps: number; runs: number }[] = [];
for (const device of devices()) {
  config.update('defaultDevice', device.platform);
  const { x, y } = spirals(random.key(1), 100);
  let params = initMlp(random.key(2), [2, 32, 32, 3]);
  const { optimizer, step } = trainer(10_000);
  let state = optimizer.init(params);
  const run = async () => {
    let loss: TlArray | undefined;
    for (let i = 0; i < STEPS; i++) [loss, params, state] = step(params, state, x, y);
    await loss!.item();
  };
  // The first run traces, compiles and fills the pool; timeRuns leaves it out.
  const { medianMs } = await timeRuns(run, RUNS);
  results.push({ device: device.platform, stepsPerSecond: (STEPS * 1000) / medianMs, steps: STEPS, runs: RUNS });
  console.log(`mlp classifier on ${device.platform}: ${((STEPS * 1000) / medianMs).toFixed(0)} steps/s`);
}
writeFileSync(process.argv[2], JSON.stringify(results));
