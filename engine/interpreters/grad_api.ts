// The differentiation API over pytrees, as jax.vjp / grad / value_and_grad / linearize / jacfwd /
// jacrev / hessian: flatten the arguments, run the flat machinery of ./jvp.ts and ./ad.ts, and
// rebuild the results' structure. Keyword arguments of JAX are a trailing options object.
//
// float0: the gradient of an integer or boolean input (grad with `allowInt`, or vjp) is JAX's
// float0 zero; Tracelens returns a bool array of zeros (false) of the input's shape (see FLOAT0).

import { ArrayBase } from '../core/array_base.js';
import { isFloat } from '../core/dtype.js';
import { flatten, unflatten } from '../tree/flatten.js';
import type { PyTreeDef } from '../tree/treedef.js';
import { scalarConstant } from '../lax/constants.js';
import * as lax from '../lax/index.js';
import { type Tangent, Zero, arrayLeaf, describeValue, instantiateZeros, stripAux, isZero, jvpFlat, zeroTangentOf } from './jvp.js';
import { applyLinear, linearizeFlat, vjpFlat } from './ad.js';
import { vmap } from './batching.js';

type Fn = (...args: any[]) => any;

export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** `f` returns `[output, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /** Allow integer/boolean inputs; their gradient is a float0 (bool zeros) array. */
  allowInt?: boolean;
}

export interface VjpOptions { hasAux?: boolean }

/** A trailing `{hasAux}` options object of vjp/linearize, told apart from a pytree argument by its keys. */
function splitOptions(args: unknown[]): [unknown[], VjpOptions] {
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype) {
    const keys = Object.keys(last);
    if (keys.length > 0 && keys.every((k) => k === 'hasAux') && typeof (last as VjpOptions).hasAux === 'boolean') {
      return [args.slice(0, -1), last as VjpOptions];
    }
  }
  return [args, {}];
}

/** Flattens `f`'s output (and aux) as the flat machinery needs; the structures are recorded in `box`. */
function flatOutputs(f: Fn, inTree: PyTreeDef, hasAux: boolean, api: string, box: { outTree?: PyTreeDef; aux?: unknown }) {
  return (...xs: ArrayBase[]): ArrayBase[] => {
    let out = f(...(unflatten(inTree, xs) as unknown[]));
    if (hasAux) {
      if (!globalThis.Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`expected function with aux output to return a two-element tuple, but got ${describeValue(out)}.`);
      }
      box.aux = stripAux(out[1]);
      out = out[0];
    }
    const [leaves, tree] = flatten(out);
    box.outTree = tree;
    return leaves.map((x) => arrayLeaf(x, api, 'outputs of the differentiated function'));
  };
}

function flatPrimals(primals: unknown[], api: string): [ArrayBase[], PyTreeDef] {
  const [leaves, tree] = flatten(primals);
  return [leaves.map((x) => arrayLeaf(x, api, 'primal values')), tree];
}

/**
 * `vjp(f, ...primals)` → `[out, vjpFn]`; with a trailing `{hasAux: true}`, `[out, vjpFn, aux]`.
 * `vjpFn(cotangent)` takes a cotangent shaped like `out` and returns a list with one cotangent per
 * primal (float0 — bool zeros — for integer primals).
 */
export function vjp(f: Fn, ...primalsAndOpts: unknown[]): any[] {
  const [primals, opts] = splitOptions(primalsAndOpts);
  const [flat, inTree] = flatPrimals(primals, 'vjp');
  const box: { outTree?: PyTreeDef; aux?: unknown } = {};
  const [outs, backward] = vjpFlat(flatOutputs(f, inTree, !!opts.hasAux, 'vjp', box), flat);
  const outTree = box.outTree!;
  const vjpFn = (...ctArgs: unknown[]): unknown[] => {
    if (ctArgs.length !== 1) {
      throw new TypeError(`The function returned by \`vjp\` was called with ${ctArgs.length} arguments, but functions returned by \`vjp\` must be called with a single argument corresponding to the single value returned by the function being differentiated (even if that returned value is a tuple or other container).`);
    }
    const [ctLeaves, ctTree] = flatten(ctArgs[0], { isLeaf: (x) => x instanceof Zero });
    if (ctTree.key !== outTree.key) {
      throw new TypeError(`unexpected tree structure of argument to vjp function: got ${ctTree}, but expected to match ${outTree}`);
    }
    const cts: Tangent[] = ctLeaves.map((c, i) => {
      if (c instanceof Zero) return c;
      const ct = typeof c === 'number' ? scalarConstant(c, outs[i].dtype, true) : arrayLeaf(c, 'vjp', 'cotangents');
      const expected = zeroTangentOf(outs[i]).aval;
      if (ct.shape.join() !== expected.shape.join() || (isFloat(expected.dtype) && ct.dtype !== expected.dtype)) {
        throw new TypeError(`unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got ${ct.aval.strShort()}, but expected ${expected.strShort()} because the corresponding output of the differentiated function had JAX type ${outs[i].aval.strShort()}`);
      }
      return isFloat(expected.dtype) ? ct : zeroTangentOf(outs[i]);
    });
    const ctsIn = backward(cts).map(instantiateZeros);
    return unflatten(inTree, ctsIn) as unknown[];
  };
  const res: any[] = [unflatten(outTree, outs), vjpFn];
  if (opts.hasAux) res.push(box.aux);
  return res;
}

