// jit: traced once per signature and cached, runs the same computation as the function itself on
// every device, accepts and returns pytrees, and stages as one `jit` equation inside other traces.

import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, jit, makeJaxpr, ShapedArray, Array as TArray } from '../../engine/index.js';
import * as tree from '../../engine/tree/index.js';
import { setJitExecutor, interpretJaxpr } from '../../engine/interpreters/jit.js';
import { forEachBackend } from '../engine/helpers.js';
import { PROGRAMS, decodeArg, loadGoldenJaxprs } from './programs.js';

type A = TArray;

/** Values of two results, leaf by leaf: equal structure, dtypes and shapes, values within 1e-6 (NaN = NaN). */
async function assertSameResults(got: unknown, want: unknown, what: string): Promise<void> {
  const [gl, gt] = tree.flatten(got);
  const [wl, wt] = tree.flatten(want);
  assert.equal(gt.toString(), wt.toString(), `${what}: output structure`);
  for (let i = 0; i < wl.length; i++) {
    const g = np.asarray(gl[i]), w = np.asarray(wl[i]);
    assert.equal(g.aval.strShort(), w.aval.strShort(), `${what}: output ${i} type`);
    assert.equal(g.weakType, w.weakType, `${what}: output ${i} weak type`);
    const [gd, wd] = [await g.data(), await w.data()];
    for (let k = 0; k < wd.length; k++) {
      const [a, b] = [Number(gd[k]), Number(wd[k])];
      const ok = (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
      assert.ok(ok, `${what}: output ${i}[${k}] is ${a} under jit but ${b} eagerly`);
    }
  }
}

const golden = loadGoldenJaxprs();

forEachBackend((platform) => {
  for (const g of golden.programs) {
    const p = PROGRAMS.find((q) => q.name === g.name)!;
    test(`${platform} › jit(${g.name}) equals the eager function`, async () => {
      const args = g.args.map(decodeArg);
      const eager = p.fn(...args);
      const jitted = jit(p.fn, { staticArgnums: p.staticArgnums })(...args);
      await assertSameResults(jitted, eager, g.name);
      for (const leaf of tree.leaves(jitted)) {
        if (leaf instanceof TArray) assert.equal(leaf.device.platform, platform, `${g.name}: result on ${leaf.device.platform}`);
      }
    });
  }
});

test('a jitted function is traced once per signature and static value: console.log inside runs at trace time only', () => {
  const log = mock.method(console, 'log', () => {});
  try {
    const f = jit((x: A, scale: number) => {
      console.log('tracing f');
      return x.mul(scale);
    }, { staticArgnums: [1] });
    f(np.ones([2]), 2);
    f(np.zeros([2]), 2); // same float32[2] and static 2: cached
    f(np.ones([3]), 2); // float32[3]: traced again
    f(np.ones([3]), 3); // a new static value: traced again
    f(np.ones([3]), 3);
    assert.equal(log.mock.callCount(), 3);
    assert.equal(f.cacheSize, 3);
  } finally {
    log.mock.restore();
  }
});

test('the cache key holds dtype and weak type: a JS number and a float32 array retrace', () => {
  let traces = 0;
  const f = jit((x: A) => { traces++; return x.add(1); });
  f(np.array(2.5, { dtype: 'float32' })); f(np.array(3.5, { dtype: 'float32' })); assert.equal(traces, 1);
  f(2.5 as unknown as A); assert.equal(traces, 2, 'a JS number is a weakly typed f32[] and traces apart from a strong one');
  f(np.asarray(7.5)); assert.equal(traces, 2, 'np.asarray(7.5) is weakly typed too, as in JAX');
  f(np.array(2, { dtype: 'int32' })); assert.equal(traces, 3);
  f(np.array([true])); assert.equal(traces, 4);
});

test('jit takes and returns pytrees, and retraces when the structure changes', async () => {
  let traces = 0;
  const step = jit(function step(params: { w: A; b: A }, x: A) {
    traces++;
    const y = x.matmul(params.w).add(params.b);
    return { y, norm: [np.sum(y.mul(y))] };
  });
  const params = { w: np.ones([3, 2]), b: np.array([0.5, -0.5]) };
  const out = step(params, np.array([1, 2, 3], { dtype: 'float32' }));
  assert.deepEqual(await out.y.tolist(), [6.5, 5.5]);
  assert.deepEqual(await out.norm[0].tolist(), 6.5 * 6.5 + 5.5 * 5.5);
  step({ w: np.zeros([3, 2]), b: np.zeros([2]) }, np.zeros([3]));
  assert.equal(traces, 1);
  step({ w: np.zeros([3, 2]), b: np.zeros([2]), extra: np.zeros([1]) } as never, np.zeros([3]));
  assert.equal(traces, 2);
});

test('staticArgnames picks parameters by their names; static values reach the function as JS values', async () => {
  const f = jit((x: A, n: number) => {
    assert.equal(typeof n, 'number');
    let y = x;
    for (let i = 0; i < n; i++) y = y.mul(2);
    return y;
  }, { staticArgnames: ['n'] });
  assert.deepEqual(await f(np.array([1.5]), 3).tolist(), [12]);
  assert.equal(f.trace(np.array([1.5]), 2).jaxpr.jaxpr.eqns.length, 2, 'n = 2 unrolls to two multiplications');
  assert.throws(() => jit((x: A) => x, { staticArgnames: ['y'] })(np.ones([1])), /staticArgnames names 'y', which is not a parameter/);
});

test('a static argument must be a plain value: arrays are refused with advice', () => {
  const f = jit((x: A, y: A) => x.add(y), { staticArgnums: [1] });
  assert.throws(() => f(np.ones([2]), np.ones([2])), (e: Error) =>
    e instanceof TypeError && /Non-hashable static arguments/.test(e.message) && /pass arrays\s+as ordinary/.test(e.message));
});

test('invalid argument types name the function and suggest static arguments', () => {
  const f = jit(function scale(x: A, how: string) { return how === 'double' ? x.mul(2) : x; });
  assert.throws(() => f(np.ones([2]), 'double'), /jit\(scale\): argument 'double' of type string is not a valid Tracelens type.*staticArgnums/s);
  assert.doesNotThrow(() => jit(function scale2(x: A, how: string) { return how === 'double' ? x.mul(2) : x; }, { staticArgnums: [1] })(np.ones([2]), 'double'));
});

test('makeJaxpr of a jitted function shows one jit equation; jitted.trace gives the inner jaxpr', () => {
  const f = jit(function affine(x: A) { return x.mul(2.0).add(1.0); });
  assert.equal(makeJaxpr(f)(np.ones([3])).toString(),
    '{ lambda ; a:f32[3]. let\n' +
    '    b:f32[3] = jit[\n' +
    '      name=affine\n' +
    '      jaxpr={ lambda ; a:f32[3]. let\n' +
    '          c:f32[3] = mul a 2.0:f32[]\n' +
    '          b:f32[3] = add c 1.0:f32[]\n' +
    '        in (b,) }\n' +
    '    ] a\n' +
    '  in (b,) }');
  const traced = f.trace(np.ones([3]));
  assert.equal(traced.jaxpr.toString(),
    '{ lambda ; a:f32[3]. let\n    b:f32[3] = mul a 2.0:f32[]\n    c:f32[3] = add b 1.0:f32[]\n  in (c,) }');
  assert.deepEqual(traced.inAvals.map(String), ['ShapedArray(float32[3])']);
  const anon = jit((x: A) => x);
  assert.match(makeJaxpr((x: A) => anon(x))(np.ones([1])).toString(), /jit\[name=<lambda> jaxpr=/);
});

test('makeJaxpr accepts ShapedArrays and {shape, dtype} specs, and returns output shapes on request', () => {
  const [jaxpr, shapes] = makeJaxpr((p: { w: A }, x: A) => ({ y: x.matmul(p.w) }), { returnShape: true })(
    { w: new ShapedArray([3, 2], 'float32') }, { shape: [4, 3], dtype: 'float32' });
  assert.match(jaxpr.toString(), /^\{ lambda ; a:f32\[3,2\] b:f32\[4,3\]\. let/);
  assert.equal(String((shapes as { y: unknown }).y), 'ShapeDtypeStruct(shape=(4, 2), dtype=float32)');
});

test('donated arguments are recorded as donated_invars', () => {
  const f = jit((x: A, y: A) => x.add(y), { donateArgnums: [0] });
  assert.match(makeJaxpr(f)(np.ones([2]), np.ones([2])).toString(), /jit\[\n\s+name=<lambda>\n\s+donated_invars=\(True, False\)/);
});

test('a jit executor installed for a platform runs jitted calls there (the hook compiled backends use)', async () => {
  const platform = np.ones([1]).device.platform;
  const seen: string[] = [];
  setJitExecutor(platform, (jaxpr, args, device) => {
    seen.push(jaxpr.jaxpr.eqns.map((e) => e.primitive.name).join(','));
    assert.equal(device.platform, platform);
    return interpretJaxpr(jaxpr, args, device);
  });
  try {
    const f = jit((x: A) => np.exp(x).sum());
    assert.ok(Math.abs(Number(await f(np.zeros([4])).item()) - 4) < 1e-6);
    assert.deepEqual(seen, ['exp,reduce_sum']);
  } finally {
    setJitExecutor(platform, null);
  }
});

test('a jitted function that kept a tracer of a finished trace in its closure raises UnexpectedTracerError', async () => {
  let inner: ((x: A) => A) | null = null;
  const outer = jit((x: A, y: A) => {
    inner ??= jit((z: A) => z.mul(y)); // captures the first trace's y
    return inner(x);
  });
  assert.deepEqual(await outer(np.array([2.0]), np.array([3.0])).tolist(), [6]);
  assert.throws(() => outer(np.array([2.0, 1.0]), np.array([5.0, 1.0])), (e: Error) =>
    e.name === 'UnexpectedTracerError' && /escape the scope of the transformation/.test(e.message));
});

test('jitted.trace accepts shape/dtype specs; calling with a spec explains that values are needed', () => {
  const f = jit((x: A) => np.sin(x));
  assert.equal(f.trace({ shape: [2], dtype: 'float32' } as never).jaxpr.toString(), '{ lambda ; a:f32[2]. let b:f32[2] = sin a in (b,) }');
  assert.throws(() => f(new ShapedArray([2], 'float32') as never), /has no values to compute with.*makeJaxpr/s);
});
