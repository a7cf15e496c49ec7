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
// Imports of the JVP, partial eval and transpose rules (section at the end of the file).
import { type UndefinedPrimal, isUndefinedPrimal, isZero } from '../../core/ad_util.js';
import { ClosedJaxpr as ClosedJaxprClass, Jaxpr } from '../../core/jaxpr.js';
import { defineJvp, defineTranspose } from '../../core/primitive.js';
import type { ShapedArray } from '../../core/aval.js';
import { type Tangent, instantiateZeros, zeroTangentOf } from '../../interpreters/jvp.js';
import { emptyLikeAval } from './empty.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';
import { backwardPass, callJaxpr, dceJaxprDeep, dceRules, freshVars, jvpJaxpr, makeEqn, partialEvalJaxprNounits, partialEvalJaxprRules } from './ad_jaxprs.js';

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

// ---- JVP, partial eval and transpose rules ----
// As JAX's _cond_jvp, _cond_partial_eval and _cond_transpose: each branch is differentiated
// alone, with zeros instantiated where some branches have a tangent and others none so that all
// branches return the same outputs.

defineJvp(cond_p, (primals, tangents, params) => {
  const { branches } = params;
  const [index, ...ops] = primals;
  const opsNz = tangents.slice(1).map((t) => !isZero(t));
  const outNz = branches.map((b) => jvpJaxpr(b, opsNz, false)[1])
    .reduce((acc, nz) => acc.map((a, i) => a || nz[i]));
  const branchesJvp = branches.map((b) => jvpJaxpr(b, opsNz, outNz)[0]);
  const opsDot = tangents.slice(1).filter((t) => !isZero(t)) as ArrayBase[];
  const outs = bind(cond_p, [index, ...ops, ...opsDot], { ...params, branches: branchesJvp });
  const outPrimals = outs.slice(0, outNz.length);
  let next = outNz.length;
  const outTangents: Tangent[] = outPrimals.map((p, i) => (outNz[i] ? outs[next++] : zeroTangentOf(p)));
  return [outPrimals, outTangents];
});

// The split of a cond whose index is known: a known cond computing the known outputs and every
// branch's residuals (JAX's empty2 in the slots of the other branches, which the unknown branch
// of that index never reads), and an unknown cond of the same index taking those residuals.
partialEvalJaxprRules.set(cond_p, (eqn, inUnknowns) => {
  const [indexUk, ...opsUk] = inUnknowns;
  if (indexUk) return { known: [], unknown: [eqn], outUnknowns: eqn.outBinders.map(() => true) };
  const { branches } = eqn.params as CondParams;
  const outUks = branches.map((b) => partialEvalJaxprNounits(b, opsUk, false).outUnknowns)
    .reduce((acc, uk) => acc.map((a, i) => a || uk[i]));
  const splits = branches.map((b) => partialEvalJaxprNounits(b, opsUk, outUks));
  const [resAvals, slots] = mergeBranchResiduals(splits.map((s) => s.resAvals));
  const knownOpAvals = branches[0].inAvals.filter((_, i) => !opsUk[i]);
  const knownBranches = splits.map((s, k) => traceToJaxpr((...knownOps) => {
    const outs = callJaxpr(s.known, knownOps);
    const nOut = outs.length - s.resAvals.length;
    // As JAX's _join_cond_outputs: a filler for every slot, then this branch's residuals in theirs.
    const res = resAvals.map(emptyLikeAval);
    slots[k].forEach((slot, mine) => { res[slot] = outs[nOut + mine]; });
    return [...outs.slice(0, nOut), ...res];
  }, knownOpAvals));
  const unknownBranches = splits.map((s, k) => {
    const j = s.unknown.jaxpr;
    const nRes = s.resAvals.length;
    const resInvars = resAvals.map((a, r) => {
      const mine = slots[k].indexOf(r);
      return mine >= 0 ? j.invars[mine] : freshVars([a])[0];
    });
    return new ClosedJaxprClass(new Jaxpr(j.constvars, [...resInvars, ...j.invars.slice(nRes)], j.eqns, j.outvars), s.unknown.consts);
  });
  const [index, ...ops] = eqn.inputs;
  const resVars = freshVars(resAvals);
  const known = makeEqn(cond_p, [index, ...ops.filter((_, i) => !opsUk[i])], { ...eqn.params, branches: knownBranches },
    [...eqn.outBinders.filter((_, i) => !outUks[i]), ...resVars]);
  const unknown = makeEqn(cond_p, [index, ...resVars, ...ops.filter((_, i) => opsUk[i])], { ...eqn.params, branches: unknownBranches },
    eqn.outBinders.filter((_, i) => outUks[i]));
  return { known: [known], unknown: [unknown], outUnknowns: outUks };
});

/**
 * JAX's _merge_branch_residuals: branches share residual slots of equal type (the i-th residual of
 * a type in one branch and the i-th of that type in another take the same slot). Returns the
 * slots' types and, per branch, the slot of each of its residuals.
 */
function mergeBranchResiduals(branchRes: readonly ShapedArray[][]): [ShapedArray[], number[][]] {
  const key = (a: ShapedArray) => `${a.strShort()}${a.weakType ? '~' : ''}`;
  const slotOf = new Map<string, number>();
  const avals: ShapedArray[] = [];
  const slots = branchRes.map((res) => {
    const seen = new Map<string, number>();
    return res.map((a) => {
      const n = seen.get(key(a)) ?? 0;
      seen.set(key(a), n + 1);
      const tag = `${key(a)}#${n}`;
      if (!slotOf.has(tag)) { slotOf.set(tag, avals.length); avals.push(a); }
      return slotOf.get(tag)!;
    });
  });
  return [avals, slots];
}

