// The MLP classifier of examples/mlp_classifier.ts, as a module the benchmark reuses: data it
// generates (three interleaved spirals), parameters initialised leaf by leaf from one key, softmax
// cross-entropy, and a jitted Adam step with a warmup-cosine learning-rate schedule.

import { numpy as np, nn, random, tree, optax, jit, valueAndGrad, type Array as TlArray } from 'tracelens';

export const CLASSES = 3;

export interface Layer { b: TlArray; w: TlArray }
export type Mlp = Layer[];

/** `perClass` points on each of three spiral arms in the plane, with Gaussian noise; labels 0..2. */
export function spirals(key: TlArray, perClass: number): { x: TlArray; y: TlArray } {
  const t = np.linspace(0.1, 1, perClass);
  const arms = Array.from({ length: CLASSES }, (_, c) => {
    const angle = np.add(np.multiply(4, t), (2 * Math.PI * c) / CLASSES);
    return np.stack([np.multiply(t, np.cos(angle)), np.multiply(t, np.sin(angle))], { axis: 1 });
  });
  const clean = np.concatenate(arms, { axis: 0 });
  const x = np.add(clean, np.multiply(0.03, random.normal(key, clean.shape)));
  const y = np.concatenate(Array.from({ length: CLASSES }, (_, c) => np.full([perClass], c, { dtype: 'int32' })));
  return { x, y };
}

/** Layer sizes → weights ~ N(0, 1/fan_in) and zero biases; one key per weight, split from `key`. */
export function initMlp(key: TlArray, sizes: number[]): Mlp {
  const keys = random.split(key, sizes.length - 1);
  return sizes.slice(1).map((out, i) => ({
    b: np.zeros([out]),
    w: np.multiply(1 / Math.sqrt(sizes[i]), random.normal(keys.index(i), [sizes[i], out])),
  }));
}

/** ReLU hidden layers, linear output: logits. */
export function forward(params: Mlp, x: TlArray): TlArray {
  let h = x;
  params.forEach(({ w, b }, i) => {
    h = np.add(np.matmul(h, w), b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return h;
}

/**
 * Mean softmax cross-entropy.
 * @shapes [{b: f32[32], w: f32[2,32]}, {b: f32[32], w: f32[32,32]}, {b: f32[3], w: f32[32,3]}], f32[300,2], i32[300]
 */
export function loss(params: Mlp, x: TlArray, y: TlArray): TlArray {
  const logp = nn.logSoftmax(forward(params, x), { axis: -1 });
  return np.negative(np.mean(np.sum(np.multiply(nn.oneHot(y, CLASSES), logp), { axis: -1 })));
}

export function accuracy(params: Mlp, x: TlArray, y: TlArray): TlArray {
  return np.mean(np.equal(np.argmax(forward(params, x), { axis: -1 }), y).astype('float32'));
}

/**
 * Adam with a warmup-cosine schedule, and the jitted training step
 * `(params, state, x, y) → [loss, params, state, grads]` (the gradients for `watch.step`).
 */
export function trainer(steps: number, peak = 0.02) {
  const schedule = optax.warmupCosineDecaySchedule(0, peak, Math.max(1, Math.floor(steps / 10)), steps, { endValue: peak / 20 });
  const optimizer = optax.adam(schedule);
  const step = jit((params: Mlp, state: ReturnType<typeof optimizer.init>, x: TlArray, y: TlArray) => {
    const [value, grads] = valueAndGrad(loss)(params, x, y) as [TlArray, Mlp];
    const [updates, next] = optimizer.update(grads, state, params);
    return [value, optax.applyUpdates(params, updates) as Mlp, next, grads] as const;
  });
  return { schedule, optimizer, step };
}

/** Number of parameters, for the printout. */
export const parameterCount = (params: Mlp) => tree.leaves<TlArray>(params).reduce((n, leaf) => n + leaf.size, 0);
