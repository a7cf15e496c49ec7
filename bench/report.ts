// The bench's written result: a markdown table per target (each library's median, tracelens over the
// best other, whether outputs agreed), the devices every library ran on, the physical references,
// and a closing note naming the WebGPU rows short of the 1.5× target with their distance from the
// device's limits; and what watching a training program costs it (issue 7's budget).

import type { LibraryReport, Reference } from './harness.js';
import { TARGET_SPEEDUP, meetsTarget, type Row } from './compare.js';
import { WORKLOADS, type Target } from './spec.js';
import { WATCH_BUDGET_PERCENT, describeOverhead, type WatchingResult } from './watching.js';

export interface RunInfo {
  date: string; node: string; quick: boolean; runs: number; wallSeconds: number; failedLibraries: string[];
  /** The machine's 1-minute load average at the start and the end: other processes' share of the CPU (lavapipe runs on it too). */
  load: [number, number]; cores: number;
}

const LIBRARIES = ['tracelens', 'jax-js', 'tfjs'];
const TITLES: Record<Target, string> = { webgpu: 'WebGPU', cpu: 'CPU (tracelens cpu backend beside the wasm backends)', host: 'Tracing (no device)' };

/** The best matmul rate any library reached on a target: the compute reference beside the copy kernel's bandwidth. */
export function bestMatmul(rows: Row[], target: Target): { library: string; label: string; gflops: number } | undefined {
  let best: { library: string; label: string; gflops: number } | undefined;
  for (const row of rows.filter((r) => r.target === target && r.id.startsWith('matmul'))) {
    const flops = (WORKLOADS.find((w) => w.id === row.id)!.work as { flops: number }).flops;
    for (const c of row.cells) {
      if (c.value === undefined || c.mismatch) continue;
      const gflops = flops / (c.value * 1e6);
      if (!best || gflops > best.gflops) best = { library: `${c.library} (${c.backend})`, label: row.label, gflops };
    }
  }
  return best;
}

function num(x: number | undefined): string {
  if (x === undefined) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: Row[], target: Target): string[] {
  const here = rows.filter((r) => r.target === target);
  if (here.length === 0) return [];
  const libs = LIBRARIES.filter((l) => here.some((r) => r.cells.some((c) => c.library === l)));
  const backendOf = (lib: string) => here.flatMap((r) => r.cells).find((c) => c.library === lib)?.backend ?? '';
  const verdictHeader = target === 'webgpu' ? ` ≥ ${TARGET_SPEEDUP}× faster |` : '';
  const lines = [
    `| benchmark | unit | ${libs.map((l) => `${l} (${backendOf(l)})`).join(' | ')} | tracelens ÷ best other | tracelens rate |${verdictHeader} outputs |`,
    `|---|---|${libs.map(() => '---:').join('|')}|---:|---:|${target === 'webgpu' ? ':---:|' : ''}---|`,
  ];
  for (const row of here) {
    const cells = libs.map((l) => {
      const c = row.cells.find((x) => x.library === l);
      if (!c) return 'n/a';
      if (c.error) return 'failed';
      return num(c.value) + (c.mismatch ? ' ✗' : '');
    });
    const ratio = row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)} (vs ${row.bestOther!.library})`;
    const verdict = target === 'webgpu' ? ` ${meetsTarget(row) === undefined ? '—' : meetsTarget(row) ? 'yes' : 'no'} |` : '';
    const bad = row.cells.filter((c) => c.mismatch || c.error);
    const outputs = bad.length === 0 ? `agree (${row.cells.length})` : bad.map((c) => `${c.library}: ${c.mismatch ?? 'failed'}`).join('; ');
    lines.push(`| ${row.label} | ${row.unit} | ${cells.join(' | ')} | ${ratio} | ${row.rate ?? '—'} |${verdict} ${outputs} |`);
  }
  return lines;
}

/** Which WebGPU rows miss the target, each with tracelens's distance from the device's references. */
export function shortfalls(rows: Row[], references: Reference[]): string[] {
  const copy = references.find((r) => r.target === 'webgpu' && r.unit === 'GB/s');
  const matmul = bestMatmul(rows, 'webgpu');
  return rows.filter((r) => r.target === 'webgpu' && meetsTarget(r) === false).map((r) => {
    const speedup = 1 / r.ratio!;
    let where = '';
    if (r.rate?.endsWith('GB/s') && copy) where = `; tracelens moves ${r.rate}, ${((parseFloat(r.rate) / copy.value) * 100).toFixed(0)}% of the copy kernel's ${copy.value.toFixed(2)} GB/s`;
    if (r.rate?.endsWith('GFLOP/s') && matmul) where = `; tracelens computes ${r.rate}, ${((parseFloat(r.rate) / matmul.gflops) * 100).toFixed(0)}% of the best matmul's ${matmul.gflops.toFixed(2)} GFLOP/s`;
    return `${r.label}: ${speedup.toFixed(2)}× the speed of ${r.bestOther!.library}, short of ${TARGET_SPEEDUP}×${where}.`;
  });
}

