// The errors a new user meets while tracing, raised by name with JAX's explanation: which function
// and which argument the traced value came from, and what to do instead (static arguments,
// lax.cond / np.where, reading values outside the transformation).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  numpy as np, jit, makeJaxpr, Array as TArray, ConcretizationTypeError, TracerArrayConversionError,
  NonConcreteBooleanIndexError, UnexpectedTracerError,
} from '../../engine/index.js';

type A = TArray;

function raises(fn: () => unknown, cls: new (...a: any[]) => Error, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
    assert.equal(e.name, cls.name);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('`if (x > 0)` on a traced value raises ConcretizationTypeError naming the function and the argument', () => {
  const relu = jit(function relu(x: any) {
    if (x > 0) return x;
    return x.mul(0);
  });
  raises(() => relu(np.array(1.5)), ConcretizationTypeError,
    /^Abstract tracer value encountered where concrete value is expected: traced array with shape float32\[\]/,
    /if \(x > 0\)/,
    /The error occurred while tracing the function relu for jit\. This concrete value was not available in JS because it depends on the value of the argument x\./,
    /staticArgnums/, /lax\.cond/, /np\.where/);
});

test('a value computed from two arguments names both', () => {
  const f = jit(function f(a: A, b: A) { return Number(a.add(b)); });
  raises(() => f(np.array(1.5), np.array(2.5)), ConcretizationTypeError, /depends on the values of the arguments a and b\./);
});

test('arguments inside pytrees are named by their path', () => {
  const f = jit(function loss(params: { w: A; b: A }, x: A) {
    const y = x.mul(params.w);
    return Number(y) > 0 ? y : params.b;
  });
  raises(() => f({ w: np.array(1.5), b: np.array(0.5) }, np.array(2.5)), ConcretizationTypeError,
    /depends on the values of the arguments params\['w'\] and x\./);
});

test('Number(x), +x, x == 1 and template strings of a tracer raise ConcretizationTypeError', () => {
  const cases: [string, (x: any) => unknown][] = [
    ['Number(x)', (x) => Number(x)],
    ['+x', (x) => +x],
    ['x == 1', (x) => x == 1], // eslint-disable-line eqeqeq
    ['`${x}`', (x) => `${x}`],
    ['Math.max', (x) => Math.max(x, 0)],
  ];
  for (const [what, body] of cases) {
    raises(() => makeJaxpr((x: A) => { body(x); return x; })(np.ones([])), ConcretizationTypeError, /Abstract tracer value/);
    void what;
  }
  raises(() => makeJaxpr((x: A) => `${x}`)(np.ones([2])), ConcretizationTypeError, /template literal/, /x\.toString\(\)/);
});

test('a traced value prints as JAX 0.10 prints it, without raising', () => {
  const seen: string[] = [];
  makeJaxpr((x: A, s: number) => { seen.push(x.toString(), String(np.sin(x).toString()), (s as unknown as A).toString()); return x; })(np.ones([3]), 2.5);
  assert.deepEqual(seen, ['JitTracer(float32[3])', 'JitTracer(float32[3])', 'JitTracer(~float32[])']);
});

test('the static fix works: the same function with staticArgnums traces', async () => {
  const f = jit(function f(x: A, n: number) { return n > 0 ? x.mul(n) : x; }, { staticArgnums: [1] });
  assert.deepEqual(await f(np.array([1.5]), 2).tolist(), [3]);
  const g = jit(function f(x: A, n: number) { return n > 0 ? x.mul(n) : x; });
  raises(() => g(np.array([1.5]), 2), ConcretizationTypeError, /argument n/);
});

test('reading a traced value back (data, tolist, item) raises TracerArrayConversionError', () => {
  for (const read of ['data', 'tolist', 'item'] as const) {
    const f = jit(function normalize(x: A) {
      void (x as unknown as Record<string, () => unknown>)[read]();
      return x;
    });
    raises(() => f(np.ones([2])), TracerArrayConversionError,
      new RegExp(`The array conversion method ${read}\\(\\) was called on traced array with shape float32\\[2\\]`),
      /while tracing the function normalize for jit/, /argument x/, /read it \(await y\.data\(\)\) outside/);
  }
});

test('boolean-mask indexing of a traced array raises NonConcreteBooleanIndexError suggesting np.where', () => {
  const f = jit(function positives(x: A) { return x.index(x.gt(0)); });
  raises(() => f(np.array([1, -1, 2], { dtype: 'float32' })), NonConcreteBooleanIndexError,
    /Array boolean indices must be concrete/, /np\.where/);
  const g = jit(function clipNegatives(x: A) { return x.at(x.lt(0)).set(0); });
  raises(() => g(np.array([1, -1, 2], { dtype: 'float32' })), NonConcreteBooleanIndexError, /np\.where/);
  // The fix it suggests works under jit.
  assert.doesNotThrow(() => jit((x: A) => np.where(x.lt(0), 0, x))(np.array([1, -1, 2], { dtype: 'float32' })));
});

test('a tracer leaked out of a jitted function raises UnexpectedTracerError when used', () => {
  const saved: A[] = [];
  const f = jit(function remember(x: A) {
    const y = np.sin(x);
    saved.push(y);
    return y;
  });
  f(np.ones([2]));
  raises(() => saved[0].add(1), UnexpectedTracerError,
    /Encountered an unexpected tracer/, /escape the scope of the transformation/,
    /The function being traced when the value leaked was remember traced for jit\./,
    /created by the primitive `sin`/, /Return the value from the transformed function instead/);
  raises(() => jit((z: A) => z.add(saved[0]))(np.ones([2])), UnexpectedTracerError);
});
