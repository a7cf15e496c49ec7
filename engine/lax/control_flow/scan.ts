// `scan[jaxpr length num_carry num_consts reverse unroll] *consts *init *xs` (JAX's scan_p) and
// lax.scan.
//
// The trip count is static, so eager scans never wait for the device: each step slices xs, evaluates
// the body (evalJaxpr) and the stacked ys are concatenated at the end — synchronously on every
// backend (the device work is queued as usual).

import type { Array } from '../../core/array.js';
import type { ArrayBase } from '../../core/array_base.js';
import { ShapedArray } from '../../core/aval.js';
import type { ClosedJaxpr } from '../../core/jaxpr.js';
import { definePrimitive } from '../../core/primitive.js';
import { ConcretizationTypeError } from '../../core/errors.js';
import { bind } from '../../core/trace.js';
import { deviceFor, registerEvalImpl } from '../../interpreters/eval.js';
import { ValueError } from '../../tree/errors.js';
import { concatenate, expandDims, full, reshape, sliceInDim } from '../index.js';
import { JaxprTypeError, avalsShort } from './errors.js';
import { jaxprForwarding, mergeLists, moveBindersToFront, partitionList, pruneOutputs, separateConsts, typematch } from './jaxpr_utils.js';
import { asOutputs, runJaxpr } from './run.js';
import { type AsArrays, type UserFn, avalLong, checkCarryType, flattenArgs, promoteWeakTypedInput, traceFun } from './tracing.js';
import { flatten } from '../../tree/flatten.js';
// Imports of the JVP, partial eval and transpose rules (section at the end of the file).
import { UndefinedPrimal, isUndefinedPrimal, isZero } from '../../core/ad_util.js';
import { ClosedJaxpr as ClosedJaxprClass, Jaxpr, Var } from '../../core/jaxpr.js';
import { defineJvp, defineTranspose } from '../../core/primitive.js';
import { type Tangent, instantiateZeros, zeroTangentOf, zerosLikeAval } from '../../interpreters/jvp.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';
import { backwardPass, dceJaxprDeep, freshVars, jvpJaxpr, makeEqn, partialEvalJaxprNounits, partialEvalJaxprRules, rearrangeBinders } from './ad_jaxprs.js';

export interface ScanParams {
  jaxpr: ClosedJaxpr;
  length: number;
  num_carry: number;
  num_consts: number;
  reverse: boolean;
  unroll: number;
  [k: string]: unknown;
}

const unmapped = (length: number, a: ShapedArray) => new ShapedArray([length, ...a.shape], a.dtype, a.weakType);
const mapped = (a: ShapedArray) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType);

export const scan_p = definePrimitive<ScanParams>({
  name: 'scan',
  multipleResults: true,
  abstractEval(avals, { jaxpr, length, num_carry, num_consts }) {
    // JAX's _scan_abstract_eval with the checks of _scan_typecheck.
    if (avals.length !== jaxpr.inAvals.length) {
      throw new ValueError(`scan number of arguments doesn't match the number of jaxpr arguments: ${avals.length} vs ${jaxpr.inAvals.length}`);
    }
    const inJ = jaxpr.inAvals;
    const carryIn = inJ.slice(num_consts, num_consts + num_carry);
    const carryOut = jaxpr.outAvals.slice(0, num_carry);
    if (!carryIn.every((a, i) => typematch(a, carryOut[i]))) {
      throw new JaxprTypeError(`scan input carry input and output types mismatch: \n${avalsShort(carryIn)}\nvs\n${avalsShort(carryOut)}`);
    }
    const check = (what: string, called: string, want: readonly ShapedArray[], got: readonly ShapedArray[]) => {
      if (!want.every((a, i) => typematch(a, got[i]))) {
        throw new JaxprTypeError(`scan jaxpr takes input ${what} types\n${avalsShort(want)},\n${called}\n${avalsShort(got)}`);
      }
    };
    check('const', 'called with consts of type', inJ.slice(0, num_consts), avals.slice(0, num_consts));
    check('carry', 'called with initial carry of type', carryIn, avals.slice(num_consts, num_consts + num_carry));
    const xs = avals.slice(num_consts + num_carry);
    if (xs.some((x) => x.shape[0] !== length)) {
      throw new JaxprTypeError(`scan got length=${length} but sequences of leading sizes ${xs.map((x) => x.shape[0]).join(', ')}`);
    }
    check('sequence', 'called with sequence whose items have type', inJ.slice(num_consts + num_carry), xs.map(mapped));
    return [...carryOut, ...jaxpr.outAvals.slice(num_carry).map((a) => unmapped(length, a))];
  },
});

