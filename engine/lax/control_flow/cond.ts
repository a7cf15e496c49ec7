// `cond[branches=(…)] index *operands` (JAX's cond_p) and its wrappers lax.cond and lax.switch.
//
// Each branch is traced to a jaxpr; constants the branches close over are hoisted to leading
// operands shared by every branch (JAX's _merge_common_consts), outputs every branch returns
// unchanged from the same input are pruned and forwarded, and the predicate is converted to an
// int32 index, branches ordered (false, true) as in JAX.

import { ArrayBase } from '../../core/array_base.js';
import type { ClosedJaxpr } from '../../core/jaxpr.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';
import { bind } from '../../core/trace.js';
import { deviceFor, registerEvalImpl } from '../../interpreters/eval.js';
import { hostScalar } from '../../interpreters/partial_eval.js';
import { ValueError } from '../../tree/errors.js';
import { scalarConstant } from '../constants.js';
import { clamp, convertElementType, ne } from '../index.js';
import { JaxprTypeError, avalsShort } from './errors.js';
import { jaxprForwarding, mergeCommonConsts, pruneOutputs, separateConsts, typematch } from './jaxpr_utils.js';
import { asOutputs, pendingOutputs, runJaxpr, scalarLater, scalarNow } from './run.js';
import { type AsArrays, type UserFn, checkBranchOutputs, flattenArgs, traceFun } from './tracing.js';

export interface CondParams { branches: ClosedJaxpr[]; [k: string]: unknown }

export const cond_p = definePrimitive<CondParams>({
  name: 'cond',
  multipleResults: true,
  abstractEval(avals, { branches }) {
    // JAX's _cond_typecheck.
    if (!globalThis.Array.isArray(branches) || branches.length === 0) throw new JaxprTypeError('cond requires at least one branch function');
    const b0 = branches[0];
    branches.slice(1).forEach((b, i) => {
      if (b0.inAvals.length !== b.inAvals.length) {
        throw new JaxprTypeError(`cond branch 0 takes ${b0.inAvals.length} inputs, branch ${i + 1} takes ${b.inAvals.length}`);
      }
      if (b0.outAvals.length !== b.outAvals.length) {
        throw new JaxprTypeError(`cond branch 0 outputs ${b0.outAvals.length} values, branch ${i + 1} outputs ${b.outAvals.length}`);
      }
      if (!b0.inAvals.every((a, k) => typematch(a, b.inAvals[k]))) {
        throw new JaxprTypeError(`cond branches 0 and ${i + 1} have mismatching input types: ${avalsShort(b0.inAvals)} vs ${avalsShort(b.inAvals)}`);
      }
      if (!b0.outAvals.every((a, k) => typematch(a, b.outAvals[k]))) {
        throw new JaxprTypeError(`cond branches 0 and ${i + 1} have mismatching output types: ${avalsShort(b0.outAvals)} vs ${avalsShort(b.outAvals)}`);
      }
    });
    if (avals.length !== 1 + b0.inAvals.length) {
      throw new JaxprTypeError(`cond called with ${avals.length - 1} non-predicate operands, but branches take ${b0.inAvals.length} inputs`);
    }
    const [index, ...ops] = avals;
    if (index.dtype !== 'int32') throw new JaxprTypeError(`cond called with index of type ${index.dtype} instead of int32`);
    if (!b0.inAvals.every((a, k) => typematch(a, ops[k]))) {
      throw new JaxprTypeError(`cond branches take input types ${avalsShort(b0.inAvals)}, called with operands of type ${avalsShort(ops)}`);
    }
    return [...b0.outAvals];
  },
});

// Eager: the branch the index picks (clamped, as XLA's conditional does) runs on the operands.
registerEvalImpl(cond_p, (args, params, outAvals) => {
  const { branches } = params as CondParams;
  const [index, ...ops] = args;
  const at = { device: deviceFor(cond_p, args), committed: args.some((a) => a.committed) };
  const run = (i: number) => {
    const b = branches[Math.min(Math.max(Math.trunc(i), 0), branches.length - 1)];
    return asOutputs(runJaxpr(b, ops), outAvals!, at);
  };
  const now = scalarNow(index);
  if (now !== null) return run(now);
  return pendingOutputs(scalarLater(index).then(run), outAvals!, at);
});

/** What the wrappers accept as a predicate or index: an array, a tracer, or a JS scalar. */
export type Scalar = ArrayBase | number | boolean;

function describeScalar(x: Scalar): string {
  return x instanceof ArrayBase ? (hostScalar(x) !== null ? String(hostScalar(x)) : x.toString()) : String(x);
}

/**
 * `lax.cond(pred, trueFun, falseFun, ...operands)`: `trueFun(...operands)` if pred else
 * `falseFun(...operands)`. Both branches are traced; only one runs. `pred` is a bool or number
 * scalar (numbers are compared with 0); operands and results are pytrees.
 */
