// Products: dot matmul vdot inner outer tensordot, each one dot_general (plus the squeezes and the
// transpose matmul needs for broadcast batch dims), as jax.numpy lowers them.

import type { Array } from '../core/array.js';
import { type DType, isBool } from '../core/dtype.js';
import { normalizeAxis, shapeStr } from '../core/shape.js';
import * as lax from '../lax/index.js';
import { scalarConstant } from '../lax/constants.js';
import { type ArrayLike, asArray, convertTo, resultType } from './coerce.js';
import { multiply } from './ufuncs.js';
import { ravel } from './shape_ops.js';

export interface DotOptions { preferredElementType?: DType | null }

/**
 * Operands in one dtype for dot_general (which, unlike XLA's, takes equal dtypes), the dtype the
 * product is returned in, and whether that result is weak. Bools multiply as int32 and are turned
 * back into bools by `contractionResult` (any of the pairwise ands). Shared with einsum.
 */
export function contractionOperands(fn: string, xs: readonly ArrayLike[], opts: DotOptions = {}): { operands: Array[]; out: DType; weak: boolean } {
  const t = resultType(...xs);
  const out = opts.preferredElementType ?? t.dtype;
  const compute = isBool(t.dtype) ? 'int32' : t.dtype;
  return { operands: xs.map((x) => convertTo(asArray(x, {}, fn), compute, false)), out, weak: !opts.preferredElementType && t.weakType };
}

/** The result of a contraction computed from `contractionOperands`, as dtype `out`. */
export function contractionResult(result: Array, out: DType, weak: boolean): Array {
  if (isBool(out) && !isBool(result.dtype)) return lax.ne(result, scalarConstant(0, result.dtype));
  return lax.convertElementType(result, out, { weakType: weak });
}

/** dot_general's preferred_element_type for a result of `dtype` (bool products stay int32 until `contractionResult`). */
export const preferred = (dtype: DType) => ({ preferredElementType: isBool(dtype) ? null : dtype });

/** np.dot: scalars multiply; otherwise contracts a's last axis with b's last (1-D b) or second-to-last axis. */
export function dot(x: ArrayLike, y: ArrayLike, opts: DotOptions = {}): Array {
  const { operands: [a, b], out, weak } = contractionOperands('dot', [x, y], opts);
  let contract: [number[], number[]];
  if (a.ndim === 0 || b.ndim === 0) contract = [[], []];
  else if (b.ndim === 1) contract = [[a.ndim - 1], [0]];
  else contract = [[a.ndim - 1], [b.ndim - 2]];
  if (contract[0].length && a.shape[contract[0][0]] !== b.shape[contract[1][0]]) {
    throw new TypeError(`dot: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} not aligned: ${a.shape[contract[0][0]]} (dim ${contract[0][0]}) != ${b.shape[contract[1][0]]} (dim ${contract[1][0]}).`);
  }
  const result = lax.dotGeneral(a, b, [contract, [[], []]], preferred(out));
  return contractionResult(result, out, weak);
}

/**
 * np.matmul (the `@` operator): matrix products over the last two axes, with NumPy broadcasting of
 * the batch axes in front; 1-D operands act as a row (left) or column (right) vector.
 */
