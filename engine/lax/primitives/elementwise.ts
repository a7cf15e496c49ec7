// Pointwise primitives: one entry per primitive, its abstract evaluation beside its formulas.
//
// Formulas: `cpu` maps JS numbers (computed in double precision; the cpu backend rounds to the
// output dtype when storing) and `wgsl` builds a WGSL expression in the *compute* type of each
// dtype: f32 for float32 and float16 (f16 is loaded to f32 and rounded back on store), i32, u32,
// and WGSL `bool` for bool. Helpers named in `wgslHelpers` come from ./wgsl_helpers.ts.

import { ShapedArray } from '../../core/aval.js';
import { type DType, isFloat, isBool, isUnsigned, checkDType } from '../../core/dtype.js';
import { definePrimitive, type ElementwiseRule, type ElementwiseContext } from '../../core/primitive.js';
import { allWeak, checkDTypeClass, checkSameDTypes, elementwiseShape, type DTypeClass } from './rules.js';

type Rule = ElementwiseRule;

function unary(name: string, classes: DTypeClass[], elementwise: Rule, outDtype?: (d: DType) => DType) {
  return definePrimitive({
    name,
    abstractEval([x]) {
      checkDTypeClass(name, [x], classes);
      return [new ShapedArray(x.shape, outDtype ? outDtype(x.dtype) : x.dtype, outDtype ? false : x.weakType)];
    },
    elementwise,
  });
}

function nary(name: string, classes: DTypeClass[], elementwise: Rule, outDtype?: (d: DType) => DType) {
  return definePrimitive({
    name,
    abstractEval(avals) {
      checkDTypeClass(name, avals, classes);
      const d = checkSameDTypes(name, avals);
      const shape = elementwiseShape(name, avals);
      return [new ShapedArray(shape, outDtype ? outDtype(d) : d, outDtype ? false : allWeak(avals))];
    },
    elementwise,
  });
}

const F: DTypeClass[] = ['floating'];
const NUM: DTypeClass[] = ['integer', 'floating'];
const SIGNED_NUM: DTypeClass[] = ['signed'];
const INT_BOOL: DTypeClass[] = ['integer', 'bool'];
const ANY: DTypeClass[] = ['any'];
const toBool = () => 'bool' as DType;

/** A float formula with the same JS and WGSL function name (Math.exp / exp). */
const fn1 = (js: (x: number) => number, w: string): Rule => ({ cpu: () => js, wgsl: (_c, a) => `${w}(${a})` });
const infix = (js: (a: number, b: number) => number, op: string): Rule => ({ cpu: () => js, wgsl: (_c, a, b) => `(${a} ${op} ${b})` });

const isIntCtx = (c: ElementwiseContext) => !isFloat(c.inDtypes[0]) && !isBool(c.inDtypes[0]);
const isU32 = (c: ElementwiseContext) => isUnsigned(c.inDtypes[0]);

