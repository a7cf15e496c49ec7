// Derivatives against JAX: for every case of test/golden/autodiff/values.json (written by
// values.py with JAX 0.10), the same function written with Tracelens' API is evaluated and
// differentiated with grad, jvp, jacfwd, jacrev and hessian on every device, and each result is
// compared with JAX's. Together the cases use every pointwise primitive (their JVP and transpose
// rules live in engine/lax/primitives/elementwise.ts) and the structural ones (reductions,
// dot_general, reshape/transpose, gather/scatter, concatenate, pad, sort, cumsum, dynamic_slice).
//
// Tolerances. Both sides compute in float32 but not with the same kernels (XLA's tanh/erf are
// approximations that Tracelens reproduces, the others are correctly rounded here and within an ulp
// or so in XLA; reductions may add in another order), and a derivative chains several such ops. An
// element a of a result is accepted against JAX's b when
//     |a - b| <= rtol * (|b| + max|B|)
// where max|B| is the largest magnitude in that result array (numpy's allclose with
// atol = rtol * max|B|), so that an element that cancels to near zero is judged on the scale of
// its array, not on its own. rtol by the case's class (1 float32 ulp = 2^-23 = 1.2e-7 relative):
//     exact           1e-6  arithmetic, structural and piecewise-linear functions: rounding and
//                           summation order only (the largest error seen, cpu and lavapipe, is
//                           1.9e-7 of the scale: ~1.6 ulp)
//     transcendental  4e-6  transcendental functions and their compositions, Hessians included:
//                           each op within a few ulp of XLA's on a GPU, several ops per derivative
//                           (largest seen 1.9e-7; most cases are bit-identical)
//     float16         2e-3  values rounded to float16 on the way: an ulp of float32 difference
//                           before a rounding may move the float16 result by one f16 ulp (2^-10)
// Integer and bool results must be equal; dtype, shape and weak type must match exactly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  numpy as np, lax, nn, grad, jvp, jacfwd, jacrev, hessian, Array as TArray,
} from '../../engine/index.js';
import { type EncodedArray, decodeData, forEachBackend, loadGolden, makeArray } from '../engine/helpers.js';

type Enc = EncodedArray | Enc[];
interface AdCase {
  name: string;
  tol: 'exact' | 'transcendental' | 'float16';
  args: EncodedArray[];
  out: Enc;
  grad: Enc;
  tangents: EncodedArray[];
  jvp: [Enc, Enc];
  jacfwd: Enc;
  jacrev: Enc;
  hessian?: Enc;
  prims: string[];
}
interface AdError { name: string; args: EncodedArray[]; error: string; message: string }
interface AdScalar { name: string; x: number; grad: EncodedArray; grad2: EncodedArray }
interface AdGolden { jax_version: string; cases: AdCase[]; errors: AdError[]; scalars: AdScalar[] }

const RTOL = { exact: 1e-6, transcendental: 4e-6, float16: 2e-3 } as const;

type Fn = (...a: TArray[]) => TArray;
const f32 = (...v: number[]) => np.array(v, { dtype: 'float32' });
const i32 = (...v: number[]) => np.array(v, { dtype: 'int32' });
const toF32 = (b: TArray) => lax.convertElementType(b, 'float32');

// The functions of values.py, in the same order, with the same constants.
const UNARY: Record<string, Fn> = {
  exp: lax.exp, exp2: lax.exp2, log: lax.log, log1p: lax.log1p, expm1: lax.expm1, sqrt: lax.sqrt, rsqrt: lax.rsqrt,
  cbrt: lax.cbrt, sin: lax.sin, cos: lax.cos, tan: lax.tan, asin: lax.asin, acos: lax.acos, atan: lax.atan,
  sinh: lax.sinh, cosh: lax.cosh, tanh: lax.tanh, asinh: lax.asinh, acosh: lax.acosh, atanh: lax.atanh,
  logistic: lax.logistic, erf: lax.erf, erf_inv: lax.erfInv,
};

