// Shared abstract-evaluation helpers for the primitive definitions in this folder.

import type { ShapedArray } from '../../core/aval.js';
import { type DType, isFloat, isInteger, isBool, isUnsigned } from '../../core/dtype.js';
import { ShapeError, shapeStr } from '../../core/shape.js';

export type DTypeClass = 'floating' | 'integer' | 'bool' | 'signed' | 'unsigned' | 'any';
const CLASS_TEST: Record<DTypeClass, (d: DType) => boolean> = {
  floating: isFloat,
  integer: isInteger,
  signed: (d) => d === 'int32' || isFloat(d),
  unsigned: isUnsigned,
  bool: isBool,
  any: () => true,
};
const CLASS_NAME: Record<DTypeClass, string> = {
  floating: 'floating', integer: 'integer', bool: 'bool', signed: 'signedinteger, floating', unsigned: 'unsignedinteger', any: 'generic',
};

/** JAX's "exp does not accept dtype int32. Accepted dtypes are subtypes of floating, complexfloating." */
export function checkDTypeClass(prim: string, avals: ShapedArray[], classes: DTypeClass[], position?: number): void {
  avals.forEach((a, i) => {
    if (classes.some((c) => CLASS_TEST[c](a.dtype))) return;
    const names = classes.map((c) => CLASS_NAME[c]).join(', ');
    const pos = avals.length > 1 || position !== undefined ? ` at position ${position ?? i}` : '';
    throw new TypeError(`${prim} does not accept dtype ${a.dtype}${pos}. Accepted dtypes${pos} are subtypes of ${names}` +
      `${classes.includes('floating') ? ', complexfloating' : ''}. Convert with x.astype(...) first.`);
  });
}

/** The jnp function that promotes for each binary lax primitive, for the tip in dtype errors. */
const JNP_NAME: Record<string, string> = {
  add: 'add', sub: 'subtract', mul: 'multiply', div: 'divide', rem: 'remainder', pow: 'power', max: 'maximum',
  min: 'minimum', atan2: 'arctan2', nextafter: 'nextafter', eq: 'equal', ne: 'notEqual', lt: 'less',
  le: 'lessEqual', gt: 'greater', ge: 'greaterEqual', and: 'bitwiseAnd', or: 'bitwiseOr', xor: 'bitwiseXor',
  shift_left: 'leftShift', shift_right_arithmetic: 'rightShift', shift_right_logical: 'rightShift',
};

export function checkSameDTypes(prim: string, avals: ShapedArray[]): DType {
  const d = avals[0].dtype;
  if (avals.some((a) => a.dtype !== d)) {
    const tip = JNP_NAME[prim] ? ` (Tip: np.${JNP_NAME[prim]} is a similar function that does automatic type promotion on inputs).` : ' Convert the operands to one dtype with astype first.';
    throw new TypeError(`lax.${prim} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(', ')}.${tip}`);
  }
  return d;
}

/**
 * The result shape of an n-ary elementwise primitive. As in lax, operands must have equal ranks
 * (rank-0 operands broadcast), and each dimension must agree or be 1.
 */
export function elementwiseShape(prim: string, avals: ShapedArray[]): number[] {
  const shaped = avals.filter((a) => a.ndim > 0);
  if (shaped.length === 0) return [];
  const rank = shaped[0].ndim;
  const bad = () => new ShapeError(`${prim} got incompatible shapes for broadcasting: ${avals.map((a) => shapeStr(a.shape)).join(', ')}. ` +
    'Make the shapes equal (or 1 where they differ), e.g. with reshape or broadcast_in_dim; np.* functions broadcast for you.');
  if (shaped.some((a) => a.ndim !== rank)) {
    throw new ShapeError(`${prim}: arrays must have the same number of dimensions, got {${[...new Set(shaped.map((a) => a.ndim))].join(', ')}}. ` +
      'Add leading axes with reshape or expandDims (np.* functions broadcast ranks for you).');
  }
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = new Set(shaped.map((a) => a.shape[i]));
    dims.delete(1);
    if (dims.size > 1) throw bad();
    out.push(dims.size ? [...dims][0] : 1);
  }
  return out;
}

/** JAX's standard weak-type rule: the result is weak when every operand is. */
export const allWeak = (avals: ShapedArray[]) => avals.length > 0 && avals.every((a) => a.weakType);

export function tupleParam(prim: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) {
    throw new TypeError(`${prim}: parameter ${name} must be a list of integers, got ${JSON.stringify(v)}.`);
  }
  return v as number[];
}

export function checkPermutation(prim: string, perm: number[], ndim: number, shape: readonly number[]): void {
  const ok = perm.length === ndim && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) {
    throw new TypeError(`${prim} permutation isn't a permutation of operand dimensions, got permutation ${shapeStr(perm)} for operand shape ${shapeStr(shape)}.`);
  }
}

