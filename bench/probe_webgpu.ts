// A focused probe of tracelens's WebGPU rows, one workload at a time, for engine performance work:
//   npx tsx --conditions=tracelens-source bench/probe_webgpu.ts sum dispatch mlpStep mlpGrad matmul512
// Each named workload is the bench's own (bench/libraries/tracelens_workloads.ts), timed with the
// harness's timeRuns (median after one warm-up), and printed with the queue submissions and pipelines compiled per run, which say where time goes on a
// software adapter. The full suite (`npm run bench`) is the reference; this only isolates a row.

import { devices } from 'tracelens';
import { WebGPUBackend } from '../engine/backend/webgpu/webgpu_backend.js';
import { fingerprint, timeRuns, type Prepared } from './harness.js';
import { section } from './libraries/tracelens_workloads.js';
import { RUNS, SIZES } from './spec.js';

const device = devices().find((d) => d.platform === 'webgpu');
if (!device) throw new Error('no webgpu device: this probe measures the WebGPU engine.');
const workloads: Record<string, (() => Promise<Prepared>) | undefined> = section(device).workloads;

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !(n in workloads))) {
  console.error(`usage: bench/probe_webgpu.ts <${Object.keys(workloads).join('|')}>...`);
  process.exit(2);
}
const backend = device.backend as WebGPUBackend;
for (const name of names) {
  const prepared = await workloads[name]!();
  const fp = fingerprint(await prepared.output());
  const submits0 = backend.submissions, pipelines0 = backend.pipelinesCompiled;
  const { medianMs, runsMs } = await timeRuns(() => prepared.run(), RUNS);
  const perRun = (backend.submissions - submits0) / (RUNS + 1);
  const unit = name === 'dispatch' ? `${((medianMs * 1000) / SIZES.dispatchCalls).toFixed(1)} µs/call` : `${medianMs.toFixed(2)} ms`;
  console.log(`${name.padEnd(10)} median ${unit}  runs [${runsMs.map((t) => t.toFixed(1)).join(' ')}] ms  ` +
    `submissions/run ${perRun.toFixed(1)}  new pipelines ${backend.pipelinesCompiled - pipelines0}  output sum ${fp.sum.toPrecision(9)} sample ${fp.sample.slice(0, 3).map((v) => v.toPrecision(7)).join(' ')}`);
  prepared.dispose?.();
}
process.exit(0);
