// Running control flow eagerly. A predicate lives on the device: on the cpu backend (or when its
// value is known on the host) it is read at once and the primitive runs synchronously; on webgpu
// reading it is asynchronous, so the primitive returns *pending* arrays at once and finishes in an
// async continuation that awaits the predicate, evaluates the chosen sub-jaxprs (evalJaxpr) and
// settles the pending outputs on their results — JAX's asynchronous dispatch.

import { Array } from '../../core/array.js';
import type { ArrayBase } from '../../core/array_base.js';
import type { ShapedArray } from '../../core/aval.js';
import type { ClosedJaxpr } from '../../core/jaxpr.js';
import type { Device } from '../../backend/devices.js';
import { evalJaxpr } from '../../interpreters/eval_jaxpr.js';
import { transferTo } from '../../interpreters/transfer.js';

/** Runs a closed jaxpr on concrete arrays. */
export function runJaxpr(cj: ClosedJaxpr, args: readonly Array[]): Array[] {
  return evalJaxpr(cj.jaxpr, cj.consts, args) as ArrayBase[] as Array[];
}

/** The value of a scalar when the host knows it without waiting; else null. */
export function scalarNow(x: Array): number | null {
  const host = x.hostValuesSync();
  return host ? Number(host[0]) : null;
}

/** The value of a scalar, read back from its device when needed. */
export async function scalarLater(x: Array): Promise<number> {
  return Number((await x.data())[0]);
}

/** Where a control-flow primitive's results live and whether they are committed. */
export interface Placement { device: Device; committed: boolean }

/** The results of a control-flow primitive as arrays of its declared types, on its device. */
export function asOutputs(xs: readonly Array[], outAvals: readonly ShapedArray[], at: Placement): Array[] {
  if (xs.length !== outAvals.length) throw new Error(`internal: ${xs.length} results for ${outAvals.length} outputs`);
  return xs.map((x, i) => Array.alias(x.device === at.device ? x : transferTo(x, at.device), outAvals[i], { committed: at.committed }));
}

/**
 * Pending outputs that settle on what `work` produces. Returned at once; a failure of `work` is
 * kept in every output and rethrown by whatever awaits them.
 */
export function pendingOutputs(work: Promise<Array[]>, outAvals: readonly ShapedArray[], at: Placement): Array[] {
  work.catch(() => {});
  return outAvals.map((aval, i) => Array.pending(aval, at.device, work.then((outs) => outs[i]), { committed: at.committed }));
}