registerEvalImpl(scan_p, (args, params, outAvals) => {
  const { jaxpr, length, num_carry, num_consts, reverse } = params as ScanParams;
  const consts = args.slice(0, num_consts);
  let carry = args.slice(num_consts, num_consts + num_carry);
  const xs = args.slice(num_consts + num_carry);
  const at = { device: deviceFor(scan_p, args), committed: args.some((a) => a.committed) };
  const yAvals = jaxpr.outAvals.slice(num_carry);
  const ys: Array[][] = yAvals.map(() => new globalThis.Array<Array>(length));
  for (let t = 0; t < length; t++) {
    const i = reverse ? length - 1 - t : t;
    const x = xs.map((v) => reshape(sliceInDim(v, i, i + 1, 1, 0), v.shape.slice(1)));
    const outs = runJaxpr(jaxpr, [...consts, ...carry, ...x]);
    carry = outs.slice(0, num_carry);
    outs.slice(num_carry).forEach((y, k) => { ys[k][i] = y; });
  }
  const stacked = ys.map((list, k) => (length === 0
    ? full([0, ...yAvals[k].shape], 0, yAvals[k].dtype)
    : concatenate(list.map((y) => expandDims(y, [0])), 0)));
  return asOutputs([...carry, ...stacked], outAvals!, at);
});

export interface ScanOptions {
  /** The number of steps; required when xs is null, else must equal the leading size of xs. */
  length?: number;
  /** Scan from the end of xs to its start (ys are stacked in the order of xs either way). */
  reverse?: boolean;
  /** Steps per rolled loop iteration (a compilation hint; results are the same). true unrolls fully. */
  unroll?: number | boolean;
}

/**
 * `lax.scan(f, init, xs, {length, reverse, unroll})` → `[carry, ys]`: `f(carry, x) → [carry, y]` is
 * applied along the leading axis of xs (a pytree, or null with `length`), the ys stacked.
 */
