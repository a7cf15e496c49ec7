// Workloads shared by the benchmarks and the tests that pin their behaviour down (the fusion test
// checks that this exact chain is one kernel; the bench times it fused and eager).

import { numpy as np, type Array as TlArray } from '../engine/index.js'; // not 'tracelens': tests import this too, and must share one engine instance

/** Ten elementwise operations on two inputs, with literals broadcast from rank 0. */
export function chain10(x: TlArray, y: TlArray): TlArray {
  let t = np.multiply(x, 2);
  t = np.add(t, y);
  t = np.subtract(t, 0.5);
  t = np.maximum(t, 0);
  t = np.multiply(t, t);
  t = np.add(t, 1);
  t = np.sqrt(t);
  t = np.multiply(t, 0.5);
  t = np.negative(t);
  return np.abs(t);
}