/** `linearize(f, ...primals)` → `[out, jvpFn]` (`[out, jvpFn, aux]` with a trailing `{hasAux: true}`). */
export function linearize(f: Fn, ...primalsAndOpts: unknown[]): any[] {
  const [primals, opts] = splitOptions(primalsAndOpts);
  const [flat, inTree] = flatPrimals(primals, 'linearize');
  const box: { outTree?: PyTreeDef; aux?: unknown } = {};
  const [outs, lin] = linearizeFlat(flatOutputs(f, inTree, !!opts.hasAux, 'linearize', box), flat);
  const outTree = box.outTree!;
  const jvpFn = (...tangents: unknown[]): unknown => {
    const [tLeaves, tTree] = flatten(tangents);
    if (tTree.key !== inTree.key) {
      throw new TypeError(`linearized function called on tangent values inconsistent with the original primal values: expected the structure ${inTree}, got ${tTree}.`);
    }
    const ts = tLeaves.map((t, i) => arrayLeaf(t, 'linearize', 'tangents')).map((t, i) => {
      if (t.shape.join() !== flat[i].shape.join()) {
        throw new TypeError(`linearized function called on tangent values inconsistent with the original primal values: got tangent shape [${t.shape}] for primal shape [${flat[i].shape}].`);
      }
      return t;
    });
    return unflatten(outTree, applyLinear(lin, ts).map(instantiateZeros));
  };
  const res: any[] = [unflatten(outTree, outs), jvpFn];
  if (opts.hasAux) res.push(box.aux);
  return res;
}

function argnumsList(argnums: number | readonly number[] | undefined): number[] {
  const a = argnums ?? 0;
  return typeof a === 'number' ? [a] : [...a];
}

function checkArgnums(argnums: number | readonly number[] | undefined, nargs: number): number[] {
  const nums = argnumsList(argnums);
  const max = Math.max(...nums);
  if (max >= nargs) {
    const shown = typeof argnums === 'number' || argnums === undefined ? `${argnums ?? 0}` : `(${nums.join(', ')}${nums.length === 1 ? ',' : ''})`;
    throw new TypeError(`differentiating with respect to argnums=${shown} requires at least ${max + 1} positional arguments to be passed by the caller, but got only ${nargs} positional arguments.`);
  }
  return nums.map((n) => (n < 0 ? n + nargs : n));
}

/** `f` as a function of the arguments at `nums` only, the others fixed (JAX's argnums_partial). */
function partialAt(f: Fn, args: unknown[], nums: number[]): Fn {
  return (...dyn: unknown[]) => {
    const full = [...args];
    nums.forEach((n, k) => { full[n] = dyn[k]; });
    return f(...full);
  };
}

function checkInputDtype(api: string, allowInt: boolean, x: unknown): void {
  const a = arrayLeaf(x, api, 'arguments');
  if (!isFloat(a.dtype) && !allowInt) {
    throw new TypeError(`${api} requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ${a.dtype}. ` +
      'If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.');
  }
}