const FUNCS: Record<string, Fn> = {
  ...UNARY,
  neg: (x) => lax.mul(lax.neg(x), x),
  sign: (x) => lax.mul(lax.sign(x), lax.square(x)),
  floor_ceil_round: (x) => np.add(np.add(np.add(lax.mul(x, lax.floor(x)), lax.mul(x, lax.ceil(x))), lax.mul(x, lax.round(x))),
    lax.mul(x, lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN))),
  abs: (x) => lax.mul(lax.abs(x), x),
  is_finite: (x) => lax.select(lax.isFinite(lax.div(f32(1, 1, 1, 1), lax.add(x, 1.5))), lax.mul(x, x), x),
  logical_ops: (x) => {
    const p = lax.bitwiseAnd(lax.gt(x, 0), lax.lt(x, 2));
    const q = lax.bitwiseOr(lax.bitwiseNot(lax.lt(x, -1)), lax.ge(x, 2.5));
    const r = lax.bitwiseXor(p, q);
    return lax.add(lax.mul(x, toF32(r)), lax.mul(lax.square(x), toF32(p)));
  },
  comparisons: (x, y) => {
    let s = lax.mul(x, toF32(lax.eq(x, y)));
    s = lax.add(s, lax.mul(y, toF32(lax.ne(x, y))));
    s = lax.add(s, lax.mul(lax.mul(x, y), toF32(lax.lt(x, y))));
    s = lax.add(s, lax.mul(lax.mul(x, x), toF32(lax.le(x, y))));
    s = lax.add(s, lax.mul(lax.mul(y, y), toF32(lax.gt(x, y))));
    return lax.add(s, lax.mul(lax.mul(lax.mul(x, y), y), toF32(lax.ge(x, y))));
  },
  int_ops: (x) => {
    const i = lax.convertElementType(x, 'int32');
    const j = lax.add(lax.add(lax.bitwiseAnd(lax.bitwiseNot(i), 7), lax.shiftLeft(i, 2)), lax.shiftRightArithmetic(i, 1));
    const k = lax.add(lax.bitwiseXor(lax.bitwiseOr(j, 1), 3), lax.shiftRightLogical(i, 1));
    return lax.mul(x, toF32(k));
  },
  bitcast_exponent: (x) => {
    const bits = lax.bitcastConvertType(x, 'int32');
    const e = lax.sub(lax.bitwiseAnd(lax.shiftRightLogical(bits, 23), 255), 127);
    return lax.mul(x, toF32(e));
  },
  add: (x, y) => lax.mul(lax.add(x, y), x),
  sub: (x, y) => lax.mul(lax.sub(x, y), y),
  mul: (x, y) => lax.mul(x, y),
  div: (x, y) => lax.div(x, y),
  rem: (x, y) => lax.mul(lax.rem(x, y), x),
  pow: (x, y) => lax.pow(x, y),
  pow_int_exponent: (x) => lax.pow(x, i32(2, 3, -1, 0)),
  integer_pow: (x) => [3, -2, 2, 1, 0, 5].map((k) => lax.integerPow(x, k)).reduce((a, b) => lax.add(a, b)),
  square: (x) => lax.mul(lax.square(x), x),
  max: (x, y) => lax.max(x, y),
  min: (x, y) => lax.min(x, y),
  max_min_smooth: (x, y) => lax.mul(lax.max(lax.mul(x, x), y), lax.min(x, lax.mul(y, y))),
  atan2: (x, y) => lax.atan2(x, y),
  broadcast_scalar_operand: (x, y) => lax.add(lax.mul(lax.add(x, y), lax.sub(x, y)), lax.div(x, y)),
  broadcast_size1_dims: (x, y, z) => lax.add(lax.mul(lax.add(x, y), z), lax.div(lax.sub(y, x), z)),
  select_n: (x, y) => {
    const which = i32(0, 2, 1, 2);
    const pred = np.array([true, false, true, false]);
    return lax.mul(lax.selectN(which, lax.mul(x, y), lax.selectN(pred, x, lax.mul(y, y)), lax.sin(x)), x);
  },
  clamp: (lo, x, hi) => lax.mul(lax.clamp(lo, x, hi), x),
  clamp_scalar_bounds: (x) => lax.add(lax.clamp(-1.0, lax.mul(x, x), 2.0), lax.clamp(-1.0, x, 1.25)),
  convert_float16: (x) => {
    const h = lax.convertElementType(x, 'float16');
    return lax.mul(lax.convertElementType(lax.mul(h, h), 'float32'), x);
  },
  softplus_chain: (x) => lax.add(lax.mul(lax.log1p(lax.exp(x)), lax.logistic(x)), lax.mul(lax.tanh(x), lax.sqrt(lax.exp2(x)))),
  chebyshev_t3: (x) => np.cos(np.multiply(3, np.arccos(x))),
  logsumexp_softmax: (x) => np.add(nn.logsumexp(x), np.multiply(nn.logSoftmax(x), nn.softmax(x))),
  mlp_tanh: (w, x, b) => np.tanh(np.add(np.matmul(w, x), b)),
  rosenbrock: (x) => {
    const head = x.index(':-1'), tail = x.index('1:');
    return np.add(np.multiply(100, np.square(np.subtract(tail, np.square(head)))), np.square(np.subtract(1, head)));
  },
  rational: (x, y) => np.subtract(
    np.divide(np.subtract(np.multiply(np.multiply(x, x), y), 1), np.add(np.add(np.multiply(y, y), x), 3)),
    np.divide(lax.integerPow(x, 3), y)),
  reductions: (x) => np.add(np.add(np.add(np.sum(np.multiply(x, x), { axis: 0 }),
    np.multiply(np.max(x, { axis: 0 }), np.min(x, { axis: 0 }))), np.prod(x, { axis: 0 })),
  np.mean(np.multiply(np.multiply(x, x), x), { axis: 0 })),
  reduce_max_all: (x) => np.add(np.multiply(np.max(np.sin(x)), np.min(x)), np.argmax(x).astype('float32')),
  var_std: (x) => np.add(np.var(x), np.multiply(np.std(x), x)),
  matmul: (a, b) => { const m = np.matmul(a, b); return np.multiply(m, m); },
  dot_vectors: (x, y) => np.multiply(np.dot(x, y), np.outer(x, y)),
  einsum_batched: (a, b) => np.einsum('bij,bjk->bik', a, b),
  reshape_transpose: (x) => np.multiply(np.sin(np.transpose(np.reshape(x, [2, 3]))), np.reshape(x.index('::-1'), [3, 2])),
  broadcast_expand_squeeze: (x, y) => {
    const m = np.multiply(np.expandDims(x, 0), np.expandDims(y, 1));
    return np.add(np.multiply(np.squeeze(np.sum(m, { axis: 1, keepdims: true }), 1), y), np.broadcastTo(x, [2, 3]).index(1, ':2'));
  },
  indexing: (x) => {
    const idx = i32(0, 2, 2, 4, 1);
    return np.add(np.add(np.multiply(x.index(idx), x), np.multiply(np.sum(x.index('1:4')), x.index('::-1'))), x.index(3));
  },
  take_gather_2d: (x) => np.multiply(x.index(i32(1, 0, 1), i32(2, 2, 0)), np.take(x, i32(2, 0), { axis: 1 }).index(0, 0)),
  at_add_set: (x, v) => {
    const y = x.at(i32(1, 3)).add(np.multiply(v, v));
    const z = y.at(i32(0)).set(np.multiply(v.index(0), x.index(2)));
    return np.multiply(z, x);
  },
  concatenate_stack: (x, y) => {
    const c = np.concatenate([np.multiply(x, x), y, np.multiply(x, y.index(0))]);
    return np.add(np.multiply(c, np.concatenate([y, x, x])), np.sum(np.stack([x, np.multiply(x, 2)]), { axis: 0 }).index(0));
  },
  pad: (x) => {
    const p = lax.pad(x, 0.5, [[2, -1, 1]]).index('1:');
    return np.add(np.multiply(p, p), np.pad(np.multiply(x, x), [1, 2]));
  },
  sort: (x) => np.multiply(np.sort(np.multiply(np.multiply(x, x), x)), np.arange(5, { dtype: 'float32' })),
  cumulative: (x) => np.add(np.add(np.cumsum(np.multiply(x, x)), np.cumprod(x)), np.cumsum(np.multiply(x.index('::-1'), x))),
  dynamic_slice_update: (x, u) => {
    const s = lax.dynamicSlice(x, [1], [3]);
    const y = lax.dynamicUpdateSlice(x, np.multiply(u, x.index(0)), [2]);
    return np.add(np.multiply(np.multiply(s, s), x.index(':3')), np.multiply(y.index('1:4'), u.index(1)));
  },
  where_maximum: (x) => np.add(np.add(np.where(np.greater(x, 0.6), np.multiply(x, x), np.sin(x)), np.multiply(np.maximum(x, 0), x)),
    nn.relu(np.multiply(x, 3))),
};

