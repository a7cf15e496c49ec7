// Results of the golden control-flow programs equal JAX's (test/golden/jaxprs/control_flow.json),
// run eagerly and under jit, on every device: cond / switch / whileLoop / fori / scan with pytree
// carries, closures over outer arrays, reverse and length-only scans, nested control flow.
//
// Floats must be within 1e-5 relative (1e-6 absolute near zero) of JAX's: the programs chain a few
// transcendental functions and loop trips, so a handful of ulps may separate two correct results.
// Dtypes, shapes, weak types and integer/bool values must match exactly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jit, Array as TArray } from '../../engine/index.js';
import { forEachBackend, type Platform } from '../engine/helpers.js';
import { decodeArg } from '../tracing/programs.js';
import { type EncodedOut, PROGRAMS, loadGolden } from './programs.js';

const golden = loadGolden();
const REL = 1e-5, ABS = 1e-6;

function decodeValue(v: number | boolean | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** Compares a result pytree with JAX's; returns the problems found. */
async function compare(actual: unknown, expected: EncodedOut, platform: Platform, path = 'out'): Promise<string[]> {
  if (globalThis.Array.isArray(expected)) {
    if (!globalThis.Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected a list of ${expected.length}, got ${describe(actual)}`];
    }
    const ps = await Promise.all(expected.map((e, i) => compare(actual[i], e, platform, `${path}[${i}]`)));
    return ps.flat();
  }
  if ('dict' in expected) {
    if (typeof actual !== 'object' || actual === null || actual instanceof TArray) return [`${path}: expected a dict, got ${describe(actual)}`];
    const keys = Object.keys(expected.dict);
    if (Object.keys(actual).sort().join() !== keys.join()) return [`${path}: keys ${Object.keys(actual)} vs ${keys}`];
    const ps = await Promise.all(keys.map((k) => compare((actual as Record<string, unknown>)[k], expected.dict[k], platform, `${path}['${k}']`)));
    return ps.flat();
  }
  if (!(actual instanceof TArray)) return [`${path}: expected an array, got ${describe(actual)}`];
  const problems: string[] = [];
  if (actual.device.platform !== platform) problems.push(`${path}: on ${actual.device.platform}, expected ${platform}`);
  if (actual.dtype !== expected.dtype) problems.push(`${path}: dtype ${actual.dtype}, JAX ${expected.dtype}`);
  if (actual.shape.join() !== expected.shape.join()) problems.push(`${path}: shape [${actual.shape}], JAX [${expected.shape}]`);
  if (actual.weakType !== (expected.weak ?? false)) problems.push(`${path}: weak_type ${actual.weakType}, JAX ${expected.weak ?? false}`);
  if (problems.length) return problems;
  const data = await actual.data();
  expected.data.forEach((e, i) => {
    const a = Number(data[i]), b = decodeValue(e);
    const ok = Number.isNaN(b) ? Number.isNaN(a)
      : !Number.isFinite(b) || expected.dtype !== 'float32' ? a === b
        : Math.abs(a - b) <= Math.max(REL * Math.abs(b), ABS);
    if (!ok) problems.push(`${path}[${i}]: got ${a}, JAX gives ${b}`);
  });
  return problems;
}

function describe(v: unknown): string {
  if (v instanceof TArray) return `Array(${v.dtype}[${v.shape}])`;
  if (globalThis.Array.isArray(v)) return `a list of ${v.length}`;
  return v === null ? 'null' : typeof v;
}

test('every control-flow program has a TypeScript twin', () => {
  assert.deepEqual(PROGRAMS.map((p) => p.name), golden.programs.map((p) => p.name));
});

forEachBackend((platform) => {
  for (const g of golden.programs) {
    const p = PROGRAMS.find((q) => q.name === g.name)!;
    test(`${platform} › eager › ${g.name} equals JAX`, async () => {
      const out = p.fn(...g.args.map(decodeArg));
      const problems = await compare(out, g.out, platform);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
    test(`${platform} › jit › ${g.name} equals JAX`, async () => {
      const out = jit(p.fn)(...g.args.map(decodeArg));
      const problems = await compare(out, g.out, platform);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
