// A focused probe of tracelens's WebGPU rows, one workload at a time, for engine performance work:
//   npx tsx --conditions=tracelens-source bench/probe_webgpu.ts sum dispatch mlpStep mlpGrad matmul512
// Each named workload is built exactly as bench/libraries/tracelens.ts builds it (same inputs from
// bench/spec.ts, same calls), timed with the harness's timeRuns (median after one warm-up), and
// printed with the queue submissions and pipelines compiled per run, which say where time goes on a
// software adapter. The full suite (`npm run bench`) is the reference; this only isolates a row.

import { numpy as np, nn, optax, tree, devices, devicePut, jit, grad, valueAndGrad, type Array as TlArray, type Device } from 'tracelens';
import '../engine/backend/webgpu/jit/index.js';
import { WebGPUBackend } from '../engine/backend/webgpu/webgpu_backend.js';
import { forward, type Mlp } from '../examples/mlp/model.js';
import { fingerprint, timeRuns, type Prepared } from './harness.js';
import { ADAM, RUNS, SEEDS, SIZES, TINY_ELEMENTS, TINY_FACTOR, mlpBatch, mlpInitialParams, uniformData } from './spec.js';

const put = (data: Float32Array, shape: number[], device: Device): TlArray => devicePut(np.asarray(data).reshape(shape), device);

async function ready(arrays: TlArray[]): Promise<void> {
  for (const a of arrays) await a.blockUntilReady();
}

function loss(params: Mlp, x: TlArray, oneHot: TlArray): TlArray {
  const logp = nn.logSoftmax(forward(params, x), { axis: -1 });
  return np.negative(np.mean(np.sum(np.multiply(oneHot, logp), { axis: -1 })));
}

function mlpInputs(device: Device) {
  const params: Mlp = mlpInitialParams().map(({ w, b, shape }) => ({ w: put(w, shape, device), b: put(b, [shape[1]], device) }));
  const { x, oneHot } = mlpBatch();
  const classes = SIZES.mlp[SIZES.mlp.length - 1];
  return { params, x: put(x, [SIZES.batch, SIZES.mlp[0]], device), oneHot: put(oneHot, [SIZES.batch, classes], device) };
}

function matmul(n: number, device: Device): Prepared {
  const a = put(uniformData(n * n, SEEDS.a), [n, n], device), b = put(uniformData(n * n, SEEDS.b), [n, n], device);
  return { output: () => np.matmul(a, b).data(), run: () => np.matmul(a, b).blockUntilReady().then(() => undefined) };
}

const workloads: Record<string, (device: Device) => Prepared> = {
  matmul256: (d) => matmul(SIZES.matmul[0], d),
  matmul512: (d) => matmul(SIZES.matmul[1], d),
  matmul1024: (d) => matmul(SIZES.matmul[2], d),
  sum: (device) => {
    const x = put(uniformData(SIZES.elements, SEEDS.x), [SIZES.elements], device);
    return { output: () => np.sum(x).data(), run: () => np.sum(x).blockUntilReady().then(() => undefined) };
  },
  dispatch: (device) => {
    const x0 = put(uniformData(TINY_ELEMENTS, SEEDS.tiny), [TINY_ELEMENTS], device);
    const f = jit((x: TlArray) => np.add(np.multiply(x, TINY_FACTOR), 1));
    const chained = () => {
      let y = x0;
      for (let i = 0; i < SIZES.dispatchCalls; i++) y = f(y);
      return y;
    };
    return { output: () => chained().data(), run: () => chained().blockUntilReady().then(() => undefined) };
  },
  mlpStep: (device) => {
    let { params, x, oneHot } = mlpInputs(device);
    const optimizer = optax.adam(ADAM.learningRate, { b1: ADAM.b1, b2: ADAM.b2, eps: ADAM.eps });
    let state = optimizer.init(params);
    const step = jit((p: Mlp, s: typeof state, xs: TlArray, ys: TlArray) => {
      const [value, grads] = valueAndGrad(loss)(p, xs, ys) as [TlArray, Mlp];
      const [updates, next] = optimizer.update(grads, s, p);
      return [value, optax.applyUpdates(p, updates) as Mlp, next] as const;
    });
    let value: TlArray;
    return {
      output: async () => {
        [value, params, state] = step(params, state, x, oneHot);
        return [await value.item() as number];
      },
      run: async () => {
        [value, params, state] = step(params, state, x, oneHot);
        await ready([value, ...tree.leaves<TlArray>(params)]);
      },
    };
  },
  mlpGrad: (device) => {
    const { params, x, oneHot } = mlpInputs(device);
    const g = grad(loss);
    const grads = () => (g(params, x, oneHot) as Mlp).flatMap(({ w, b }) => [w, b]);
    return {
      output: async () => (await Promise.all(grads().map((a) => a.data() as Promise<Float32Array>))).flatMap((a) => [...a.slice(0, 4)]),
      run: () => ready(grads()),
    };
  },
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !(n in workloads))) {
  console.error(`usage: bench/probe_webgpu.ts <${Object.keys(workloads).join('|')}>...`);
  process.exit(2);
}
const device = devices().find((d) => d.platform === 'webgpu');
if (!device) throw new Error('no webgpu device: this probe measures the WebGPU engine.');
const backend = device.backend as WebGPUBackend;
for (const name of names) {
  const prepared = workloads[name](device);
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