// Single lax functions differentiated at a JS number (a weakly typed scalar): "scalars" of values.py.
const SCALAR_FUNCS: Record<string, Fn> = {
  ...UNARY,
  abs: lax.abs,
  square: lax.square,
  integer_pow_3: (x) => lax.integerPow(x, 3),
  pow_2_5: (x) => lax.pow(x, 2.5),
  max_0_5: (x) => lax.max(x, 0.5),
  div_into_1_5: (x) => lax.div(1.5, x),
  atan2_0_5: (x) => lax.atan2(x, 0.5),
};

const golden = loadGolden<AdCase>('autodiff/values.json') as unknown as AdGolden;

// ---- comparison --------------------------------------------------------------------------------

async function compare(actual: unknown, expected: Enc, rtol: number, path: string, problems: string[]): Promise<void> {
  if (globalThis.Array.isArray(expected)) {
    if (!globalThis.Array.isArray(actual) || actual.length !== expected.length) {
      problems.push(`${path}: expected a list of ${expected.length}, got ${actual instanceof TArray ? `Array ${actual.dtype}[${actual.shape}]` : String(actual)}`);
      return;
    }
    for (let i = 0; i < expected.length; i++) await compare(actual[i], expected[i], rtol, `${path}[${i}]`, problems);
    return;
  }
  if (!(actual instanceof TArray)) { problems.push(`${path}: expected an Array, got ${String(actual)}`); return; }
  if (actual.dtype !== expected.dtype) problems.push(`${path}: dtype ${actual.dtype}, JAX gives ${expected.dtype}`);
  if (actual.shape.join() !== expected.shape.join()) { problems.push(`${path}: shape [${actual.shape}], JAX gives [${expected.shape}]`); return; }
  if (actual.weakType !== (expected.weak ?? false)) problems.push(`${path}: weak_type ${actual.weakType}, JAX gives ${expected.weak ?? false}`);
  const got = await actual.data();
  const want = decodeData(expected);
  const scale = want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  const floatish = expected.dtype.startsWith('float');
  let worst = -1, worstRatio = 1, bad = 0;
  for (let i = 0; i < want.length; i++) {
    const a = Number(got[i]), b = want[i];
    let ok: boolean;
    if (!floatish || !Number.isFinite(b) || Number.isNaN(a)) ok = Object.is(a, b) || (a === b);
    else ok = Math.abs(a - b) <= rtol * (Math.abs(b) + scale);
    if (!ok) {
      bad++;
      const ratio = Math.abs(a - b) / (rtol * (Math.abs(b) + scale) || 1);
      if (!(ratio <= worstRatio)) { worstRatio = ratio; worst = i; }
    }
  }
  if (bad) {
    problems.push(`${path}: ${bad} of ${want.length} elements off (rtol ${rtol}); worst element ${worst}: got ${got[worst]}, JAX gives ${want[worst]}` +
      ` (error ${(Math.abs(Number(got[worst]) - want[worst]) / (Math.abs(want[worst]) + scale)).toExponential(2)} of the scale)`);
  }
}

