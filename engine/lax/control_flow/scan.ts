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