/**
 * `valueAndGrad(f, {argnums, hasAux, allowInt})(...args)` → `[value, grads]`, or
 * `[[value, aux], grads]` with hasAux. grads is shaped like the argument at `argnums` (a list of
 * them for a list of argnums).
 */
export function valueAndGrad(f: Fn, opts: GradOptions = {}): (...args: any[]) => any {
  if (typeof f !== 'function') throw new TypeError(`Expected a callable value, got ${describeValue(f)}`);
  return (...args: any[]) => {
    const nums = checkArgnums(opts.argnums, args.length);
    const dyn = nums.map((n) => args[n]);
    for (const leaf of flatten(dyn)[0]) checkInputDtype('grad', !!opts.allowInt, leaf);
    const res = vjp(partialAt(f, args, nums), ...dyn, { hasAux: !!opts.hasAux });
    const [ans, vjpFn] = res;
    if (!(ans instanceof ArrayBase) && typeof ans !== 'number') {
      throw new TypeError(`Gradient only defined for scalar-output functions. Output was ${describeValue(ans)}.`);
    }
    const out = arrayLeaf(ans, 'grad', 'the output');
    if (out.ndim !== 0) {
      throw new TypeError(`Gradient only defined for scalar-output functions. Output had shape: [${out.shape}]. ` +
        'To differentiate a function with a non-scalar output, use vjp (a vector-Jacobian product) or jacrev (the whole Jacobian).');
    }
    if (!isFloat(out.dtype)) {
      throw new TypeError(`grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${out.dtype}. ` +
        'For differentiation of functions with integer outputs, use jax.vjp directly.');
    }
    const grads = vjpFn(scalarConstant(1, out.dtype, out.weakType)) as unknown[];
    const g = typeof (opts.argnums ?? 0) === 'number' ? grads[0] : grads;
    return [opts.hasAux ? [ans, res[2]] : ans, g];
  };
}

/** `grad(f, {argnums, hasAux, allowInt})(...args)` → the gradient (`[grads, aux]` with hasAux). */
export function grad(f: Fn, opts: GradOptions = {}): (...args: any[]) => any {
  const vg = valueAndGrad(f, opts);
  return (...args: any[]) => {
    const [va, g] = vg(...args);
    return opts.hasAux ? [g, va[1]] : g;
  };
}

export interface JacOptions { argnums?: number | readonly number[]; hasAux?: boolean }

/** Rebuilds JAX's Jacobian structure: the output's tree, each leaf the (argnums-shaped) input tree. */
function jacobianTree(jac: ArrayBase[][], outTree: PyTreeDef, inTree: PyTreeDef): unknown {
  return unflatten(outTree, jac.map((row) => unflatten(inTree, row)));
}

/**
 * JAX's `_std_basis`: the rows of an N×N identity (N = total size of `leaves`), split into one
 * array per leaf shaped `[N, ...leaf.shape]`.
 */
function stdBasis(leaves: ArrayBase[]): ArrayBase[] {
  const n = leaves.reduce((s, l) => s + l.size, 0);
  const dtype = leaves.find((l) => isFloat(l.dtype))?.dtype ?? 'float32';
  const eye = lax.convertElementType(lax.eq(lax.broadcastedIota('int32', [n, n], 0), lax.broadcastedIota('int32', [n, n], 1)), dtype);
  let offset = 0;
  return leaves.map((l) => {
    const cols = leaves.length === 1 ? eye : lax.slice(eye, [0, offset], [n, offset + l.size]);
    offset += l.size;
    return lax.reshape(cols, [n, ...l.shape]);
  });
}

/** Splits axis `axis` (of total size Σ sizes) of `arr` into one piece per leaf, reshaped to `[...before, ...leaf.shape, ...after]`. */
function unravelAxis(arr: ArrayBase, axis: number, leaves: ArrayBase[]): ArrayBase[] {
  const before = arr.shape.slice(0, axis), after = arr.shape.slice(axis + 1);
  let offset = 0;
  return leaves.map((l) => {
    const piece = leaves.length === 1 ? arr : lax.slice(arr, arr.shape.map((_, d) => (d === axis ? offset : 0)), arr.shape.map((s, d) => (d === axis ? offset + l.size : s)));
    offset += l.size;
    return lax.reshape(piece, [...before, ...l.shape, ...after]);
  });
}