export function scan<const C, const X, Y>(f: (carry: AsArrays<C>, x: AsArrays<X>) => readonly [unknown, Y], init: C, xs: X | null = null,
  opts: ScanOptions = {}): [AsArrays<C>, AsArrays<Y>] {
  if (typeof f !== 'function') throw new TypeError('lax.scan: f argument should be a callable.');
  const reverse = opts.reverse ?? false;
  const [xsFlat, xsTree] = flattenArgs(xs, 'scan');
  let [initFlat, initTree] = flattenArgs(init, 'scan');
  const length = inferScanLength(xsFlat, opts.length);
  const xAvals = xsFlat.map((x) => mapped(x.aval));

  const createJaxpr = (carryAvals: ShapedArray[]) => {
    const argTree = flatten([initTree.unflatten(carryAvals), xsTree.unflatten(xAvals)])[1];
    const traced = traceFun(f as UserFn, argTree, [...carryAvals, ...xAvals], 'scan');
    const pair = traced.outTree;
    if (pair.kind !== 'list' || pair.children().length !== 2) {
      const shown = pair.unflatten(traced.jaxpr.outAvals.map((a) => new Shown(avalLong(a))));
      throw new TypeError(`scan body output must be a pair, got ${showTree(shown)}.`);
    }
    const [carryTree, yTree] = pair.children();
    return { traced, carryTree, yTree };
  };
  let { traced, carryTree, yTree } = createJaxpr(initFlat.map((a) => a.aval));
  const carryOutAvals = () => traced.jaxpr.outAvals.slice(0, carryTree.numLeaves);
  if (carryTree.numLeaves !== initFlat.length) {
    checkCarryType('scan body', f as UserFn, initTree, initFlat.map((a) => a.aval), carryTree, carryOutAvals());
  }
  const promoted = initFlat.map((x, i) => promoteWeakTypedInput(x, carryOutAvals()[i]));
  if (promoted.some(([, changed]) => changed)) {
    initFlat = promoted.map(([x]) => x);
    ({ traced, carryTree, yTree } = createJaxpr(initFlat.map((a) => a.aval)));
  }
  checkCarryType('scan body', f as UserFn, initTree, initFlat.map((a) => a.aval), carryTree, carryOutAvals());
  let [jaxpr, consts] = separateConsts(traced.jaxpr);

  const unroll = opts.unroll === undefined ? 1 : typeof opts.unroll === 'boolean' ? (opts.unroll ? Math.max(length, 1) : 1) : opts.unroll;
  if (!Number.isInteger(unroll) || unroll < 0) throw new ValueError('`unroll` must be a `bool` or a non-negative `int`.');

  // A carry the body forwards unchanged is read-only: it becomes a const (JAX does this too).
  let numCarry = initFlat.length;
  const numXs = xsFlat.length;
  let argsFlat: ArrayBase[] = [...initFlat, ...xsFlat];
  const numYs = jaxpr.outAvals.length - numCarry;
  const fwd = jaxprForwarding(jaxpr.jaxpr);
  const carryFwd = fwd.slice(0, numCarry), extFwd = fwd.slice(numCarry);
  const moveToConst = carryFwd.map((f2, i) => consts.length + i === f2);
  let newConsts: ArrayBase[] = [];
  if (moveToConst.some((m) => m)) {
    jaxpr = pruneOutputs(jaxpr, [...moveToConst.map((m) => !m), ...new globalThis.Array<boolean>(numYs).fill(true)]);
    jaxpr = moveBindersToFront(jaxpr, [...consts.map(() => false), ...moveToConst, ...new globalThis.Array<boolean>(numXs).fill(false)]);
    [argsFlat, newConsts] = partitionList([...moveToConst, ...new globalThis.Array<boolean>(numXs).fill(false)], argsFlat);
    consts = [...newConsts, ...consts];
    numCarry -= newConsts.length;
  }
  // A y that is an x passed through is not computed: the x is returned.
  const extToExtFwd = extFwd.map((idx) => (idx !== null && idx >= numCarry + consts.length ? idx - consts.length : null));
  jaxpr = pruneOutputs(jaxpr, [...new globalThis.Array<boolean>(numCarry).fill(true), ...extToExtFwd.map((i) => i === null)]);

  const out = bind(scan_p, [...consts, ...argsFlat], {
    jaxpr, length, num_carry: numCarry, num_consts: consts.length, reverse, unroll,
  });
  const carryOut = out.slice(0, numCarry);
  let next = numCarry;
  const ysOut = extToExtFwd.map((f2) => (f2 === null ? out[next++] : argsFlat[f2]));
  let all = [...carryOut, ...ysOut];
  if (moveToConst.some((m) => m)) all = mergeLists([...moveToConst, ...new globalThis.Array<boolean>(numYs).fill(false)], all, newConsts);
  const carryResult = carryTree.unflatten(all.slice(0, carryTree.numLeaves));
  const ysResult = yTree.unflatten(all.slice(carryTree.numLeaves));
  return [carryResult as AsArrays<C>, ysResult as AsArrays<Y>];
}

/** A leaf printed as given. */
class Shown { constructor(readonly text: string) {} toString(): string { return this.text; } }

/** A pytree as Python's repr shows it (lists `[…]`, dicts `{'k': …}`, None). */
function showTree(x: unknown): string {
  if (globalThis.Array.isArray(x)) return `[${x.map(showTree).join(', ')}]`;
  if (x === null) return 'None';
  if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return `{${Object.entries(x).map(([k, v]) => `'${k}': ${showTree(v)}`).join(', ')}}`;
  }
  return String(x);
}

