// `while[body_jaxpr body_nconsts cond_jaxpr cond_nconsts] *cond_consts *body_consts *init` (JAX's
// while_p) and lax.whileLoop.
//
// Eagerly the loop runs on the host: each trip evaluates cond_jaxpr, reads the predicate and, while
// it holds, evaluates body_jaxpr. On the cpu backend the predicate is read at once and the whole
// loop runs synchronously; on webgpu each read is a readback, so the loop continues asynchronously
// and its results are pending arrays until it ends (a data-dependent trip count needs no await
// from the caller until a value is read).

import type { Array } from '../../core/array.js';
import type { ClosedJaxpr } from '../../core/jaxpr.js';
import { definePrimitive } from '../../core/primitive.js';
import { bind } from '../../core/trace.js';
import { deviceFor, registerEvalImpl } from '../../interpreters/eval.js';
import { JaxprTypeError } from './errors.js';
import { closeJaxpr, dceJaxpr, jaxprForwarding, mergeLists, moveBindersToFront, partitionList, pruneOutputs, separateConsts } from './jaxpr_utils.js';
import { asOutputs, pendingOutputs, runJaxpr, scalarLater, scalarNow } from './run.js';
import { broadcastInDim as whileBroadcast, reduceOr as whileReduceOr, select as whileSelect } from '../index.js';
import { type AsArrays, type UserFn, checkCarryType, flattenArgs, promoteWeakTypedInput, traceFun } from './tracing.js';
// Imports of the JVP, partial eval and transpose rules (section at the end of the file).
import type { ArrayBase } from '../../core/array_base.js';
import { isZero } from '../../core/ad_util.js';
import { ClosedJaxpr as ClosedJaxprClass, Jaxpr } from '../../core/jaxpr.js';
import { defineJvp, defineTranspose } from '../../core/primitive.js';
import { type Tangent, instantiateZeros, zeroTangentOf } from '../../interpreters/jvp.js';
import { freshVars, jvpJaxpr, makeEqn, partialEvalJaxprNounits, partialEvalJaxprRules, rearrangeBinders } from './ad_jaxprs.js';
import { ValueError } from '../../tree/errors.js';

export interface WhileParams {
  body_jaxpr: ClosedJaxpr;
  body_nconsts: number;
  cond_jaxpr: ClosedJaxpr;
  cond_nconsts: number;
  [k: string]: unknown;
}

export const while_p = definePrimitive<WhileParams>({
  name: 'while',
  multipleResults: true,
  abstractEval(avals, { cond_jaxpr, body_jaxpr, body_nconsts, cond_nconsts }) {
    // JAX's _while_loop_abstract_eval.
    const nCarry = avals.length - cond_nconsts - body_nconsts;
    if (cond_jaxpr.inAvals.length !== cond_nconsts + nCarry) {
      throw new JaxprTypeError(`while_loop len(cond_jaxpr.in_avals)=${cond_jaxpr.inAvals.length} but ` +
        `len(cond_consts_avals) + len(in_avals)=${cond_nconsts + nCarry}`);
    }
    if (body_jaxpr.inAvals.length !== body_nconsts + nCarry) {
      throw new JaxprTypeError(`while_loop len(body_jaxpr.in_avals)=${body_jaxpr.inAvals.length} but ` +
        `len(body_consts_avals) + len(in_avals)=${body_nconsts + nCarry}`);
    }
    return [...body_jaxpr.outAvals];
  },
});

registerEvalImpl(while_p, (args, params, outAvals) => {
  const { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts } = params as WhileParams;
  const condConsts = args.slice(0, cond_nconsts);
  const bodyConsts = args.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const at = { device: deviceFor(while_p, args), committed: args.some((a) => a.committed) };
  const predicate = (carry: Array[]) => runJaxpr(cond_jaxpr, [...condConsts, ...carry])[0];
  // A predicate with leading batch dims (vmap's rule leaves one when the condition depends on
  // mapped values, as JAX's does): the loop runs while any element's holds, and the elements whose
  // predicate is false keep their carry — what JAX's lowering of such a while does with a select.
  const body = (carry: Array[], pred: Array) => {
    const next = runJaxpr(body_jaxpr, [...bodyConsts, ...carry]);
    if (pred.ndim === 0) return next;
    const lead = [...globalThis.Array(pred.ndim).keys()];
    return next.map((n, k) => whileSelect(pred.ndim === n.ndim ? pred : whileBroadcast(pred, n.shape, lead), n, carry[k]));
  };
  const anyOf = (pred: Array) => (pred.ndim === 0 ? pred : whileReduceOr(pred, [...globalThis.Array(pred.ndim).keys()]));
  let carry = args.slice(cond_nconsts + body_nconsts);
  // Synchronously while the host knows each predicate (cpu), then asynchronously (webgpu).
  for (;;) {
    const pred = predicate(carry);
    const now = scalarNow(anyOf(pred));
    if (now === null) return pendingOutputs(continueLater(pred, carry), outAvals!, at);
    if (!now) return asOutputs(carry, outAvals!, at);
    carry = body(carry, pred);
  }
  async function continueLater(pred: Array, carry: Array[]): Promise<Array[]> {
    while (await scalarLater(anyOf(pred))) {
      carry = body(carry, pred);
      pred = predicate(carry);
    }
    return asOutputs(carry, outAvals!, at);
  }
});

