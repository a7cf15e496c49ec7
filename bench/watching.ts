// What watching costs a training program (issue 7: reporting may slow a step by 5% at most). Each
// program runs through the Tracelens runner exactly as "Run & watch" runs it — the extension's own
// RunnerClient, on webgpu — once unwatched (`watch: false`: every `watch` call a no-op) and once
// watched, its events going to a consumer that checks each one as the extension host does; the two
// alternate (ABBA), so a change in the machine's load falls on both, and the overhead is the median
// over the pairs of how much slower the watched run of the pair was: a pair runs back to back, under
// much the same load, where medians of the two sides taken apart would each carry its own noise.
// Steps per second come from the program itself (its `RESULT` line: the training loop after the
// first, compiling step), so starting the child and bundling the file do not count.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchEvent } from '../engine/watch/events.js';
import { isRunnerEvent, isWatchEvent, type DeviceInfo } from '../extension/runner/protocol.js';
import { RunnerClient } from '../extension/runner/runner_client.js';
import { median } from './harness.js';

/** Issue 7's budget: watching may cost a training step this much at most. */
export const WATCH_BUDGET_PERCENT = 5;

/** `3.2% slower`, or `1.5% faster` where the watched runs were the faster ones (the machine's noise). */
export function describeOverhead(percent: number): string {
  return percent >= 0 ? `${percent.toFixed(1)}% slower` : `${(-percent).toFixed(1)}% faster`;
}

interface WatchedProgram {
  /** Under examples/. */
  file: string;
  description: string;
  args(quick: boolean): string[];
}

/**
 * The fixed-leaves program's steps are tiny (a 16×3 regression), so watching's share of a step is as
 * large as it gets; the MLP's are closer to real training.
 */
export const WATCHED_PROGRAMS: WatchedProgram[] = [
  { file: 'fixed_leaves.ts', description: 'fixed leaves, Adam on 8 trainable values', args: (quick) => [`--steps=${quick ? 100 : 1000}`, '--json'] },
  { file: 'mlp_classifier.ts', description: 'MLP 2-32-32-3, 300 points, Adam + warmup-cosine', args: (quick) => [`--steps=${quick ? 50 : 300}`, '--json'] },
];

export interface WatchedRun {
  stepsPerSecond: number;
  /** Watch events received, and in how many messages (0 for an unwatched run). */
  events: number;
  messages: number;
  /** Pytree summaries among the events. */
  treeSummaries: number;
}

export interface WatchingResult {
  program: string;
  description: string;
  args: string[];
  device: string;
  unwatched: WatchedRun[];
  watched: WatchedRun[];
  unwatchedMedian: number;
  watchedMedian: number;
  /** How much slower a watched step is, in percent: the median over the pairs of 1 − watched / unwatched. */
  overheadPercent: number;
}

/** Thrown when a run fails or its events do not pass the host's checks: the section cannot be trusted. */
export class WatchingBenchError extends Error {}

/** A RunnerClient as the extension makes one, recording what the current run prints and reports. */
class RecordingRunner {
  readonly client: RunnerClient;
  private printed: string[] = [];
  private counts = { events: 0, messages: 0, treeSummaries: 0, rejected: 0 };

  constructor(root: string, env: Record<string, string>) {
    this.client = new RunnerClient({
      extensionRoot: root, timeoutMs: 300_000, memoryLimitMB: 4096, device: 'webgpu', env,
      onLog: (line, stream) => { if (stream === 'stdout') this.printed.push(line); else process.stderr.write(`  [runner] ${line}\n`); },
      onWatch: (runId, events) => this.consume(runId, events),
    });
  }

  /** What the host's watch model does with a message: check it, then every event in it. */
  private consume(runId: number, events: WatchEvent[]): void {
    this.counts.messages++;
    if (!isRunnerEvent({ type: 'watch', id: runId, events })) this.counts.rejected++;
    for (const event of events) {
      if (!isWatchEvent(event)) this.counts.rejected++;
      else if (event.kind === 'trees') this.counts.treeSummaries++;
      this.counts.events++;
    }
  }

  async run(file: string, args: string[], watch: boolean): Promise<WatchedRun> {
    this.printed = [];
    this.counts = { events: 0, messages: 0, treeSummaries: 0, rejected: 0 };
    const outcome = await this.client.request({ type: 'run', file: { path: file, text: readFileSync(file, 'utf8') }, args, watch });
    const what = `${file} ${args.join(' ')} (${watch ? 'watched' : 'unwatched'})`;
    if (!outcome.ok) throw new WatchingBenchError(`${what} failed: ${outcome.error.name}: ${outcome.error.message}`);
    if (this.counts.rejected > 0) throw new WatchingBenchError(`${what}: ${this.counts.rejected} watch events failed the host's checks`);
    if (watch && this.counts.events === 0) throw new WatchingBenchError(`${what}: no watch events arrived`);
    const line = this.printed.find((l) => l.startsWith('RESULT '));
    const stepsPerSecond = line ? (JSON.parse(line.slice('RESULT '.length)) as { stepsPerSecond?: unknown }).stepsPerSecond : undefined;
    if (typeof stepsPerSecond !== 'number') throw new WatchingBenchError(`${what} printed no RESULT line with stepsPerSecond`);
    const { events, messages, treeSummaries } = this.counts;
    return { stepsPerSecond, events, messages, treeSummaries };
  }
}

/**
 * Measures every program: a warm-up run (the child starts, shaders compile), then `runs` pairs of
 * an unwatched and a watched run, alternating which goes first. Needs the built runner (dist/runner).
 */
export async function measureWatching(root: string, opts: { quick: boolean; runs: number; env: Record<string, string> }): Promise<WatchingResult[]> {
  const runner = new RecordingRunner(root, opts.env);
  try {
    const device = await describeDevice(runner.client);
    const results: WatchingResult[] = [];
    for (const program of WATCHED_PROGRAMS) {
      const file = join(root, 'examples', program.file);
      const args = program.args(opts.quick);
      await runner.run(file, args, false);
      const unwatched: WatchedRun[] = [];
      const watched: WatchedRun[] = [];
      for (let r = 0; r < opts.runs; r++) {
        for (const watch of r % 2 === 0 ? [false, true] : [true, false]) {
          const run = await runner.run(file, args, watch);
          (watch ? watched : unwatched).push(run);
        }
      }
      const unwatchedMedian = median(unwatched.map((r) => r.stepsPerSecond));
      const watchedMedian = median(watched.map((r) => r.stepsPerSecond));
      const overheadPercent = median(watched.map((w, r) => (1 - w.stepsPerSecond / unwatched[r].stepsPerSecond) * 100));
      results.push({ program: `examples/${program.file}`, description: program.description, args, device, unwatched, watched, unwatchedMedian, watchedMedian, overheadPercent });
      console.log(`watching ${program.file}: ${unwatchedMedian.toFixed(0)} steps/s unwatched, ${watchedMedian.toFixed(0)} watched (${describeOverhead(overheadPercent)})`);
    }
    return results;
  } finally {
    runner.client.dispose();
  }
}

async function describeDevice(client: RunnerClient): Promise<string> {
  const outcome = await client.request<{ devices: DeviceInfo[] }>({ type: 'devices' });
  if (!outcome.ok) throw new WatchingBenchError(`the runner did not start: ${outcome.error.name}: ${outcome.error.message}`);
  const webgpu = outcome.value.devices.find((d) => d.platform === 'webgpu');
  if (!webgpu) throw new WatchingBenchError(`the runner has no webgpu device (devices: ${outcome.value.devices.map((d) => d.platform).join(', ')})`);
  return webgpu.description;
}