/** JAX's _infer_scan_length. */
function inferScanLength(xs: readonly ArrayBase[], length: number | undefined): number {
  const noAxis = xs.filter((x) => x.ndim === 0);
  if (noAxis.length) throw new ValueError(`scan got value with no leading axis to scan over: ${noAxis.map(String).join(', ')}.`);
  const lengths = xs.map((x) => x.shape[0]);
  if (length !== undefined && length !== null) {
    if (typeof length !== 'number') {
      throw new ConcretizationTypeError('The `length` argument to `scan` expects a concrete `int` value. For scan-like ' +
        'iteration with a dynamic length, use `while_loop` or `fori_loop`.');
    }
    if (!lengths.every((l) => l === length)) {
      throw new ValueError(`scan got \`length\` argument of ${length} which disagrees with leading axis sizes [${lengths.join(', ')}].`);
    }
    return length;
  }
  const unique = [...new Set(lengths)];
  if (unique.length > 1) throw new ValueError(`scan got values with different leading axis sizes: ${lengths.join(', ')}.`);
  if (unique.length === 0) throw new ValueError('scan got no values to scan over and `length` not provided.');
  return unique[0];
}

// ---- batching rules ----------------------------------------------------------------------------
// JAX's _scan_batching_rule: a fixpoint finds which carries are batched; batched consts and carries
// have their batch dim at 0, batched xs at 1 (so each slice has it at 0), and the stacked ys come
// out batched at 1.
import { defineBatch } from '../../core/primitive.js';
import { batchJaxprAt0 } from '../../interpreters/batching.js';
import { broadcastAt, moveaxis as moveAxis } from '../../interpreters/batching_util.js';

defineBatch(scan_p, (args, dims, params) => {
  const { jaxpr, num_consts, num_carry } = params;
  const size = args[dims.findIndex((d) => d !== null)].shape[dims.find((d) => d !== null)!];
  const numYs = jaxpr.outAvals.length - num_carry;
  const batched = dims.map((d) => d !== null);
  const constBat = batched.slice(0, num_consts), initBat = batched.slice(num_consts, num_consts + num_carry);
  const xsBat = batched.slice(num_consts + num_carry);
  let carryBat = initBat;
  let jaxprBatched = jaxpr, outBat: boolean[] = [];
  for (let i = 0; i <= carryBat.length; i++) {
    [jaxprBatched, outBat] = batchJaxprAt0(jaxpr, size, [...constBat, ...carryBat, ...xsBat],
      [...carryBat, ...new globalThis.Array<boolean>(numYs).fill(false)]);
    const carryOut = outBat.slice(0, num_carry);
    if (carryOut.every((b, k) => b === carryBat[k])) break;
    carryBat = carryBat.map((b, k) => b || carryOut[k]);
  }
  const ysBat = outBat.slice(num_carry);
  const newArgs = args.map((x, i) => {
    const d = dims[i];
    if (i < num_consts) return d !== null && d !== 0 ? moveAxis(x, d, 0) : x;
    if (i < num_consts + num_carry) {
      const k = i - num_consts;
      if (carryBat[k] && d === null) return broadcastAt(x, size, 0);
      return carryBat[k] ? moveAxis(x, d!, 0) : x;
    }
    return d !== null && d !== 1 ? moveAxis(x, d, 1) : x;
  });
  const outs = bind(scan_p, newArgs, { ...params, jaxpr: jaxprBatched });
  return [outs, [...carryBat.map((b) => (b ? 0 : null)), ...ysBat.map((b) => (b ? 1 : null))]];
});

