// The suite's workloads in tracelens: one section per device, and the tracing-only section. Shared
// by the bench's tracelens child (bench/libraries/tracelens.ts) and the single-row probe
// (bench/probe_webgpu.ts), so a probed row is exactly the benched row.

import { numpy as np, nn, optax, tree, devicePut, config, jit, grad, valueAndGrad, makeJaxpr, type Array as TlArray, type Device } from 'tracelens';
import '../../engine/backend/webgpu/jit/index.js';
import { forward, type Mlp } from '../../examples/mlp/model.js';
import { chain10 } from '../workloads.js';
import { concat, type Prepared, type Section } from '../harness.js';
import { ADAM, MLP_CHECKED_STEPS, SEEDS, SIZES, TINY_ELEMENTS, TINY_FACTOR, mlpBatch, mlpInitialParams, uniformData } from '../spec.js';

const put = (data: Float32Array, shape: number[], device: Device): TlArray => devicePut(np.asarray(data).reshape(shape), device);

async function ready(arrays: TlArray[]): Promise<void> {
  for (const a of arrays) await a.blockUntilReady();
}

/** Mean softmax cross-entropy against host-made one-hot labels. */
function loss(params: Mlp, x: TlArray, oneHot: TlArray): TlArray {
  const logp = nn.logSoftmax(forward(params, x), { axis: -1 });
  return np.negative(np.mean(np.sum(np.multiply(oneHot, logp), { axis: -1 })));
}

/** Four primitives per round, 50 rounds: the 200-equation function of the makeJaxpr row. */
function twoHundredEquations(x: TlArray): TlArray {
  let t = x;
  for (let i = 0; i < SIZES.jaxprEquations / 4; i++) t = np.cos(np.add(np.multiply(np.sin(t), 1.5), 0.25));
  return t;
}

function mlpInputs(device: Device) {
  const params: Mlp = mlpInitialParams().map(({ w, b, shape }) => ({ w: put(w, shape, device), b: put(b, [shape[1]], device) }));
  const { x, oneHot } = mlpBatch();
  const classes = SIZES.mlp[SIZES.mlp.length - 1];
  return { params, x: put(x, [SIZES.batch, SIZES.mlp[0]], device), oneHot: put(oneHot, [SIZES.batch, classes], device) };
}

function matmul(n: number, device: Device): () => Promise<Prepared> {
  return async () => {
    const a = put(uniformData(n * n, SEEDS.a), [n, n], device), b = put(uniformData(n * n, SEEDS.b), [n, n], device);
    return { output: () => np.matmul(a, b).data(), run: () => np.matmul(a, b).blockUntilReady().then(() => undefined) };
  };
}

export function section(device: Device): Section {
  const M = SIZES.elements;
  const vectors = () => [put(uniformData(M, SEEDS.x), [M], device), put(uniformData(M, SEEDS.y), [M], device)];
  return {
    target: device.platform,
    backend: device.platform,
    describe: () => device.description,
    enter: () => config.update('defaultDevice', device.platform),
    workloads: {
      matmul256: matmul(SIZES.matmul[0], device),
      matmul512: matmul(SIZES.matmul[1], device),
      matmul1024: matmul(SIZES.matmul[2], device),
      matmul2048: matmul(SIZES.matmul[3], device),
      chain10: async () => {
        const [x, y] = vectors();
        const f = jit(chain10);
        return { output: () => f(x, y).data(), run: () => f(x, y).blockUntilReady().then(() => undefined) };
      },
      sum: async () => {
        const [x] = vectors();
        return { output: () => np.sum(x).data(), run: () => np.sum(x).blockUntilReady().then(() => undefined) };
      },
      mlpStep: async () => {
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
            const losses: number[] = [];
            for (let i = 0; i < MLP_CHECKED_STEPS; i++) {
              [value, params, state] = step(params, state, x, oneHot);
              losses.push(await value.item() as number);
            }
            return losses;
          },
          run: async () => {
            [value, params, state] = step(params, state, x, oneHot);
            await ready([value, ...tree.leaves<TlArray>(params)]);
          },
        };
      },
      dispatch: async () => {
        const x0 = put(uniformData(TINY_ELEMENTS, SEEDS.tiny), [TINY_ELEMENTS], device);
        const f = jit((x: TlArray) => np.add(np.multiply(x, TINY_FACTOR), 1));
        const chained = () => {
          let y = x0;
          for (let i = 0; i < SIZES.dispatchCalls; i++) y = f(y);
          return y;
        };
        return { output: () => chained().data(), run: () => chained().blockUntilReady().then(() => undefined) };
      },
      mlpGrad: async () => {
        const { params, x, oneHot } = mlpInputs(device);
        const g = grad(loss);
        const grads = () => (g(params, x, oneHot) as Mlp).flatMap(({ w, b }) => [w, b]);
        return {
          output: async () => concat(await Promise.all(grads().map((a) => a.data() as Promise<Float32Array>))),
          run: () => ready(grads()),
        };
      },
    },
  };
}

export function hostSection(): Section {
  return {
    target: 'host',
    backend: 'trace',
    describe: () => 'no device (abstract values)',
    enter: () => undefined,
    workloads: {
      makeJaxpr: async () => {
        const x = np.zeros([1024]);
        const trace = () => makeJaxpr(twoHundredEquations)(x);
        return { output: async () => [trace().jaxpr.eqns.length], run: async () => { trace(); } };
      },
    },
  };
}