/**
 * `lax.whileLoop(condFun, bodyFun, initVal)`: `val = initVal; while (condFun(val)) val = bodyFun(val)`.
 * The carry is a pytree whose structure and types bodyFun keeps; condFun returns a bool scalar.
 */
export function whileLoop<const T>(condFun: (val: AsArrays<T>) => unknown, bodyFun: (val: AsArrays<T>) => unknown, initVal: T): AsArrays<T> {
  if (typeof bodyFun !== 'function' || typeof condFun !== 'function') {
    throw new TypeError('lax.while_loop: body_fun and cond_fun arguments should be callable.');
  }
  let [init, inTree] = flattenArgs([initVal], 'while_loop');
  const createJaxprs = () => {
    const avals = init.map((a) => a.aval);
    const c = traceFun(condFun as UserFn, inTree, avals, 'while_cond');
    const b = traceFun(bodyFun as UserFn, inTree, avals, 'while_body');
    if (!c.outTree.isLeaf || c.jaxpr.outAvals.length !== 1) {
      throw new TypeError(`cond_fun must return a boolean scalar, but got pytree ${c.outTree}.`);
    }
    const pred = c.jaxpr.outAvals[0];
    if (pred.dtype !== 'bool' || pred.ndim !== 0) {
      throw new TypeError(`cond_fun must return a boolean scalar, but got output type(s) [${c.jaxpr.outAvals.join(', ')}].`);
    }
    return { c, b };
  };
  const carryTree = inTree.children()[0];
  let { c, b } = createJaxprs();
  if (b.jaxpr.outAvals.length !== init.length) {
    checkCarryType('while_loop body', bodyFun as UserFn, carryTree, init.map((a) => a.aval), b.outTree, b.jaxpr.outAvals);
  }
  const promoted = init.map((x, i) => promoteWeakTypedInput(x, b.jaxpr.outAvals[i]));
  if (promoted.some(([, changed]) => changed)) {
    init = promoted.map(([x]) => x);
    ({ c, b } = createJaxprs());
  }
  let [condJaxpr, condConsts] = separateConsts(c.jaxpr);
  let [bodyJaxpr, bodyConsts] = separateConsts(b.jaxpr);
  checkCarryType('while_loop body', bodyFun as UserFn, carryTree, init.map((a) => a.aval), b.outTree, b.jaxpr.outAvals);

  // A carry the body forwards unchanged and the cond never reads is a body constant (JAX does this
  // so that vmap with a batched predicate need not batch it).
  const bodyFwd = jaxprForwarding(bodyJaxpr.jaxpr);
  const carryNoFwd = bodyFwd.map((f, i) => bodyConsts.length + i !== f);
  const [condDce, keepCond] = dceJaxpr(condJaxpr.jaxpr, [true], [...condConsts.map(() => true), ...carryNoFwd]);
  const moveToConst = keepCond.slice(condConsts.length).map((k) => !k);
  let initVals = init;
  let newBodyConsts: typeof init = [];
  if (moveToConst.some((m) => m)) {
    condJaxpr = closeJaxpr(condDce);
    bodyJaxpr = pruneOutputs(bodyJaxpr, moveToConst.map((m) => !m));
    bodyJaxpr = moveBindersToFront(bodyJaxpr, [...bodyConsts.map(() => false), ...moveToConst]);
    [initVals, newBodyConsts] = partitionList(moveToConst, init);
    bodyConsts = [...newBodyConsts, ...bodyConsts];
  }
  let outs = bind(while_p, [...condConsts, ...bodyConsts, ...initVals], {
    body_jaxpr: bodyJaxpr, body_nconsts: bodyConsts.length, cond_jaxpr: condJaxpr, cond_nconsts: condConsts.length,
  });
  if (moveToConst.some((m) => m)) outs = mergeLists(moveToConst, outs, newBodyConsts);
  return b.outTree.unflatten(outs) as AsArrays<T>;
}