// ---- JVP, partial eval and transpose rules ----
// JAX's _scan_jvp, _scan_partial_eval and _scan_transpose. Forward mode scans the tangents beside
// the primals (consts, carry and xs each followed by their tangents). Reverse mode splits the scan
// into a known scan that also stacks the residuals each step needs (a residual that is a known
// const stays a const) and a linear scan over the tangents, which transposes to a scan running the
// other way: cotangents of the carry flow back through the steps, those of the consts accumulate.

const countTrue = (xs: readonly boolean[]): number => xs.filter((x) => x).length;
const falses = (n: number): boolean[] => new globalThis.Array<boolean>(n).fill(false);

defineJvp(scan_p, (primals, tangents, params) => {
  const { jaxpr, num_consts, num_carry } = params;
  const nz = tangents.map((t) => !isZero(t));
  const constNz = nz.slice(0, num_consts);
  const initNz = nz.slice(num_consts, num_consts + num_carry);
  const xsNz = nz.slice(num_consts + num_carry);
  const numYs = jaxpr.outAvals.length - num_carry;
  let carryNz = initNz;
  for (let round = 0; round <= num_carry; round++) {
    const [, nzOut] = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], [...carryNz, ...falses(numYs)]);
    const carryOut = nzOut.slice(0, num_carry);
    if (carryOut.every((x, i) => x === carryNz[i])) break;
    carryNz = carryNz.map((x, i) => x || carryOut[i]);
  }
  const [jvpJ, nzOut] = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], [...carryNz, ...falses(numYs)]);
  const ysNz = nzOut.slice(num_carry);
  const consts = primals.slice(0, num_consts), init = primals.slice(num_consts, num_consts + num_carry);
  const xs = primals.slice(num_consts + num_carry);
  const constsDot = tangents.slice(0, num_consts).filter((t) => !isZero(t)) as ArrayBase[];
  const initDot = tangents.slice(num_consts, num_consts + num_carry).flatMap((t, i) => (carryNz[i] ? [instantiateZeros(t)] : []));
  const xsDot = tangents.slice(num_consts + num_carry).filter((t) => !isZero(t)) as ArrayBase[];
  const nYsDot = countTrue(ysNz);
  const rearranged = rearrangeBinders(jvpJ,
    [num_consts, num_carry, xs.length, constsDot.length, initDot.length, xsDot.length], [0, 3, 1, 4, 2, 5],
    [num_carry, numYs, initDot.length, nYsDot], [0, 2, 1, 3]);
  const out = bind(scan_p, [...consts, ...constsDot, ...init, ...initDot, ...xs, ...xsDot], {
    ...params, jaxpr: rearranged, num_consts: num_consts + constsDot.length, num_carry: num_carry + initDot.length,
  });
  const carry = out.slice(0, num_carry), carryDot = out.slice(num_carry, num_carry + initDot.length);
  const ys = out.slice(num_carry + initDot.length, num_carry + initDot.length + numYs);
  const ysDot = out.slice(num_carry + initDot.length + numYs);
  let c = 0, y = 0;
  const tangentsOut: Tangent[] = [
    ...carry.map((p, i) => (carryNz[i] ? carryDot[c++] : zeroTangentOf(p))),
    ...ys.map((p, i) => (ysNz[i] ? ysDot[y++] : zeroTangentOf(p))),
  ];
  return [[...carry, ...ys], tangentsOut];
});

