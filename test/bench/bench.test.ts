// The side-by-side bench: its cross-library output checks catch a disagreeing library, its ratios
// leave a disagreeing library out, and `npm run bench` at BENCH_QUICK sizes runs all three libraries
// to a table where every output agrees.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildRows, disagreement, type Row } from '../../bench/compare.js';
import { fingerprint, type LibraryReport, type Measurement } from '../../bench/harness.js';
import { WORKLOADS } from '../../bench/spec.js';

describe('bench output checks', () => {
  const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);

  it('accept an output within tolerance and name the first difference beyond it', () => {
    const want = fingerprint(values);
    const close = fingerprint(values.map((v) => v * (1 + 1e-7)));
    assert.equal(disagreement(close, want, 1e-5), null);
    const wrong = values.slice();
    wrong[0] += 0.01; // sample 0, far beyond 1e-5 of its magnitude
    assert.match(disagreement(fingerprint(wrong), want, 1e-5) ?? '', /^sample 0: /);
    assert.match(disagreement(fingerprint(values.map((v) => v + 0.001)), want, 1e-5) ?? '', /^sum /);
    assert.equal(disagreement(fingerprint(values.slice(1)), want, 1e-5), '999 values, expected 1000');
  });

  it('mark a disagreeing library and leave it out of the best other', () => {
    const good = fingerprint(values), bad = fingerprint(values.map((v) => -v));
    const m = (medianMs: number, output = good): Measurement => ({ id: 'chain10', target: 'webgpu', backend: 'webgpu', medianMs, runsMs: [medianMs], output });
    const report = (library: string, meas: Measurement): LibraryReport => ({ library, version: '0', sections: [{ target: 'webgpu', backend: 'webgpu', device: 'gpu' }], measurements: [meas], references: [] });
    const rows = buildRows([report('tracelens', m(4)), report('jax-js', m(8)), report('tfjs', m(1, bad))]);
    assert.equal(rows.length, 1);
    const row: Row = rows[0];
    assert.equal(row.reference, 'tracelens webgpu');
    assert.match(row.cells.find((c) => c.library === 'tfjs')!.mismatch ?? '', /^sum /);
    assert.equal(row.cells.find((c) => c.library === 'jax-js')!.mismatch, undefined);
    assert.deepEqual(row.bestOther, { library: 'jax-js (webgpu)', value: 8 });
    assert.equal(row.ratio, 0.5);
  });
});

describe('npm run bench, BENCH_QUICK sizes', () => {
  it('runs tracelens, jax-js and tfjs on every workload and target, and their outputs agree', { timeout: 480_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
    try {
      const r = spawnSync(process.execPath, ['--conditions=tracelens-source', '--import', 'tsx', 'bench/run.ts'], {
        env: { ...process.env, BENCH_QUICK: '1', BENCH_RUNS: '3', BENCH_OUT: out, BENCH_NO_BUILD: '1' }, encoding: 'utf8',
      });
      const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as {
        problems: string[]; rows: Row[]; references: { name: string; value: number }[];
        watching: { failure: string | null; results: { program: string; unwatchedMedian: number; watchedMedian: number; watched: { events: number }[] }[] };
      };
      assert.deepEqual(result.problems, [], r.stdout.slice(-3000));
      assert.equal(r.status, 0);
      for (const spec of WORKLOADS) {
        for (const target of spec.targets) {
          const row = result.rows.find((x) => x.id === spec.id && x.target === target);
          assert.ok(row, `${spec.id} on ${target}`);
          const expected = spec.id === 'makeJaxpr' ? ['tracelens', 'jax-js'] : ['tracelens', 'jax-js', 'tfjs'];
          assert.deepEqual(row.cells.map((c) => c.library), expected, `${spec.id} on ${target}`);
          for (const c of row.cells) assert.ok(c.value! > 0 && !c.mismatch && !c.error, `${spec.id} ${target} ${c.library}`);
          assert.ok(row.ratio! > 0);
        }
      }
      assert.ok(result.references.find((x) => x.name.startsWith('copy kernel'))!.value > 0);
      // Steps per second with and without the panel watching, through the extension's runner.
      assert.equal(result.watching.failure, null);
      assert.deepEqual(result.watching.results.map((w) => w.program), ['examples/fixed_leaves.ts', 'examples/mlp_classifier.ts']);
      for (const w of result.watching.results) {
        assert.ok(w.unwatchedMedian > 0 && w.watchedMedian > 0, w.program);
        assert.ok(w.watched.every((run) => run.events > 0), `${w.program}: a watched run received no watch events`);
      }
      const md = readFileSync(join(out, 'latest.md'), 'utf8');
      assert.match(md, /## WebGPU\n\n\| benchmark \| unit \| tracelens \(webgpu\) \| jax-js \(webgpu\) \| tfjs \(webgpu\) \|/);
      assert.match(md, /## Closing note/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
