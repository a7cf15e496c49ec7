// Shared machinery of the jit lowering tests: the webgpu device, a dispatch/submission counter
// installed on WebGPU itself (every compute dispatch and queue submission the process makes, eager
// or jitted, goes through it), and comparison of jitted results with eager ones at the golden
// tolerances of test/engine/helpers.ts.

import { test } from 'node:test';
import { Array as TArray, devices, type Device } from '../../engine/index.js';
import { gpuContextOf } from '../../engine/backend/webgpu/jit/gpu_access.js';
import { elementOk, type Tol } from '../engine/helpers.js';

export const cpuOnly = (process.env.TRACELENS_PLATFORM ?? '').trim().toLowerCase() === 'cpu';

/** The webgpu device (tests needing it are skipped only under TRACELENS_PLATFORM=cpu). */
export function webgpu(): Device {
  const d = devices('webgpu')[0];
  if (!d) throw new Error(`no webgpu device: devices() = ${devices().map(String).join(', ')}`);
  return d;
}

/** `test` for webgpu-only behaviour: skipped under TRACELENS_PLATFORM=cpu, a failure without a device otherwise. */
export function gpuTest(name: string, fn: () => Promise<void> | void): void {
  if (cpuOnly) test(name, { skip: 'TRACELENS_PLATFORM=cpu' }, () => {});
  else test(name, fn);
}

interface Counts { dispatches: number; submissions: number }
let counts: Counts | null = null;

/** Patches GPUComputePassEncoder.dispatchWorkgroups and GPUQueue.submit once, to count them. */
function installCounter(): Counts {
  if (counts) return counts;
  const c: Counts = { dispatches: 0, submissions: 0 };
  const ctx = gpuContextOf(webgpu().backend);
  const pass = ctx.device.createCommandEncoder().beginComputePass();
  const passProto = Object.getPrototypeOf(pass) as { dispatchWorkgroups: (...a: unknown[]) => void };
  pass.end();
  const dispatch = passProto.dispatchWorkgroups;
  passProto.dispatchWorkgroups = function (this: unknown, ...a: unknown[]) { c.dispatches++; return dispatch.apply(this, a); };
  const queueProto = Object.getPrototypeOf(ctx.device.queue) as { submit: (...a: unknown[]) => void };
  const submit = queueProto.submit;
  queueProto.submit = function (this: unknown, ...a: unknown[]) { c.submissions++; return submit.apply(this, a); };
  counts = c;
  return c;
}

/** Dispatches and submissions WebGPU saw while `fn` ran (synchronously) and its results were flushed. */
export async function countGpuWork<T>(fn: () => T): Promise<{ result: T } & Counts> {
  const c = installCounter();
  const backend = webgpu().backend;
  await backend.synchronize();
  const before = { ...c };
  const result = fn();
  await backend.synchronize();
  return { result, dispatches: c.dispatches - before.dispatches, submissions: c.submissions - before.submissions };
}

/** The flattened outputs of a function result (an array or a list of arrays). */
export function outputsOf(r: unknown): (TArray | number | boolean)[] {
  if (r instanceof TArray || typeof r === 'number' || typeof r === 'boolean') return [r];
  if (Array.isArray(r)) return r.flatMap(outputsOf);
  if (r && typeof r === 'object') return Object.keys(r).sort().flatMap((k) => outputsOf((r as Record<string, unknown>)[k]));
  throw new Error(`not an array result: ${String(r)}`);
}

/**
 * Problems (empty when none) between jitted and eager results: dtype, shape, weak type, and each
 * element within `tol` ('rel' 1e-6 for exact ops, 'ulp' 4 ulp for transcendentals; integers and
 * bools exactly).
 */
export async function compareResults(jitted: unknown, eager: unknown, tol: Tol): Promise<string[]> {
  const js = outputsOf(jitted), es = outputsOf(eager);
  if (js.length !== es.length) return [`${js.length} outputs jitted, ${es.length} eager`];
  const problems: string[] = [];
  for (let k = 0; k < js.length; k++) {
    const a = js[k], b = es[k];
    if (!(a instanceof TArray)) { problems.push(`output ${k}: jitted ${String(a)} is not an array`); continue; }
    if (!(b instanceof TArray)) {
      // A JS scalar returned by the function: jit makes it a weakly typed rank-0 array.
      const v = (await a.data())[0];
      if (a.ndim !== 0 || !a.weakType || v !== +b) problems.push(`output ${k}: jitted ${a.aval} = ${v}, eager the JS value ${String(b)}`);
      continue;
    }
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join() || a.weakType !== b.weakType) {
      problems.push(`output ${k}: jitted ${a.aval}, eager ${b.aval}`);
      continue;
    }
    const [x, y] = [await a.data(), await b.data()];
    let bad = 0, first = -1;
    for (let i = 0; i < y.length; i++) {
      if (!elementOk(Number(x[i]), Number(y[i]), tol, b.dtype)) { bad++; if (first < 0) first = i; }
    }
    if (bad) problems.push(`output ${k} (${b.aval.strShort()}): ${bad} of ${y.length} elements differ beyond ${tol}; first at ${first}: jitted ${x[first]}, eager ${y[first]}`);
  }
  return problems;
}

/** Deterministic pseudo-random floats in [lo, hi). */
export function randomFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = lo + (hi - lo) * (s / 2 ** 32); }
  return out;
}
