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
import { type AsArrays, type UserFn, checkCarryType, flattenArgs, promoteWeakTypedInput, traceFun } from './tracing.js';

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
  const body = (carry: Array[]) => runJaxpr(body_jaxpr, [...bodyConsts, ...carry]);
  let carry = args.slice(cond_nconsts + body_nconsts);
  // Synchronously while the host knows each predicate (cpu), then asynchronously (webgpu).
  for (;;) {
    const pred = predicate(carry);
    const now = scalarNow(pred);
    if (now === null) return pendingOutputs(continueLater(pred, carry), outAvals!, at);
    if (!now) return asOutputs(carry, outAvals!, at);
    carry = body(carry);
  }
  async function continueLater(pred: Array, carry: Array[]): Promise<Array[]> {
    while (await scalarLater(pred)) {
      carry = body(carry);
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