// ---- JVP, partial eval and transpose rules ----
// JAX's _while_loop_jvp: the carry gains the tangents of the carries that have one (a fixpoint:
// a carry whose tangent is zero on entry may get one from the body), the body consts their
// tangents; the cond ignores the tangents. Reverse mode is refused, as JAX refuses it: the trip
// count is not known before the loop runs, so there is nothing to stack residuals into.

defineJvp(while_p, (primals, tangents, params) => {
  const { cond_nconsts, body_nconsts, body_jaxpr, cond_jaxpr } = params;
  const nonzeros = tangents.map((t) => !isZero(t));
  const bconstNz = nonzeros.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const initNz = nonzeros.slice(cond_nconsts + body_nconsts);
  let carryNz = initNz;
  let bodyJvp: ClosedJaxpr | null = null;
  let nzOut: boolean[] = [];
  for (let round = 0; round <= carryNz.length; round++) {
    [bodyJvp, nzOut] = jvpJaxpr(body_jaxpr, [...bconstNz, ...carryNz], carryNz);
    if (nzOut.every((nz, i) => nz === carryNz[i])) break;
    carryNz = carryNz.map((nz, i) => nz || nzOut[i]);
  }
  const numCarry = carryNz.length;
  const cconst = primals.slice(0, cond_nconsts);
  const bconst = primals.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const init = primals.slice(cond_nconsts + body_nconsts);
  const bconstDot = tangents.slice(cond_nconsts, cond_nconsts + body_nconsts).filter((t) => !isZero(t)) as ArrayBase[];
  const initDot = tangents.slice(cond_nconsts + body_nconsts).flatMap((t, i) => (carryNz[i] ? [instantiateZeros(t)] : []));
  const bodyRearranged = rearrangeBinders(bodyJvp!, [body_nconsts, numCarry, bconstDot.length, initDot.length], [0, 2, 1, 3],
    [numCarry, initDot.length], [0, 1]);
  const cj = cond_jaxpr.jaxpr;
  const condAugmented = new ClosedJaxprClass(
    new Jaxpr(cj.constvars, [...cj.invars, ...freshVars(initDot.map((t) => t.aval))], cj.eqns, cj.outvars), cond_jaxpr.consts);
  const out = bind(while_p, [...cconst, ...bconst, ...bconstDot, ...init, ...initDot], {
    ...params, cond_nconsts, cond_jaxpr: condAugmented, body_nconsts: bconst.length + bconstDot.length, body_jaxpr: bodyRearranged,
  });
  const outCarry = out.slice(0, numCarry);
  let next = numCarry;
  const outTangents: Tangent[] = outCarry.map((p, i) => (carryNz[i] ? out[next++] : zeroTangentOf(p)));
  return [outCarry, outTangents];
});

// JAX's _while_partial_eval: when the predicate depends only on known carries, a while loop over
// the known carries computes them (so that linearization gets its primal outputs); the unknown
// outputs come from the whole loop, staged as it is. Transposing that loop raises JAX's error.
partialEvalJaxprRules.set(while_p, (eqn, inUnknowns) => {
  const { cond_nconsts, body_nconsts, cond_jaxpr, body_jaxpr } = eqn.params as WhileParams;
  const allUnknown = { known: [], unknown: [eqn], outUnknowns: eqn.outBinders.map(() => true) };
  const cconstUk = inUnknowns.slice(0, cond_nconsts);
  const bconstUk = inUnknowns.slice(cond_nconsts, cond_nconsts + body_nconsts);
  let carryUk = inUnknowns.slice(cond_nconsts + body_nconsts);
  let split!: ReturnType<typeof partialEvalJaxprNounits>;
  for (let round = 0; round <= carryUk.length; round++) {
    split = partialEvalJaxprNounits(body_jaxpr, [...bconstUk, ...carryUk], carryUk);
    if (split.outUnknowns.every((uk, i) => uk === carryUk[i])) break;
    carryUk = carryUk.map((uk, i) => uk || split.outUnknowns[i]);
  }
  if (cconstUk.some((u) => u) || carryUk.every((u) => u)) return allUnknown;
  const condSplit = partialEvalJaxprNounits(cond_jaxpr, [...cconstUk, ...carryUk], false);
  if (condSplit.outUnknowns[0]) return allUnknown;
  // The known loop: the body's known part without its residuals, the cond on the known carries.
  const nKnownCarry = carryUk.filter((u) => !u).length;
  const kb = split.known.jaxpr;
  const bodyKnown = new ClosedJaxprClass(new Jaxpr(kb.constvars, kb.invars, kb.eqns, kb.outvars.slice(0, nKnownCarry)), split.known.consts);
  const kc = condSplit.known.jaxpr;
  const condKnown = new ClosedJaxprClass(new Jaxpr(kc.constvars, kc.invars, kc.eqns, kc.outvars.slice(0, 1)), condSplit.known.consts);
  const ins = eqn.inputs;
  const cconst = ins.slice(0, cond_nconsts);
  const bconst = ins.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const init = ins.slice(cond_nconsts + body_nconsts);
  const bconstKnown = bconst.filter((_, i) => !bconstUk[i]);
  const known = makeEqn(while_p, [...cconst, ...bconstKnown, ...init.filter((_, i) => !carryUk[i])], {
    ...eqn.params, cond_jaxpr: condKnown, cond_nconsts, body_jaxpr: bodyKnown, body_nconsts: bconstKnown.length,
  }, eqn.outBinders.filter((_, i) => !carryUk[i]));
  const unknownOuts = eqn.outBinders.map((v, i) => (carryUk[i] ? v : freshVars([v.aval])[0]));
  return { known: [known], unknown: [{ ...eqn, outBinders: unknownOuts }], outUnknowns: carryUk };
});

