// dot_general: batched tensor contraction, XLA's DotGeneral.
// dimension_numbers = [[lhs_contracting, rhs_contracting], [lhs_batch, rhs_batch]]; the result
// dims are (batch..., lhs free..., rhs free...).

import { ShapedArray } from '../../core/aval.js';
import { type DType, checkDType, isBool } from '../../core/dtype.js';
import { definePrimitive } from '../../core/primitive.js';
import { shapeStr } from '../../core/shape.js';

export type DotDimensionNumbers = [[number[], number[]], [number[], number[]]];

/** An operand's dims split into the batch, row and column dims of a stack of matrices. */
export interface MatrixDims { batch: number[]; rows: number[]; cols: number[] }

/**
 * dot_general as the batched matmul both backends compute: lhs as a [B, M, K] stack of matrices
 * (batch, free, contracting dims), rhs as [B, K, N] (batch, contracting, free dims). Their product
 * [B, M, N] is the result in row-major order: (batch…, lhs free…, rhs free…).
 */
export function batchedMatmulView(lhsShape: readonly number[], rhsShape: readonly number[], [[lc, rc], [lb, rb]]: DotDimensionNumbers) {
  const lfree = lhsShape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rfree = rhsShape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const product = (shape: readonly number[], dims: number[]) => dims.reduce((p, d) => p * shape[d], 1);
  const lhs: MatrixDims = { batch: lb, rows: lfree, cols: lc };
  const rhs: MatrixDims = { batch: rb, rows: rc, cols: rfree };
  return { B: product(lhsShape, lb), M: product(lhsShape, lfree), K: product(lhsShape, lc), N: product(rhsShape, rfree), lhs, rhs };
}

export const dot_general = definePrimitive<{ dimension_numbers: DotDimensionNumbers; precision?: null; preferred_element_type: DType | null; out_sharding?: null }>({
  name: 'dot_general',
  abstractEval([a, b], { dimension_numbers, preferred_element_type }) {
    const [[lc, rc], [lb, rb]] = dimension_numbers;
    const check = (dims: number[], x: ShapedArray, what: string) => {
      if (dims.some((d) => d < 0 || d >= x.ndim) || new Set(dims).size !== dims.length) {
        throw new TypeError(`dot_general requires ${what} dimension numbers to be unique and in range for shape ${shapeStr(x.shape)}, got ${shapeStr(dims)}.`);
      }
    };
    check(lc, a, 'lhs contracting'); check(rc, b, 'rhs contracting'); check(lb, a, 'lhs batch'); check(rb, b, 'rhs batch');
    if (lc.length !== rc.length) throw new TypeError(`dot_general requires equal numbers of lhs and rhs contracting dimensions, got lhs_contracting_dimensions ${shapeStr(lc)} and rhs_contracting_dimensions ${shapeStr(rc)}.`);
    if (lb.length !== rb.length) throw new TypeError(`dot_general requires equal numbers of lhs and rhs batch dimensions, got lhs_batch_dimensions ${shapeStr(lb)} and rhs_batch_dimensions ${shapeStr(rb)}.`);
    const lcs = lc.map((d) => a.shape[d]), rcs = rc.map((d) => b.shape[d]);
    if (lcs.join() !== rcs.join()) throw new TypeError(`dot_general requires contracting dimensions to have the same shape, got ${shapeStr(lcs)} and ${shapeStr(rcs)}.`);
    const lbs = lb.map((d) => a.shape[d]), rbs = rb.map((d) => b.shape[d]);
    if (lbs.join() !== rbs.join()) throw new TypeError(`dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got ${shapeStr(lbs)} and ${shapeStr(rbs)}.`);
    if (a.dtype !== b.dtype) throw new TypeError(`dot_general requires operands of the same dtype, got ${a.dtype} and ${b.dtype}; np.dot/np.matmul promote for you.`);
    const lfree = a.shape.filter((_, i) => !lc.includes(i) && !lb.includes(i));
    const rfree = b.shape.filter((_, i) => !rc.includes(i) && !rb.includes(i));
    const dtype = preferred_element_type ? checkDType(preferred_element_type, 'dot_general') : a.dtype;
    if (isBool(dtype)) throw new TypeError('dot_general does not accept bool operands; cast to int32 or float32 first.');
    return [new ShapedArray([...lbs, ...lfree, ...rfree], dtype, a.weakType && b.weakType)];
  },
});

// ---- batching rules ----------------------------------------------------------------------------
// JAX's _dot_general_batch_rule: two mapped operands add a dot_general batch dim (first); one mapped
// operand makes its mapped axis a free (tensor) dim of the result.
import { defineBatch } from '../../core/primitive.js';
import { bind1 as bindPrim } from '../../core/trace.js';