export function cond<R>(pred: Scalar, trueFun: (...operands: any[]) => R, falseFun: (...operands: any[]) => unknown,
  ...operands: unknown[]): AsArrays<R> {
  if (typeof trueFun !== 'function' || typeof falseFun !== 'function') {
    throw new TypeError('lax.cond: true_fun and false_fun arguments should be callable.');
  }
  if (pred === null || pred === undefined) throw new TypeError('cond predicate is None');
  let index: ArrayBase;
  if (pred instanceof ArrayBase) {
    if (pred.ndim !== 0) throw new TypeError(`Pred must be a scalar, got ${describeScalar(pred)} of shape ${shapeStr(pred.shape)}.`);
    const p = pred.dtype === 'bool' ? pred : ne(pred, 0);
    index = convertElementType(p, 'int32');
  } else if (typeof pred === 'boolean' || typeof pred === 'number') {
    // A JS value is known now: its index is a literal, as JAX converts a Python bool on the host.
    index = scalarConstant(pred !== 0 && pred !== false ? 1 : 0, 'int32', false);
  } else {
    throw new TypeError(`Pred type must be either boolean or number, got ${String(pred)}.`);
  }
  return condInternal('cond', index, [trueFun, falseFun], operands, ['true_fun', 'false_fun'], [1, 0]);
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[clamp(index, 0, n - 1)](...operands)`.
 * `index` is an integer scalar.
 */
export function switch_<R>(index: Scalar, branches: readonly ((...operands: any[]) => R)[], ...operands: unknown[]): AsArrays<R> {
  if (!globalThis.Array.isArray(branches) || !branches.every((b) => typeof b === 'function')) {
    throw new TypeError('lax.switch: branches argument should be a sequence of callables.');
  }
  if (index instanceof ArrayBase && index.ndim !== 0) {
    throw new TypeError(`Branch index must be scalar, got ${describeScalar(index)} of shape ${shapeStr(index.shape)}.`);
  }
  if (index instanceof ArrayBase ? !(index.dtype === 'int32' || index.dtype === 'uint32')
    : typeof index !== 'number' || !Number.isInteger(index)) {
    const dtype = index instanceof ArrayBase ? index.dtype : typeof index === 'boolean' ? 'bool' : 'float32';
    throw new TypeError(`Index type must be an integer, got ${describeScalar(index)} as ${dtype}`);
  }
  if (branches.length === 0) throw new ValueError('Empty branch sequence');
  if (branches.length === 1) return branches[0](...operands) as AsArrays<R>;
  const i = index instanceof ArrayBase ? convertElementType(index, 'int32') : scalarConstant(index, 'int32', false);
  const clamped = clamp(scalarConstant(0, 'int32', false), i, scalarConstant(branches.length - 1, 'int32', false));
  return condInternal('switch', clamped, branches, operands, branches.map((_, k) => (k === 0 ? 'branch 0' : `branch${k}`)),
    branches.map((_, k) => k));
}

/**
 * Traces the branches and binds cond (JAX's _switch_internal, and the body of cond). `branches` and
 * `names` are in tracing order (cond: true_fun, false_fun; switch: branch 0, 1, …); `bindOrder`
 * lists them in the order of the `branches` param (cond: false, true).
 */
function condInternal(api: 'cond' | 'switch', index: ArrayBase, branches: readonly UserFn[], operands: unknown[],
  names: readonly string[], bindOrder: readonly number[]): any {
  const [args, inTree] = flattenArgs(operands, api);
  const avals = args.map((a) => a.aval);
  const traced = branches.map((b) => traceFun(b, inTree, avals, api));
  const separated = traced.map((t) => separateConsts(t.jaxpr));
  let [jaxprs, consts] = mergeCommonConsts(separated.map(([j]) => j), separated.map(([, c]) => c));
  for (let k = 1; k < branches.length; k++) {
    checkBranchOutputs(api, names[0], names[k], branches[0], branches[k],
      traced[0].outTree, traced[0].jaxpr.outAvals, traced[k].outTree, traced[k].jaxpr.outAvals);
  }
  // Outputs that every branch forwards from the same input are not outputs of the cond.
  const fwds = jaxprs.map((j) => jaxprForwarding(j.jaxpr));
  const inFwd = fwds[0].map((f, k) => (fwds.every((g) => g[k] === f) ? f : null));
  const keep = inFwd.map((f) => f === null);
  jaxprs = jaxprs.map((j) => pruneOutputs(j, keep));
  const outs = bind(cond_p, [index, ...consts, ...args], { branches: bindOrder.map((k) => jaxprs[k]) });
  const allInputs = [...consts, ...args];
  let next = 0;
  const results = inFwd.map((f) => (f === null ? outs[next++] : allInputs[f]));
  return traced[0].outTree.unflatten(results);
}

export { switch_ as switch };
