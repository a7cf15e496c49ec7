// `npm run bench`: tracelens beside jax-js and TensorFlow.js on the same WebGPU adapter and the same
// CPU. Each library runs the whole suite in its own child process (bench/libraries/*.ts), one after
// the other so they never share the machine; this parent then checks that they computed the same
// numbers, and writes bench/results/latest.md and latest.json (or under BENCH_OUT).
// BENCH_QUICK=1 runs small sizes (the tests use it); BENCH_RUNS sets the timed runs per row.
// The process exits 1 when a library failed or outputs disagree, after writing the results.
//
//   npm run bench -- --only=watching     some sections only (libraries, programs, watching): the
//                                        result is printed, and written only under BENCH_OUT, so a
//                                        partial run never replaces the full one in bench/results.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LibraryReport } from './harness.js';
import { buildRows, problems } from './compare.js';
import { markdown, shortfalls, bestMatmul, watchingSection } from './report.js';
import { QUICK, RUNS } from './spec.js';
import { measureWatching, type WatchingResult } from './watching.js';

const started = performance.now();
const loadAtStart = loadavg()[0];
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = resolve(process.env.BENCH_OUT ?? join(root, 'bench/results'));
/** The library children, in the order they run; tracelens first so its outputs are the reference. */
const LIBRARIES = ['tracelens', 'jaxjs', 'tfjs'];
const SECTIONS = ['libraries', 'programs', 'watching'] as const;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: no section ${unknown.join(', ')}; --only takes a comma-separated list of ${SECTIONS.join(', ')}.`);
  process.exit(2);
}
const runs = (section: typeof SECTIONS[number]) => !only || only.includes(section);

// lavapipe compiles every shader with LLVM: a persistent cache makes reruns start fast.
mkdirSync(join(root, '.cache/mesa'), { recursive: true });
const env = { ...process.env, MESA_SHADER_CACHE_DIR: process.env.MESA_SHADER_CACHE_DIR ?? join(root, '.cache/mesa') };

const scratch = mkdtempSync(join(tmpdir(), 'tracelens-bench-'));
const reports: LibraryReport[] = [];
const failedLibraries: string[] = [];
for (const lib of runs('libraries') ? LIBRARIES : []) {
  const file = join(scratch, `${lib}.json`);
  const child = spawnSync(process.execPath, ['--conditions=tracelens-source', '--import', 'tsx', join(root, `bench/libraries/${lib}.ts`), file], { cwd: root, env, stdio: 'inherit' });
  if (child.status === 0 && existsSync(file)) reports.push(JSON.parse(readFileSync(file, 'utf8')) as LibraryReport);
  else {
    failedLibraries.push(lib);
    console.error(`\nbench: the ${lib} child exited with ${child.status ?? child.signal}; its rows are missing.`);
  }
}
// The training programs (tracelens only: they are the examples' own code).
let programs: { device: string; stepsPerSecond: number; steps: number; runs: number }[] = [];
if (runs('programs')) {
  const programFile = join(scratch, 'programs.json');
  const programRun = spawnSync(process.execPath, ['--conditions=tracelens-source', '--import', 'tsx', join(root, 'bench/programs/mlp_classifier.ts'), programFile], { cwd: root, env, stdio: 'inherit' });
  if (programRun.status === 0 && existsSync(programFile)) programs = JSON.parse(readFileSync(programFile, 'utf8'));
  if (programs.length === 0) failedLibraries.push('programs');
}
rmSync(scratch, { recursive: true, force: true });

// Watching (issue 7): the examples through the runner the extension uses, which runs the built
// bundles (dist/runner): built now, so they hold the code being measured.
let watching: WatchingResult[] = [];
let watchingFailure: string | null = null;
if (runs('watching')) {
  // BENCH_NO_BUILD: the caller has just built (the test suite), and a rebuild would rewrite dist/
  // under other tests that run the same bundles.
  const build = process.env.BENCH_NO_BUILD ? { status: 0, signal: null } : spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, env, stdio: 'inherit' });
  try {
    if (build.status !== 0) throw new Error(`the build (node scripts/build.mjs) exited with ${build.status ?? build.signal}`);
    watching = await measureWatching(root, { quick: QUICK, runs: RUNS, env: { MESA_SHADER_CACHE_DIR: env.MESA_SHADER_CACHE_DIR } });
  } catch (e) {
    watchingFailure = (e as Error).message;
    console.error(`\nbench: watching was not measured: ${watchingFailure}`);
  }
}

const rows = buildRows(reports);
const references = reports.flatMap((r) => r.references);
const issues = [
  ...failedLibraries.map((l) => `the ${l} child did not report`), ...problems(reports, rows),
  ...(watchingFailure ? [`watching was not measured: ${watchingFailure}`] : []),
];
const info = { date: new Date().toISOString(), node: process.version, quick: QUICK, runs: RUNS, wallSeconds: (performance.now() - started) / 1000, failedLibraries, load: [loadAtStart, loadavg()[0]] as [number, number], cores: cpus().length };
const md = markdown(info, reports, rows, references, issues) + [
  ...(runs('programs') ? [
    '', '## Training programs (tracelens)', '',
    '| program | device | steps/s | steps × runs |', '|---|---|--:|--:|',
    ...programs.map((p) => `| examples/mlp_classifier.ts (MLP 2-32-32-3, 300 points, Adam + warmup-cosine, jit) | ${p.device} | ${p.stepsPerSecond.toFixed(0)} | ${p.steps} × ${p.runs} |`),
  ] : []),
  ...(runs('watching') ? watchingSection(watching, RUNS, watchingFailure) : []),
  '',
].join('\n');

// A partial run (--only) is written only where asked (BENCH_OUT), never over the full record.
const write = !only || process.env.BENCH_OUT !== undefined;
if (write) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify({
    ...info,
    devices: reports.map((r) => ({ library: r.library, version: r.version, sections: r.sections })),
    references: [...references, ...(['webgpu', 'cpu'] as const).flatMap((t) => { const b = bestMatmul(rows, t); return b ? [{ name: `best ${t} matmul`, ...b }] : []; })],
    rows,
    programs,
    watching: { runs: RUNS, results: watching, failure: watchingFailure },
    shortfalls: shortfalls(rows, references),
    problems: issues,
    measurements: reports.map((r) => ({ library: r.library, measurements: r.measurements })),
  }, null, 2));
}
console.log(`\n${md}\n${write ? `written to ${join(outDir, 'latest.md')} and latest.json` : 'not written (a partial run: set BENCH_OUT to keep it)'}`);
process.exit(issues.length > 0 ? 1 : 0);