/** The dynamic arguments of a Jacobian, `f` as a function of their leaves, and the structures. */
function jacobianSetup(api: string, f: Fn, opts: JacOptions, args: any[]) {
  const nums = checkArgnums(opts.argnums, args.length);
  const single = typeof (opts.argnums ?? 0) === 'number';
  const dynArgs = single ? args[nums[0]] : nums.map((n) => args[n]);
  const [inLeavesRaw, inTree] = flatten(dynArgs);
  const inLeaves = inLeavesRaw.map((x) => arrayLeaf(x, api, 'arguments'));
  const box: { outTree?: PyTreeDef; aux?: unknown } = {};
  const full = (...xs: unknown[]) => {
    const a = [...args];
    const dyn = unflatten(inTree, xs);
    if (single) a[nums[0]] = dyn; else nums.forEach((n, k) => { a[n] = (dyn as unknown[])[k]; });
    return f(...a);
  };
  const flatF = flatOutputs(full, PyTreeDefOfList(inLeaves.length), !!opts.hasAux, api, box);
  return { inLeaves, inTree, flatF, box };
}

/** `jacfwd(f, {argnums, hasAux})`: the Jacobian by forward mode, a vmap of jvp over the input basis (as JAX). */
export function jacfwd(f: Fn, opts: JacOptions = {}): (...args: any[]) => any {
  return (...args: any[]) => {
    const { inLeaves, inTree, flatF, box } = jacobianSetup('jacfwd', f, opts, args);
    for (const x of inLeaves) {
      if (!isFloat(x.dtype)) throw new TypeError(`jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${x.dtype}. For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly.`);
    }
    let aux: unknown;
    const pushfwd = (...basis: ArrayBase[]): ArrayBase[] => {
      const [, tangents] = jvpFlat(flatF, inLeaves, basis, { instantiate: true });
      aux = box.aux;
      return tangents as ArrayBase[];
    };
    const jacs = vmap(pushfwd)(...stdBasis(inLeaves)) as ArrayBase[]; // per output: [N, ...out.shape]
    const jac = jacs.map((j) => {
      const moved = j.ndim === 1 ? j : lax.transpose(j, [...j.shape.slice(1).map((_, d) => d + 1), 0]);
      return unravelAxis(moved, moved.ndim - 1, inLeaves);
    });
    const res = jacobianTree(jac, box.outTree!, inTree);
    return opts.hasAux ? [res, aux] : res;
  };
}

/** `jacrev(f, {argnums, hasAux})`: the Jacobian by reverse mode, a vmap of the vjp over the output basis (as JAX). */
export function jacrev(f: Fn, opts: JacOptions = {}): (...args: any[]) => any {
  return (...args: any[]) => {
    const { inLeaves, inTree, flatF, box } = jacobianSetup('jacrev', f, opts, args);
    for (const x of inLeaves) checkInputDtype('jacrev', false, x);
    const [outs, backward] = vjpFlat(flatF, inLeaves);
    const pullback = (...cts: ArrayBase[]): ArrayBase[] => backward(cts).map(instantiateZeros);
    const cts = vmap(pullback)(...stdBasis(outs)) as ArrayBase[]; // per input: [M, ...in.shape]
    const perInput = cts.map((c) => unravelAxis(c, 0, outs)); // [input][output]
    const jac = outs.map((_, i) => inLeaves.map((_, j) => perInput[j][i]));
    const res = jacobianTree(jac, box.outTree!, inTree);
    return opts.hasAux ? [res, box.aux] : res;
  };
}

/** `hessian(f, {argnums, hasAux})` = `jacfwd(jacrev(f))`. */
export function hessian(f: Fn, opts: JacOptions = {}): (...args: any[]) => any {
  return jacfwd(jacrev(f, opts), { argnums: opts.argnums, hasAux: opts.hasAux });
}

/** The structure of a flat list of n leaves (the flat functions' argument lists). */
function PyTreeDefOfList(n: number): PyTreeDef {
  return flatten(new globalThis.Array(n).fill(0))[1];
}

export { isZero };
