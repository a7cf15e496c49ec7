// Chebyshev polynomials T2, T3, T4 as Tn(x) = cos(n · arccos x), and their derivatives by automatic
// differentiation — `vmap(grad(Tn))` over 9 points of [-1, 1] — compared with the closed forms
// T2' = 4x, T3' = 12x² − 3, T4' = 32x³ − 16x.
//
// At the interior points the derivative is right. At x = ±1 it is not, and the reason is worth a
// look: the chain rule multiplies  d cos(n·a)/da = −n·sin(n·a)  by  d arccos(x)/dx = −1/√(1 − x²).
//   x = +1: arccos(1) = 0, so sin(0) = 0 meets −1/√0 = −inf, and 0 · inf = NaN;
//   x = −1: arccos(−1) = π, and sin(n·π) in float32 is a tiny nonzero number (π is rounded), times
//           −inf: an infinity — while the true derivative there is n² · (−1)^(n+1).
// The polynomial has a perfectly good derivative at ±1; the *formula* cos(n·arccos x) does not,
// because arccos is not differentiable at ±1. `config.update('debugNans', true)` stops at the
// first primitive that produces the NaN and names it (`mul`, the chain-rule product), as JAX does.
//
//   npm run example:chebyshev            (default device; add -- --device=cpu for the cpu backend)

import { numpy as np, config, grad, vmap, type Array as TlArray } from 'tracelens';

const device = process.argv.find((a) => a.startsWith('--device='))?.slice('--device='.length);
if (device === 'cpu' || device === 'webgpu') config.update('defaultDevice', device);

const chebyshev = (n: number) => (x: TlArray): TlArray => np.cos(np.multiply(n, np.arccos(x)));
const closedForm: Record<number, (x: number) => number> = {
  2: (x) => 2 * x * x - 1, 3: (x) => 4 * x ** 3 - 3 * x, 4: (x) => 8 * x ** 4 - 8 * x * x + 1,
};
const closedDerivative: Record<number, (x: number) => number> = {
  2: (x) => 4 * x, 3: (x) => 12 * x * x - 3, 4: (x) => 32 * x ** 3 - 16 * x,
};

const xs = np.linspace(-1, 1, 9);
const xv = Array.from(await xs.data());
const values: Record<number, number[]> = {};
const derivatives: Record<number, number[]> = {};
for (const n of [2, 3, 4]) {
  values[n] = Array.from(await vmap(chebyshev(n))(xs).data());
  derivatives[n] = Array.from(await vmap(grad(chebyshev(n)))(xs).data());
}

const cell = (v: number) => (Number.isFinite(v) ? v.toFixed(5) : String(v)).padStart(11);
console.log(`Chebyshev T_n(x) = cos(n·arccos x) and vmap(grad(T_n)) on ${config.defaultDevice ?? 'the default device'}\n`);
console.log(`${'x'.padStart(6)} ${[2, 3, 4].map((n) => `T${n}'(x)`.padStart(11) + `closed`.padStart(11)).join(' ')}`);
xv.forEach((x, i) => {
  console.log(`${x.toFixed(2).padStart(6)} ${[2, 3, 4].map((n) => cell(derivatives[n][i]) + cell(closedDerivative[n](x))).join(' ')}`);
});

let worstValue = 0;
let worstDerivative = 0;
for (const n of [2, 3, 4]) {
  xv.forEach((x, i) => {
    worstValue = Math.max(worstValue, Math.abs(values[n][i] - closedForm[n](x)));
    if (i > 0 && i < xv.length - 1) worstDerivative = Math.max(worstDerivative, Math.abs(derivatives[n][i] - closedDerivative[n](x)));
  });
}
console.log(`\nmax |T_n − closed form| over all points: ${worstValue.toExponential(2)}`);
console.log(`max |T_n' − closed form| at the interior points: ${worstDerivative.toExponential(2)}`);
console.log(`At x = -1 the derivatives are ${[2, 3, 4].map((n) => derivatives[n][0]).join(', ')} and at x = +1 ` +
  `${[2, 3, 4].map((n) => derivatives[n][xv.length - 1]).join(', ')}:\n` +
  '  d arccos(x)/dx = -1/sqrt(1 - x²) is infinite at ±1; at +1 it meets sin(n·0) = 0 (0·inf = NaN), at -1\n' +
  '  sin(n·π) is a tiny float32 number, not 0 (inf). The polynomial\'s true slopes there are n²·(±1)^(n+1);\n' +
  '  differentiate the closed form (or the recurrence T_{n+1} = 2x·T_n − T_{n−1}) when you need them.');

// What debugNans says: it stops at the first primitive that produces a NaN and names it.
config.update('debugNans', true);
let debugNans = 'no error';
try {
  await vmap(grad(chebyshev(2)))(xs).data();
} catch (e) {
  debugNans = `${(e as Error).name}: ${(e as Error).message}`;
} finally {
  config.update('debugNans', false);
}
console.log(`\nWith config.update('debugNans', true), vmap(grad(T2))(xs) raises:\n  ${debugNans}`);

if (process.argv.includes('--json')) {
  console.log(`RESULT ${JSON.stringify({ xs: xv, values, derivatives, debugNans, worstValue, worstDerivative }, (_, v) =>
    (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
}
