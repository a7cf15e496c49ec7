// The JVP and transpose rules of the pointwise primitives (engine/lax/primitives/elementwise.ts)
// are JAX's formulas, equation for equation: for each single lax primitive, the jaxpr of its jvp and
// of the gradient of its sum must print exactly as JAX 0.10 prints them ("jaxprs" of
// test/golden/autodiff/values.json, written by values.py). This covers the shapes of the rules too:
// tangents of rank-0 and size-1 operands broadcast (`_maybe_broadcast`), their cotangents summed
// back (`_unbroadcast`), max/min's balanced ties, select_n's per-case cotangents, pow's integer
// exponent, integer_pow's special exponents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, lax, grad, jvp, makeJaxpr, type Array as TArray, type DType } from '../../engine/index.js';
import { loadGolden } from '../engine/helpers.js';

interface RuleJaxpr { name: string; args: { dtype: DType; shape: number[] }[]; jvp: string; grad?: string }
const golden = loadGolden('autodiff/values.json') as unknown as { jax_version: string; jaxprs: RuleJaxpr[] };

type Fn = (...a: TArray[]) => TArray;
const i32 = (...v: number[]) => np.array(v, { dtype: 'int32' });

const UNARY: Record<string, Fn> = {
  exp: lax.exp, exp2: lax.exp2, log: lax.log, log1p: lax.log1p, expm1: lax.expm1, sqrt: lax.sqrt, rsqrt: lax.rsqrt,
  cbrt: lax.cbrt, sin: lax.sin, cos: lax.cos, tan: lax.tan, asin: lax.asin, acos: lax.acos, atan: lax.atan,
  sinh: lax.sinh, cosh: lax.cosh, tanh: lax.tanh, asinh: lax.asinh, acosh: lax.acosh, atanh: lax.atanh,
  logistic: lax.logistic, erf: lax.erf, erf_inv: lax.erfInv,
  neg: lax.neg, sign: lax.sign, floor: lax.floor, ceil: lax.ceil, round: (x) => lax.round(x), abs: lax.abs, square: lax.square,
};

const PROGRAMS: Record<string, Fn> = {
  ...UNARY,
  integer_pow_3: (x) => lax.integerPow(x, 3),
  integer_pow_2: (x) => lax.integerPow(x, 2),
  integer_pow_0: (x) => lax.integerPow(x, 0),
  integer_pow_m2: (x) => lax.integerPow(x, -2),
  add: lax.add, sub: lax.sub, mul: lax.mul, div: lax.div, rem: lax.rem, pow: lax.pow, atan2: lax.atan2, max: lax.max, min: lax.min,
  add_scalar: lax.add, sub_scalar: lax.sub, mul_scalar: lax.mul, div_scalar: lax.div, mul_size1: lax.mul, add_size1: lax.add,
  pow_int: (x) => lax.pow(x, i32(2, 3, -1, 0)),
  select_n_bool: (x, y) => lax.selectN(np.array([true, false, true, false]), x, y),
  select_n_int: (x, y) => lax.selectN(i32(0, 2, 1, 2), x, y, lax.mul(x, y)),
  clamp: (lo, x, hi) => lax.clamp(lo, x, hi),
  convert_f16: (x) => lax.convertElementType(x, 'float16'),
};

test(`rule jaxprs (JAX ${golden.jax_version}): every program has a Tracelens function`, () => {
  assert.ok(golden.jaxprs.length >= 50, `only ${golden.jaxprs.length} programs`);
  assert.deepEqual(golden.jaxprs.filter((p) => !PROGRAMS[p.name]).map((p) => p.name), []);
});

for (const p of golden.jaxprs) {
  const f = PROGRAMS[p.name];
  const args = () => p.args.map((a) => np.zeros(a.shape, { dtype: a.dtype }));
  test(`${p.name}: jaxpr of jvp is JAX's`, () => {
    const n = p.args.length;
    const text = makeJaxpr((...pt: TArray[]) => jvp(f, pt.slice(0, n), pt.slice(n)))(...args(), ...args()).toString();
    assert.equal(text, p.jvp);
  });
  if (p.grad !== undefined) {
    test(`${p.name}: jaxpr of grad is JAX's`, () => {
      const n = p.args.length;
      const g = grad((...a: TArray[]) => np.sum(f(...a)), { argnums: n === 1 ? 0 : [...Array(n).keys()] });
      assert.equal(makeJaxpr(g)(...args()).toString(), p.grad);
    });
  }
}