export function matmul(x: ArrayLike, y: ArrayLike, opts: DotOptions = {}): Array {
  const { operands: [a0, b0], out, weak } = contractionOperands('matmul', [x, y], opts);
  for (const [v, side] of [[a0, 'first'], [b0, 'second']] as const) {
    if (v.ndim === 0) throw new TypeError(`matmul: Input operand 0 does not have enough dimensions (the ${side} operand is a scalar); use np.multiply or np.dot for scalars.`);
  }
  const aIsMat = a0.ndim > 1, bIsMat = b0.ndim > 1;
  const aK = a0.shape[a0.ndim - 1], bK = b0.shape[bIsMat ? b0.ndim - 2 : 0];
  if (aK !== bK) {
    throw new TypeError(`matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) ` +
      `(size ${bK} is different from ${aK}); shapes ${shapeStr(a0.shape)} and ${shapeStr(b0.shape)}.`);
  }
  let aBatch: (number | null)[] = aIsMat ? a0.shape.slice(0, -2) : [];
  let bBatch: (number | null)[] = bIsMat ? b0.shape.slice(0, -2) : [];
  const nBatch = Math.max(aBatch.length, bBatch.length);
  aBatch = [...new globalThis.Array<null>(nBatch - aBatch.length).fill(null), ...aBatch];
  bBatch = [...new globalThis.Array<null>(nBatch - bBatch.length).fill(null), ...bBatch];

  const aSqueeze: number[] = [], bSqueeze: number[] = [], bothSqueeze: number[] = [];
  const aBatchPos: number[] = [], bBatchPos: number[] = [];
  const idxBatch: number[] = [], idxAOther: number[] = [], idxBOther: number[] = [];
  for (let i = 0; i < nBatch; i++) {
    const ba = aBatch[i], bb = bBatch[i];
    if (ba === null) idxBOther.push(i);
    else if (bb === null) idxAOther.push(i);
    else if (ba === 1 && bb === 1) {
      aSqueeze.push(idxBatch.length + idxAOther.length + aSqueeze.length);
      bSqueeze.push(idxBatch.length + idxBOther.length + bSqueeze.length);
      bothSqueeze.push(i);
    } else if (ba === 1) {
      idxBOther.push(i);
      aSqueeze.push(idxBatch.length + idxAOther.length + aSqueeze.length);
    } else if (bb === 1) {
      idxAOther.push(i);
      bSqueeze.push(idxBatch.length + idxBOther.length + bSqueeze.length);
    } else if (ba === bb) {
      aBatchPos.push(idxBatch.length + idxAOther.length);
      bBatchPos.push(idxBatch.length + idxBOther.length);
      idxBatch.push(i);
    } else {
      throw new TypeError(`Incompatible shapes for matmul arguments: ${shapeStr(a0.shape)} and ${shapeStr(b0.shape)} ` +
        `(batch dimensions ${ba} and ${bb} differ and neither is 1).`);
    }
  }
  if (aIsMat) idxAOther.push(nBatch);
  if (bIsMat) idxBOther.push(nBatch + (aIsMat ? 1 : 0));
  const order = [...idxBatch, ...idxAOther, ...idxBOther];
  const perm = order.map((_, i) => i).sort((p, q) => order[p] - order[q]);

  const a = lax.squeeze(a0, aSqueeze), b = lax.squeeze(b0, bSqueeze);
  const prod = lax.dotGeneral(a, b, [[[a.ndim - 1], [b.ndim - 1 - (bIsMat ? 1 : 0)]], [aBatchPos, bBatchPos]], preferred(out));
  let result = lax.transpose(prod, perm);
  if (bothSqueeze.length) result = lax.expandDims(result, bothSqueeze);
  return contractionResult(result, out, weak);
}

/** The dot product of the flattened operands. */
export function vdot(x: ArrayLike, y: ArrayLike, opts: DotOptions = {}): Array {
  const a = asArray(x, {}, 'vdot'), b = asArray(y, {}, 'vdot');
  if (a.size !== b.size) throw new TypeError(`vdot: the operands must have the same size, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}.`);
  return dot(ravel(a), ravel(b), opts);
}

/** Contracts the last axis of a with the last axis of b. */
export function inner(x: ArrayLike, y: ArrayLike, opts: DotOptions = {}): Array {
  const { operands: [a, b], out, weak } = contractionOperands('inner', [x, y], opts);
  if (a.ndim === 0 || b.ndim === 0) return contractionResult(multiply(a, b), out, weak);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) {
    throw new TypeError(`inner: the last dimensions of shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} must match.`);
  }
  return contractionResult(lax.dotGeneral(a, b, [[[a.ndim - 1], [b.ndim - 1]], [[], []]], preferred(out)), out, weak);
}

/** outer(a, b)[i, j] = a.ravel()[i] * b.ravel()[j]. */
export function outer(x: ArrayLike, y: ArrayLike): Array {
  const a = ravel(asArray(x, {}, 'outer')), b = ravel(asArray(y, {}, 'outer'));
  return multiply(lax.broadcastInDim(a, [a.size, 1], [0]), lax.broadcastInDim(b, [1, b.size], [1]));
}

/**
 * tensordot(a, b, axes): axes = N contracts a's last N axes with b's first N; [[a axes], [b axes]]
 * names them.
 */
export function tensordot(x: ArrayLike, y: ArrayLike, axes: number | readonly [number | readonly number[], number | readonly number[]] = 2, opts: DotOptions = {}): Array {
  const { operands: [a, b], out, weak } = contractionOperands('tensordot', [x, y], opts);
  let ca: number[], cb: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > Math.min(a.ndim, b.ndim)) {
      throw new TypeError(`tensordot requires axes lie in range [0, ${Math.min(a.ndim, b.ndim)}] for arrays of shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}, got axes=${axes}.`);
    }
    ca = [...globalThis.Array(axes).keys()].map((i) => a.ndim - axes + i);
    cb = [...globalThis.Array(axes).keys()];
  } else {
    const list = (v: number | readonly number[]) => (typeof v === 'number' ? [v] : [...v]);
    ca = list(axes[0]).map((d) => normalizeAxis(d, a.ndim, 'tensordot'));
    cb = list(axes[1]).map((d) => normalizeAxis(d, b.ndim, 'tensordot'));
    if (ca.length !== cb.length) {
      throw new TypeError(`tensordot requires axes lists to have equal length, got ${shapeStr(ca)} and ${shapeStr(cb)}.`);
    }
  }
  return contractionResult(lax.dotGeneral(a, b, [[ca, cb], [[], []]], preferred(out)), out, weak);
}