defineTranspose(while_p, () => {
  throw new ValueError('Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop ' +
    'values. Try using lax.scan, or using fori_loop with static start/stop.');
});

// ---- batching rules ----------------------------------------------------------------------------
// JAX's _while_loop_batching_rule: which carries are batched is found by a fixpoint over the body.
// With an unbatched predicate the loop is the same loop over batched values (carries batched after
// the predicate's own dims). With a batched predicate every carry is batched at 0 and the cond
// returns one predicate per element: the while then runs until none holds, each element keeping
// its carry once its predicate is false (the eval rule above).
import { defineBatch } from '../../core/primitive.js';
import { batchJaxpr, batchJaxprAt0 } from '../../interpreters/batching.js';
import { broadcastAt, moveaxis } from '../../interpreters/batching_util.js';

defineBatch(while_p, (args, dims, params) => {
  const { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts } = params;
  const size = args[dims.findIndex((d) => d !== null)].shape[dims.find((d) => d !== null)!];
  const batched = dims.map((d) => d !== null);
  const cconstBat = batched.slice(0, cond_nconsts), bconstBat = batched.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const initBat = batched.slice(cond_nconsts + body_nconsts);
  const init = args.slice(cond_nconsts + body_nconsts);
  const cconstDims = dims.slice(0, cond_nconsts), bconstDims = dims.slice(cond_nconsts, cond_nconsts + body_nconsts);
  const initDims = dims.slice(cond_nconsts + body_nconsts);

  let carryBat = initBat;
  for (let i = 0; i <= carryBat.length; i++) {
    const [, out] = batchJaxprAt0(body_jaxpr, size, [...bconstBat, ...carryBat], carryBat);
    if (out.every((b, k) => b === carryBat[k])) break;
    carryBat = carryBat.map((b, k) => b || out[k]);
  }
  const [, [predBat]] = batchJaxprAt0(cond_jaxpr, size, [...cconstBat, ...carryBat], false);

  let carryDims: (number | null)[];
  let bodyBatched, condBatched;
  if (predBat) {
    carryDims = carryBat.map(() => 0);
    [bodyBatched] = batchJaxpr(body_jaxpr, size, [...bconstDims, ...carryDims], carryDims);
    [condBatched] = batchJaxpr(cond_jaxpr, size, [...cconstDims, ...carryDims], [0]);
  } else {
    // A predicate that already has (batch) dims of its own keeps them leading.
    const condRank = cond_jaxpr.outAvals[0].ndim;
    carryDims = carryBat.map((b) => (b ? condRank : null));
    [bodyBatched] = batchJaxpr(body_jaxpr, size, [...bconstDims, ...carryDims], carryDims);
    [condBatched] = batchJaxpr(cond_jaxpr, size, [...cconstDims, ...carryDims], [null]);
  }
  const newInit = init.map((x, k) => {
    const from = initDims[k], to = carryDims[k];
    if (from === null) return to === null ? x : broadcastAt(x, size, to);
    return moveaxis(x, from, to!);
  });
  const outs = bind(while_p, [...args.slice(0, cond_nconsts + body_nconsts), ...newInit], { ...params, cond_jaxpr: condBatched, body_jaxpr: bodyBatched });
  return [outs, carryDims];
});