defineBatch(dot_general, ([lhs, rhs], [lbd, rbd], params) => {
  let [[lc, rc], [lb, rb]] = params.dimension_numbers;
  const bump = (dims: number[], b: number) => dims.map((d) => d + (d >= b ? 1 : 0));
  let outDim: number;
  if (lbd !== null && rbd !== null) {
    lb = [lbd, ...bump(lb, lbd)];
    rb = [rbd, ...bump(rb, rbd)];
    lc = bump(lc, lbd);
    rc = bump(rc, rbd);
    outDim = 0;
  } else if (lbd !== null) {
    const lhsTensor = [...Array(lhs.ndim).keys()].filter((d) => !lb.includes(d) && !lc.includes(d));
    outDim = lb.length + lhsTensor.filter((d) => d < lbd).length;
    lb = bump(lb, lbd);
    lc = bump(lc, lbd);
  } else {
    const r = rbd!;
    const rhsTensor = [...Array(rhs.ndim).keys()].filter((d) => !rb.includes(d) && !rc.includes(d));
    outDim = lhs.ndim - lc.length + rhsTensor.filter((d) => d < r).length;
    rb = bump(rb, r);
    rc = bump(rc, r);
  }
  return [[bindPrim(dot_general, [lhs, rhs], { ...params, dimension_numbers: [[lc, rc], [lb, rb]] })], [outDim]];
});

// ---- JVP and transpose rules -------------------------------------------------------------------
// JAX's defbilinear(dot_general_p, _dot_general_transpose_lhs, _dot_general_transpose_rhs): the
// cotangent of one operand is a dot_general of the output cotangent with the other operand,
// followed by the transpose that puts its dims back in the operand's order.
import type { ArrayBase } from '../../core/array_base.js';
import type { UndefinedPrimal } from '../../core/ad_util.js';
import { defbilinear, primitiveNamed } from '../../interpreters/jvp.js';
import { bind1 as bindAd } from '../../core/trace.js';

type DotParams = { dimension_numbers: DotDimensionNumbers; precision?: null; preferred_element_type: DType | null; out_sharding?: null };

function transposeLhs(g: ArrayBase, x: { aval: ShapedArray }, y: { aval: ShapedArray }, params: DotParams, swapAns = false): ArrayBase {
  const [[xContract, yContract], [xBatch, yBatch]] = params.dimension_numbers;
  const xNdim = x.aval.ndim, yNdim = y.aval.ndim;
  const remaining = (n: number, ...drop: number[][]) => [...Array(n).keys()].filter((d) => !drop.some((s) => s.includes(d)));
  const xKept = remaining(xNdim, xContract, xBatch);
  const yKept = remaining(yNdim, yContract, yBatch);
  const rangesLike = (...xs: number[][]) => {
    let start = 0;
    return xs.map((s) => { const r = s.map((_, i) => start + i); start += s.length; return r; });
  };
  let ansBatch: number[], ansY: number[];
  if (swapAns) [ansBatch, ansY] = rangesLike(xBatch, yKept, xKept);
  else { const r = rangesLike(xBatch, xKept, yKept); ansBatch = r[0]; ansY = r[2]; }
  const dims: DotDimensionNumbers = [[ansY, yKept], [ansBatch, yBatch]];
  const argsortY = [...yContract.keys()].sort((a, b) => yContract[a] - yContract[b]);
  const xContractSortedByY = argsortY.map((i) => xContract[i]);
  const unsorted = [...xBatch, ...xKept, ...xContractSortedByY];
  const outAxes = [...unsorted.keys()].sort((a, b) => unsorted[a] - unsorted[b]);
  const out = bindAd(dot_general, [g, y as ArrayBase], { ...params, dimension_numbers: dims });
  let xBar = outAxes.every((p, i) => p === i) ? out : bindAd(primitiveNamed('transpose'), [out], { permutation: outAxes });
  if (xBar.dtype !== x.aval.dtype) {
    xBar = bindAd(primitiveNamed('convert_element_type'), [xBar], { new_dtype: x.aval.dtype, weak_type: x.aval.weakType, sharding: null });
  }
  return xBar;
}

function transposeRhs(g: ArrayBase, x: ArrayBase, y: UndefinedPrimal, params: DotParams): ArrayBase {
  const [[xContract, yContract], [xBatch, yBatch]] = params.dimension_numbers;
  return transposeLhs(g, y, x, { ...params, dimension_numbers: [[yContract, xContract], [yBatch, xBatch]] }, true);
}

defbilinear(dot_general, (g, x, y, params) => transposeLhs(g, x, y, params), (g, x, y, params) => transposeRhs(g, x, y, params));