const argnumsOf = (n: number) => (n === 1 ? 0 : [...Array(n).keys()]);
const scalarOf = (f: Fn) => (...a: TArray[]) => np.sum(f(...a));

const TRANSFORMS: { name: keyof AdCase; run: (f: Fn, args: TArray[], c: AdCase) => unknown }[] = [
  { name: 'out', run: (f, args) => f(...args) },
  { name: 'grad', run: (f, args) => grad(scalarOf(f), { argnums: argnumsOf(args.length) })(...args) },
  { name: 'jvp', run: (f, args, c) => jvp(f, args, c.tangents.map((t) => makeArray(t))) },
  { name: 'jacfwd', run: (f, args) => jacfwd(f, { argnums: argnumsOf(args.length) })(...args) },
  { name: 'jacrev', run: (f, args) => jacrev(f, { argnums: argnumsOf(args.length) })(...args) },
  { name: 'hessian', run: (f, args) => hessian(scalarOf(f), { argnums: argnumsOf(args.length) })(...args) },
];

test(`autodiff golden file (JAX ${golden.jax_version}) has at least 40 cases, each with a Tracelens function`, () => {
  assert.ok(golden.cases.length >= 40, `only ${golden.cases.length} cases`);
  const missing = golden.cases.filter((c) => !FUNCS[c.name]).map((c) => c.name);
  assert.deepEqual(missing, [], 'cases of values.py without a function here');
  const hessians = golden.cases.filter((c) => c.hessian).length;
  assert.ok(hessians >= 40, `only ${hessians} cases with Hessians`);
});