partialEvalJaxprRules.set(scan_p, (eqn, inUnknowns) => {
  const params = eqn.params as ScanParams;
  const { jaxpr, num_consts, num_carry, length } = params;
  const constUk = inUnknowns.slice(0, num_consts);
  const xsUk = inUnknowns.slice(num_consts + num_carry);
  const numYs = jaxpr.outAvals.length - num_carry;
  // A carry is unknown when its init is or when the body makes it so (a fixpoint).
  let carryUk = inUnknowns.slice(num_consts, num_consts + num_carry);
  let split!: ReturnType<typeof partialEvalJaxprNounits>;
  for (let round = 0; round <= num_carry; round++) {
    split = partialEvalJaxprNounits(jaxpr, [...constUk, ...carryUk, ...xsUk], [...carryUk, ...falses(numYs)]);
    const carryOut = split.outUnknowns.slice(0, num_carry);
    if (carryOut.every((x, i) => x === carryUk[i])) break;
    carryUk = carryUk.map((x, i) => x || carryOut[i]);
  }
  const ysUk = split.outUnknowns.slice(num_carry);
  const kj = split.known.jaxpr, uj = split.unknown.jaxpr;
  const nRes = split.resAvals.length;
  const nKnownConsts = num_consts - countTrue(constUk);
  const nKnownOuts = kj.outvars.length - nRes;
  const resOut = kj.outvars.slice(nKnownOuts);
  // A residual that is a known const of the body is the same every step: it stays a const; one
  // that is a known x is that x: the unknown scan reads xs itself. The others are stacked.
  const nKnownCarry = num_carry - countTrue(carryUk);
  const knownXsInvars = kj.invars.slice(nKnownConsts + nKnownCarry);
  const constIndex = resOut.map((v) => kj.invars.slice(0, nKnownConsts).indexOf(v as Var));
  const xsIndex = resOut.map((v, r) => (constIndex[r] >= 0 ? -1 : knownXsInvars.indexOf(v as Var)));
  const kind = resOut.map((_, r) => (constIndex[r] >= 0 ? 'const' : xsIndex[r] >= 0 ? 'xs' : 'stacked'));
  // The known body keeps only what its outputs need (JAX runs dce on it too, into nested conds).
  const knownOutvars = [...kj.outvars.slice(0, nKnownOuts), ...resOut.filter((_, r) => kind[r] === 'stacked')];
  const [knownDce] = dceJaxprDeep(new Jaxpr(kj.constvars, kj.invars, kj.eqns, knownOutvars), knownOutvars.map(() => true), true);
  const bodyKnown = new ClosedJaxprClass(knownDce, split.known.consts);
  const resIn = uj.invars.slice(0, nRes), rest = uj.invars.slice(nRes);
  const nUkConsts = countTrue(constUk), nUkCarry = countTrue(carryUk);
  const bodyUnknown = new ClosedJaxprClass(new Jaxpr(uj.constvars, [
    ...resIn.filter((_, r) => kind[r] === 'const'), ...rest, ...resIn.filter((_, r) => kind[r] !== 'const'),
  ], uj.eqns, uj.outvars), split.unknown.consts);
  const ins = eqn.inputs;
  const consts = ins.slice(0, num_consts), init = ins.slice(num_consts, num_consts + num_carry);
  const xs = ins.slice(num_consts + num_carry);
  const knownConsts = consts.filter((_, i) => !constUk[i]);
  const knownXs = xs.filter((_, i) => !xsUk[i]);
  const stackedRes = freshVars(split.resAvals.filter((_, r) => kind[r] === 'stacked').map((a) => unmapped(length, a)));
  const carryOuts = eqn.outBinders.slice(0, num_carry), ysOuts = eqn.outBinders.slice(num_carry);
  const known = makeEqn(scan_p, [...knownConsts, ...init.filter((_, i) => !carryUk[i]), ...knownXs], {
    ...params, jaxpr: bodyKnown, num_consts: nKnownConsts, num_carry: nKnownCarry,
  }, [...carryOuts.filter((_, i) => !carryUk[i]), ...ysOuts.filter((_, i) => !ysUk[i]), ...stackedRes]);
  const constRes = constIndex.filter((k) => k >= 0).map((k) => knownConsts[k]);
  // The per-step residuals in their order, each an x read again or a stacked output of the known scan.
  let nextStacked = 0;
  const extensiveRes = kind.flatMap((k, r) => (k === 'const' ? [] : [k === 'xs' ? knownXs[xsIndex[r]] : stackedRes[nextStacked++]]));
  const unknown = makeEqn(scan_p, [...constRes, ...consts.filter((_, i) => constUk[i]), ...init.filter((_, i) => carryUk[i]),
    ...xs.filter((_, i) => xsUk[i]), ...extensiveRes], {
    ...params, jaxpr: bodyUnknown, num_consts: constRes.length + nUkConsts, num_carry: nUkCarry,
  }, [...carryOuts.filter((_, i) => carryUk[i]), ...ysOuts.filter((_, i) => ysUk[i])]);
  return { known: [known], unknown: [unknown], outUnknowns: [...carryUk, ...ysUk] };
});