export function markdown(info: RunInfo, reports: LibraryReport[], rows: Row[], references: Reference[], problems: string[]): string {
  const out: string[] = [
    '# Tracelens beside jax-js and TensorFlow.js',
    '',
    `${info.date}, Node ${info.node}; median of ${info.runs} runs after one warm-up; \`npm run bench\` took ${info.wallSeconds.toFixed(0)} s${info.quick ? ' (BENCH_QUICK: small sizes, not the issue\'s)' : ''}.`,
    `Machine: ${info.cores} cores, 1-minute load average ${info.load[0].toFixed(1)} at the start and ${info.load[1].toFixed(1)} at the end (a load above the core count means other processes shared the CPU and the times are inflated).`,
    'One child process per library, run one after the other. Every library starts from the same inputs (bench/spec.ts) and its outputs are checked against the first library\'s within each workload\'s tolerance.',
    'Times are to completion of the device work, not including a readback. tfjs has no jit: its "jit" rows run the same ops eagerly; it has no makeJaxpr.',
    '',
    '## Devices',
    '',
    '| library | version | target | backend | device |',
    '|---|---|---|---|---|',
    ...reports.flatMap((r) => r.sections.map((s) => `| ${r.library} | ${r.version} | ${s.target} | ${s.backend} | ${s.device} |`)),
  ];
  if (info.failedLibraries.length > 0) out.push('', `Did not report (crashed or failed to start): ${info.failedLibraries.join(', ')}.`);
  for (const target of ['webgpu', 'cpu', 'host'] as Target[]) {
    const t = table(rows, target);
    if (t.length > 0) out.push('', `## ${TITLES[target]}`, '', ...t);
  }
  out.push('', '## Physical references', '');
  for (const r of references) out.push(`- ${r.name} on ${r.device}: **${r.value.toFixed(2)} ${r.unit}** (${r.medianMs.toFixed(2)} ms).`);
  for (const target of ['webgpu', 'cpu'] as Target[]) {
    const best = bestMatmul(rows, target);
    if (best) out.push(`- best ${target} matmul: **${best.gflops.toFixed(2)} GFLOP/s**, ${best.library}, ${best.label}.`);
  }
  const short = shortfalls(rows, references);
  out.push('', '## Closing note', '');
  out.push(short.length === 0 ? `Every WebGPU row meets the ${TARGET_SPEEDUP}× target.` : `WebGPU rows short of the ${TARGET_SPEEDUP}× target:`);
  out.push(...short.map((s) => `- ${s}`));
  if (problems.length > 0) out.push('', '**Problems with this run** (its comparisons are not valid where listed):', ...problems.map((p) => `- ${p}`));
  return `${out.join('\n')}\n`;
}

/** The "Watching" section: each program's steps per second unwatched and watched, and the overhead against issue 7's budget. */
export function watchingSection(results: WatchingResult[], runs: number, failure: string | null): string[] {
  const out = ['', `## Watching (issue 7: reporting may slow a training step by ${WATCH_BUDGET_PERCENT}% at most)`, ''];
  if (failure) return [...out, `Not measured: ${failure}`];
  if (results.length === 0) return [];
  out.push(
    `Each program runs through the Tracelens runner as "Run & watch" runs it (the extension's RunnerClient, webgpu: ${results[0].device}), ` +
    `unwatched (\`watch: false\`: every \`watch\` call a no-op) and watched (every event checked as the extension host checks it), ` +
    `${runs} pairs run back to back, alternating which goes first, after a warm-up run. Steps/s are the program's own: its training loop after the ` +
    'first (compiling) step; median, with the range over the runs. "Watched vs unwatched" is the median over the pairs of 1 − watched/unwatched.',
    '',
    `| program | arguments | unwatched steps/s | watched steps/s | watched vs unwatched | within ${WATCH_BUDGET_PERCENT}% | per watched run: events (messages, pytree summaries) |`,
    '|---|---|--:|--:|--:|:-:|--:|',
  );
  const range = (runs: { stepsPerSecond: number }[]) => {
    const v = runs.map((r) => r.stepsPerSecond);
    return `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}`;
  };
  for (const r of results) {
    const perRun = (key: 'events' | 'messages' | 'treeSummaries') => Math.round(r.watched.reduce((n, w) => n + w[key], 0) / r.watched.length);
    out.push(`| ${r.program} (${r.description}) | \`${r.args.join(' ')}\` | ${r.unwatchedMedian.toFixed(0)} (${range(r.unwatched)}) | ` +
      `${r.watchedMedian.toFixed(0)} (${range(r.watched)}) | ${describeOverhead(r.overheadPercent)} | ${r.overheadPercent <= WATCH_BUDGET_PERCENT ? 'yes' : 'no'} | ` +
      `${perRun('events')} (${perRun('messages')}, ${perRun('treeSummaries')}) |`);
  }
  return out;
}