forEachBackend((platform) => {
  for (const c of golden.cases) {
    for (const t of TRANSFORMS) {
      const expected = c[t.name] as Enc | undefined;
      if (expected === undefined) continue;
      test(`${platform} › ${c.name} › ${t.name} (${c.tol})`, async () => {
        const args = c.args.map((a) => makeArray(a));
        const result = t.run(FUNCS[c.name], args, c);
        const problems: string[] = [];
        await compare(result, expected, RTOL[c.tol], t.name, problems);
        if (problems.length) assert.fail(`${c.name}: ${t.name} differs from JAX's\n  ${problems.join('\n  ')}`);
      });
    }
  }

  for (const c of golden.scalars) {
    test(`${platform} › ${c.name} › grad and grad(grad) at the JS number ${c.x} (transcendental)`, async () => {
      const f = SCALAR_FUNCS[c.name];
      assert.ok(f, `no function for scalar case ${c.name}`);
      const problems: string[] = [];
      await compare(grad(f)(c.x), c.grad, RTOL.transcendental, 'grad', problems);
      await compare(grad(grad(f))(c.x), c.grad2, RTOL.transcendental, 'grad(grad)', problems);
      if (problems.length) assert.fail(`${c.name} at ${c.x}: differs from JAX's\n  ${problems.join('\n  ')}`);
    });
  }

  for (const e of golden.errors) {
    test(`${platform} › ${e.name} › grad raises as in JAX`, () => {
      const f = (x: TArray) => np.sum(lax.nextafter(x, np.fullLike(x, 2)));
      assert.equal(e.name, 'nextafter');
      assert.throws(() => grad(f)(...e.args.map((a) => makeArray(a))), (err: Error) => {
        assert.equal(err.name, e.error);
        assert.equal(err.message, e.message);
        return true;
      });
    });
  }
});