defineTranspose(scan_p, (cts, args, params) => {
  const { jaxpr, num_consts, num_carry, reverse } = params;
  const consts = args.slice(0, num_consts), init = args.slice(num_consts, num_consts + num_carry);
  const xs = args.slice(num_consts + num_carry);
  const constLin = consts.map(isUndefinedPrimal), xsLin = xs.map(isUndefinedPrimal);
  // Every carry is transposed as linear (as JAX does); a known init (zeros made for a tangent)
  // just gets no cotangent.
  const resConsts = consts.filter((_, i) => !constLin[i]) as ArrayBase[];
  const resXs = xs.filter((_, i) => !xsLin[i]) as ArrayBase[];
  const inAvals = jaxpr.inAvals;
  const constAvals = inAvals.slice(0, num_consts), carryAvals = inAvals.slice(num_consts, num_consts + num_carry);
  const xAvals = inAvals.slice(num_consts + num_carry);
  const linConstAvals = constAvals.filter((_, i) => constLin[i]);
  const ysAvals = jaxpr.outAvals.slice(num_carry);
  const nLinC = linConstAvals.length;
  const bodyT = traceToJaxpr((...a) => {
    let at = 0;
    const take = (n: number) => a.slice(at, at += n);
    const rc = take(resConsts.length), acc = take(nLinC), ctCarry = take(num_carry), ctY = take(ysAvals.length), rx = take(resXs.length);
    let i = 0, j = 0;
    const primals = [
      ...constAvals.map((av, k) => (constLin[k] ? new UndefinedPrimal(av) : rc[i++])),
      ...carryAvals.map((av) => new UndefinedPrimal(av)),
      ...xAvals.map((av, k) => (xsLin[k] ? new UndefinedPrimal(av) : rx[j++])),
    ];
    // The cotangents of the linear consts accumulate into the running sums, as JAX's ValAccum.
    let a2 = 0;
    const seeds = primals.map((_, k) => (k < num_consts && constLin[k] ? acc[a2++] : null));
    const ctsIn = backwardPass(jaxpr.jaxpr, jaxpr.consts, primals, [...ctCarry, ...ctY], seeds);
    const ctConsts = ctsIn.slice(0, num_consts).filter((_, k) => constLin[k]);
    const ctInit = ctsIn.slice(num_consts, num_consts + num_carry);
    const ctXs = ctsIn.slice(num_consts + num_carry).filter((_, k) => xsLin[k]);
    return [...ctConsts.map((c) => instantiateZeros(c!)), ...ctInit.map((c) => instantiateZeros(c!)),
      ...ctXs.map((c) => instantiateZeros(c!))];
  }, [...resConsts.map((_, k) => constAvals.filter((__, m) => !constLin[m])[k]), ...linConstAvals, ...carryAvals, ...ysAvals,
    ...xAvals.filter((_, k) => !xsLin[k])]);
  const out = bind(scan_p, [...resConsts, ...linConstAvals.map(zerosLikeAval), ...cts.map(instantiateZeros), ...resXs], {
    ...params, jaxpr: bodyT, num_consts: resConsts.length, num_carry: nLinC + num_carry, reverse: !reverse,
  });
  const ctConsts = out.slice(0, nLinC), ctInit = out.slice(nLinC, nLinC + num_carry), ctXs = out.slice(nLinC + num_carry);
  let c = 0, x = 0;
  return [
    ...constLin.map((l) => (l ? ctConsts[c++] : null)),
    ...init.map((a, i) => (isUndefinedPrimal(a) ? ctInit[i] : null)),
    ...xsLin.map((l) => (l ? ctXs[x++] : null)),
  ];
});
