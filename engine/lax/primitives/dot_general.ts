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
