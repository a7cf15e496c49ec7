// The main job of the quick start: evaluate the Chebyshev polynomials T2, T3, T4 as
// Tn(x) = cos(n · arccos x) on 100 points of [-1, 1] on every available device, and show that the
// devices agree with each other and with the closed forms 2x²−1, 4x³−3x, 8x⁴−8x²+1.
//
//   npm run demo

import { numpy as np, devices, devicePut, type Array as TlArray } from 'tracelens';

const closedForms: Record<number, (x: number) => number> = {
  2: (x) => 2 * x * x - 1,
  3: (x) => 4 * x ** 3 - 3 * x,
  4: (x) => 8 * x ** 4 - 8 * x * x + 1,
};

function chebyshev(n: number, x: TlArray): TlArray {
  return np.cos(np.multiply(n, np.arccos(x)));
}

const all = devices();
console.log('Tracelens devices (default first):');
for (const d of all) console.log(`  ${d.platform.padEnd(6)} ${d.description}${d.platform === 'webgpu' && d.isFallback ? '  [software adapter]' : ''}`);
console.log(`\nT_n(x) = cos(n·arccos x), 100 points of [-1, 1], computed on: ${all.map((d) => d.platform).join(', ')}\n`);

const results = new Map<string, Map<number, Float32Array>>();
for (const device of all) {
  const x = devicePut(np.linspace(-1, 1, 100), device);
  const perN = new Map<number, Float32Array>();
  const t0 = performance.now();
  for (const n of [2, 3, 4]) perN.set(n, (await chebyshev(n, x).data()) as Float32Array);
  results.set(device.platform, perN);
  console.log(`  ${device.platform}: evaluated T2..T4 in ${(performance.now() - t0).toFixed(1)} ms (first use: includes shader compiles)`);
}

const xs = (await np.linspace(-1, 1, 100).data()) as Float32Array;
const shown = [0, 1, 25, 50, 74, 98, 99];
const platforms = [...results.keys()];
console.log(`\n${'x'.padStart(10)} ${platforms.flatMap((p) => [2, 3, 4].map((n) => `T${n}@${p}`.padStart(13))).join(' ')}`);
for (const i of shown) {
  const cells = platforms.flatMap((p) => [2, 3, 4].map((n) => results.get(p)!.get(n)![i].toFixed(6).padStart(13)));
  console.log(`${xs[i].toFixed(6).padStart(10)} ${cells.join(' ')}`);
}

console.log('\nmax |difference|:');
let ok = true;
for (const n of [2, 3, 4]) {
  const ref = results.get(platforms[0])!.get(n)!;
  const closed = Math.max(...Array.from(ref, (v, i) => Math.abs(v - closedForms[n](xs[i]))));
  const line = [`  T${n}: vs closed form ${closed.toExponential(2)}`];
  for (const p of platforms.slice(1)) {
    const other = results.get(p)!.get(n)!;
    const diff = Math.max(...Array.from(ref, (v, i) => Math.abs(v - other[i])));
    line.push(`${platforms[0]} vs ${p} ${diff.toExponential(2)}`);
    if (diff > 1e-5) ok = false;
  }
  if (closed > 1e-5) ok = false;
  console.log(line.join(', '));
}
console.log(ok ? '\nAll devices agree (within 1e-5) with each other and with the closed forms.' : '\nMISMATCH: devices disagree beyond 1e-5.');
process.exitCode = ok ? 0 : 1;