// ---- arithmetic ------------------------------------------------------------------------------
export const neg = unary('neg', NUM, { cpu: (c) => (isU32(c) ? (x) => (-x) >>> 0 : (x) => -x), wgsl: (c, a) => (isU32(c) ? `(0u - ${a})` : `(-${a})`) });
export const add = nary('add', NUM, infix((a, b) => a + b, '+'));
export const sub = nary('sub', NUM, infix((a, b) => a - b, '-'));
export const mul = nary('mul', NUM, {
  cpu: (c) => (isIntCtx(c) ? (a, b) => Math.imul(a, b) : (a, b) => a * b),
  wgsl: (_c, a, b) => `(${a} * ${b})`,
});
export const div = nary('div', NUM, {
  // Integer division rounds toward zero, as lax.div does.
  cpu: (c) => (isIntCtx(c) ? (a, b) => (b === 0 ? -1 : Math.trunc(a / b)) : (a, b) => a / b),
  wgsl: (_c, a, b) => `(${a} / ${b})`,
});
export const max = nary('max', ANY, {
  // lax.max propagates NaN; WGSL's max does not promise that.
  cpu: () => (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  wgsl: (c, a, b) => (isFloat(c.inDtypes[0]) ? `select(max(${a}, ${b}), ${a} + ${b}, (${a} != ${a}) || (${b} != ${b}))` : isBool(c.inDtypes[0]) ? `(${a} || ${b})` : `max(${a}, ${b})`),
});
export const min = nary('min', ANY, {
  cpu: () => (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  wgsl: (c, a, b) => (isFloat(c.inDtypes[0]) ? `select(min(${a}, ${b}), ${a} + ${b}, (${a} != ${a}) || (${b} != ${b}))` : isBool(c.inDtypes[0]) ? `(${a} && ${b})` : `min(${a}, ${b})`),
});

// ---- transcendental (float only) -------------------------------------------------------------
export const exp = unary('exp', F, fn1(Math.exp, 'exp'));
export const log = unary('log', F, fn1(Math.log, 'log'));
export const sin = unary('sin', F, fn1(Math.sin, 'sin'));
export const cos = unary('cos', F, fn1(Math.cos, 'cos'));
export const acos = unary('acos', F, fn1(Math.acos, 'acos'));
export const tanh = unary('tanh', F, fn1(Math.tanh, 'tanh'));
export const sqrt = unary('sqrt', F, fn1(Math.sqrt, 'sqrt'));

// ---- comparisons -----------------------------------------------------------------------------
export const eq = nary('eq', ANY, infix((a, b) => +(a === b), '=='), toBool);
export const ne = nary('ne', ANY, infix((a, b) => +(a !== b), '!='), toBool);
export const lt = nary('lt', ANY, infix((a, b) => +(a < b), '<'), toBool);
export const le = nary('le', ANY, infix((a, b) => +(a <= b), '<='), toBool);
export const gt = nary('gt', ANY, infix((a, b) => +(a > b), '>'), toBool);
export const ge = nary('ge', ANY, infix((a, b) => +(a >= b), '>='), toBool);

// ---- selection and conversion ----------------------------------------------------------------
/** select_n(which, *cases): cases[which]. `which` is bool (2 cases) or int32. */
export const select_n = definePrimitive({
  name: 'select_n',
  abstractEval([which, ...cases]) {
    if (cases.length === 0) throw new TypeError('select_n requires at least one case.');
    if (!(isBool(which.dtype) || which.dtype === 'int32' || which.dtype === 'uint32')) {
      throw new TypeError(`select_n which must be boolean or integer type, got ${which.dtype}.`);
    }
    if (isBool(which.dtype) && cases.length > 2) throw new TypeError('select_n with a boolean predicate allows at most 2 cases.');
    if (cases.some((c) => c.shape.join() !== cases[0].shape.join())) {
      throw new TypeError(`select cases must have the same shapes, got [${cases.map((c) => `(${c.shape.join(', ')}${c.ndim === 1 ? ',' : ''})`).join(', ')}].`);
    }
    if (cases.some((c) => c.dtype !== cases[0].dtype)) {
      throw new TypeError(`select cases must have the same dtypes, got [${cases.map((c) => c.dtype).join(', ')}].`);
    }
    if (which.ndim !== 0 && which.shape.join() !== cases[0].shape.join()) {
      throw new TypeError(`select \`which\` must be scalar or have the same shape as cases, got \`which\` shape (${which.shape.join(', ')}) but case shape (${cases[0].shape.join(', ')}).`);
    }
    return [new ShapedArray(cases[0].shape, cases[0].dtype, allWeak(cases))];
  },
  elementwise: {
    cpu: () => (w, ...cs) => cs[w],
    wgsl: (c, w, ...cs) => {
      if (cs.length === 1) return cs[0];
      const cond = isBool(c.inDtypes[0]) ? w : `(${w} == 1)`;
      if (cs.length === 2) return `select(${cs[0]}, ${cs[1]}, ${cond})`;
      // n-way: nested selects on the integer index
      let e = cs[cs.length - 1];
      for (let i = cs.length - 2; i >= 0; i--) e = `select(${e}, ${cs[i]}, ${w} == ${c.inDtypes[0] === 'uint32' ? `${i}u` : `${i}`})`;
      return e;
    },
  },
});

/** convert_element_type[new_dtype, weak_type]: casts, with JAX's float→int truncation and saturation. */
export const convert_element_type = definePrimitive<{ new_dtype: DType; weak_type: boolean; sharding?: null }>({
  name: 'convert_element_type',
  abstractEval([x], { new_dtype, weak_type }) {
    const d = checkDType(new_dtype, 'convert_element_type');
    return [new ShapedArray(x.shape, d, !!weak_type)];
  },
  elementwise: {
    cpu: (c) => {
      const from = c.inDtypes[0], to = c.outDtype;
      if (to === 'bool') return (x) => +(x !== 0);
      if ((to === 'int32' || to === 'uint32') && isFloat(from)) {
        const lo = to === 'int32' ? -2147483648 : 0, hi = to === 'int32' ? 2147483647 : 4294967295;
        return (x) => (Number.isNaN(x) ? 0 : Math.min(hi, Math.max(lo, Math.trunc(x))));
      }
      return (x) => x;
    },
    wgsl: (c, a) => {
      const to = c.outDtype, from = c.inDtypes[0];
      if (to === 'bool') return isBool(from) ? a : `(${a} != ${isFloat(from) ? '0.0' : isUnsigned(from) ? '0u' : '0'})`;
      const t = to === 'int32' ? 'i32' : to === 'uint32' ? 'u32' : 'f32';
      if (isBool(from)) return `select(${t}(0), ${t}(1), ${a})`;
      return `${t}(${a})`;
    },
  },
});