// JAX's _cond_dce_rule: unused outputs leave every branch, and an operand no branch reads leaves
// the cond.
dceRules.set(cond_p, (eqn, usedOutputs) => {
  const { branches } = eqn.params as CondParams;
  const usedOps = branches.map((b) => dceJaxprDeep(b.jaxpr, usedOutputs)[1])
    .reduce((acc, u) => acc.map((a, i) => a || u[i]));
  const newBranches = branches.map((b) => new ClosedJaxprClass(dceJaxprDeep(b.jaxpr, usedOutputs, usedOps)[0], b.consts));
  const [index, ...ops] = eqn.inputs;
  const newEqn = makeEqn(cond_p, [index, ...ops.filter((_, i) => usedOps[i])], { ...eqn.params, branches: newBranches },
    eqn.outBinders.filter((_, i) => usedOutputs[i]));
  return [newEqn, [true, ...usedOps]];
});

// A cond linear in some operands transposes to a cond of the transposed branches, taking the
// non-linear operands (residuals) and the output cotangents.
defineTranspose(cond_p, (cts, args, params) => {
  const { branches } = params;
  const [index, ...ops] = args;
  if (isUndefinedPrimal(index)) throw new Error('internal: cond transposed with respect to its index');
  const linear = ops.map(isUndefinedPrimal);
  const res = ops.filter((_, i) => !linear[i]) as ArrayBase[];
  const resAvals = branches[0].inAvals.filter((_, i) => !linear[i]);
  const branchesT = branches.map((b) => traceToJaxpr((...xs) => {
    const r = xs.slice(0, res.length), ctsOut = xs.slice(res.length);
    let next = 0;
    const primals = b.inAvals.map((a, i) => (linear[i] ? ops[i] as UndefinedPrimal : r[next++]));
    const ctsIn = backwardPass(b.jaxpr, b.consts, primals, ctsOut);
    return ctsIn.filter((_, i) => linear[i]).map((ct) => instantiateZeros(ct!));
  }, [...resAvals, ...branches[0].outAvals]));
  const outs = bind(cond_p, [index as ArrayBase, ...res, ...cts.map(instantiateZeros)], { ...params, branches: branchesT });
  let next = 0;
  return [null, ...linear.map((l) => (l ? outs[next++] : null))];
});

export { switch_ as switch };

// ---- batching rules ----------------------------------------------------------------------------
// JAX's _cond_batching_rule: a batched index turns the cond into a select over every branch's
// (batched) results, each branch run on operands masked with stop_gradient where it is not taken;
// an unbatched index keeps the cond, with branches batched alike.
import { defineBatch, primitives as allPrimitives } from '../../core/primitive.js';
import { bind1 as bindOne } from '../../core/trace.js';
import { evalJaxpr } from '../../interpreters/eval_jaxpr.js';
import { batchJaxprAt0 } from '../../interpreters/batching.js';
import { bdimAtFront, moveaxis, scalar } from '../../interpreters/batching_util.js';
import { broadcastInDim as laxBroadcastInDim, eq as laxEq, select as laxSelect, selectN as laxSelectN } from '../index.js';

/** JAX's _bcast_select / _bcast_select_n: the predicate broadcast over the cases' trailing dims. */
function bcastPred(pred: ArrayBase, like: ArrayBase): ArrayBase {
  return pred.ndim === like.ndim ? pred : laxBroadcastInDim(pred, like.shape, [...Array(pred.ndim).keys()]);
}

defineBatch(cond_p, (args, dims, params) => {
  const { branches } = params;
  const [index, ...ops] = args;
  const [indexDim, ...opDims] = dims;
  const size = args[dims.findIndex((d) => d !== null)].shape[dims.find((d) => d !== null)!];
  if (indexDim !== null) {
    const [idx, ...batchedOps] = args.map((x, i) => bdimAtFront(x, dims[i], size));
    const batched = branches.map((b) => batchJaxprAt0(b, size, b.inAvals.map(() => true), true)[0]);
    const stopGradient = allPrimitives.get('stop_gradient');
    const branchOuts = batched.map((j, i) => {
      const predicate = laxEq(idx, scalar(i, idx.dtype));
      const masked = batchedOps.map((x) => {
        const frozen = stopGradient ? bindOne(stopGradient, [x]) : x;
        return laxSelect(bcastPred(predicate, x), x, frozen);
      });
      return evalJaxpr(j.jaxpr, j.consts, masked);
    });
    const outs = branchOuts[0].map((_, k) => laxSelectN(bcastPred(idx, branchOuts[0][k]), ...branchOuts.map((o) => o[k])));
    return [outs, outs.map(() => 0)];
  }
  const opsBat = opDims.map((d) => d !== null);
  const movedOps = ops.map((x, i) => (opDims[i] === null ? x : moveaxis(x, opDims[i]!, 0)));
  const outBat = branches[0].outAvals.map((_, k) => branches.some((b) => batchJaxprAt0(b, size, opsBat, false)[1][k]));
  const batchedBranches = branches.map((b) => batchJaxprAt0(b, size, opsBat, outBat)[0]);
  const outs = bind(cond_p, [index, ...movedOps], { ...params, branches: batchedBranches });
  return [outs, outBat.map((b) => (b ? 0 : null))];
});
