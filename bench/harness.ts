// The side of the benchmark that runs inside each library's child process: a library describes its
// sections (a target and the workloads it implements there); the harness checks each workload's
// output once, times it (median after a warm-up), and writes the library's report as JSON for the
// parent (bench/run.ts) to compare.

import { readFileSync, writeFileSync } from 'node:fs';
import { RUNS, WORKLOADS, type Target, type WorkloadId } from './spec.js';

/** A workload with its inputs in place: `output` reads back what it computes, `run` is one timed repetition, complete when the device work is. */
export interface Prepared {
  output(): Promise<ArrayLike<number>>;
  run(): Promise<void>;
  dispose?(): void;
}

export interface Section {
  target: Target;
  /** The library's own name for the backend: `webgpu`, `wasm`, `cpu`. */
  backend: string;
  /** Makes this section's target the library's default before its workloads are prepared and run. */
  enter(): Promise<void> | void;
  /** The adapter or CPU it runs on, as the library (or the adapter) describes it; asked after `enter`. */
  describe(): string;
  workloads: Partial<Record<WorkloadId, () => Promise<Prepared>>>;
}

export interface LibraryBench {
  library: string;
  version: string;
  sections: Section[];
  /** Physical references measured with this library's access to the device (the copy kernel). */
  references?: () => Promise<Reference[]>;
}

export interface Reference { name: string; target: Target; device: string; value: number; unit: string; medianMs: number }

/** Enough of an output to compare libraries without shipping megabytes: its sums and evenly spaced samples. */
export interface Fingerprint { n: number; sum: number; absSum: number; sample: number[] }

export interface Measurement {
  id: WorkloadId;
  target: Target;
  backend: string;
  medianMs?: number;
  runsMs?: number[];
  output?: Fingerprint;
  error?: string;
}

export interface LibraryReport {
  library: string;
  version: string;
  sections: { target: Target; backend: string; device: string }[];
  measurements: Measurement[];
  references: Reference[];
}

const SAMPLES = 16;

export function fingerprint(values: ArrayLike<number>): Fingerprint {
  let sum = 0, absSum = 0;
  for (let i = 0; i < values.length; i++) { sum += values[i]; absSum += Math.abs(values[i]); }
  const count = Math.min(SAMPLES, values.length);
  const sample = Array.from({ length: count }, (_, k) => values[Math.floor((k * values.length) / count)]);
  return { n: values.length, sum, absSum, sample };
}

/** Typed arrays end to end, without spreading them through the call stack (millions of values). */
export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Median wall time of `runs` repetitions after one warm-up (compiles, pool fills), with every run's time. */
export async function timeRuns(run: () => Promise<void>, runs = RUNS): Promise<{ medianMs: number; runsMs: number[] }> {
  await run();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: median(runsMs), runsMs };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every workload of every section in the suite's order; a workload that throws is reported, not fatal. */
export async function runLibrary(bench: LibraryBench): Promise<LibraryReport> {
  const measurements: Measurement[] = [];
  const sections: LibraryReport['sections'] = [];
  for (const section of bench.sections) {
    await section.enter();
    const device = section.describe();
    sections.push({ target: section.target, backend: section.backend, device });
    console.log(`\n${bench.library} ${section.backend} (${device})`);
    for (const spec of WORKLOADS.filter((w) => w.targets.includes(section.target))) {
      const make = section.workloads[spec.id];
      if (!make) continue;
      const base = { id: spec.id, target: section.target, backend: section.backend };
      try {
        const prepared = await make();
        const output = fingerprint(await prepared.output());
        const timing = await timeRuns(() => prepared.run());
        prepared.dispose?.();
        measurements.push({ ...base, ...timing, output });
        console.log(`  ${spec.label.padEnd(52)} ${timing.medianMs.toFixed(2).padStart(10)} ms`);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        measurements.push({ ...base, error });
        console.log(`  ${spec.label.padEnd(52)} failed: ${error}`);
      }
    }
  }
  const references = bench.references ? await bench.references() : [];
  return { library: bench.library, version: bench.version, sections, measurements, references };
}

/** The child's entry: run, then write the report where the parent asked (argv[2]) and exit (Dawn keeps the loop alive). */
export async function main(bench: () => Promise<LibraryBench>): Promise<void> {
  const outFile = process.argv[2];
  if (!outFile) throw new Error('usage: <library bench> <report.json>');
  const report = await runLibrary(await bench());
  writeFileSync(outFile, JSON.stringify(report));
  process.exit(0);
}

/** The version of an installed package (read from node_modules: not every package exports its package.json). */
export function packageVersion(name: string): string {
  const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
