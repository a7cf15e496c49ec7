// The watched runs as the in-host suites see them (`ctx.watch`, read-only), and waits on them that
// say, when they time out, what the model held: a watch test fails far from its cause otherwise
// (the runner, the program, the host model and the views are all in between).
import type { WatchApi, WatchRunView } from '../../../extension/watch/watch_api.js';
import type { InspectorSnapshot, LeafSummary } from '../../../webview/protocol/inspector.js';
import { api } from './workspace.js';

export async function watchApi(): Promise<WatchApi> {
  return (await api()).ctx.watch;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The run with that id as the model holds it now (never a stale copy). */
export function runById(watch: WatchApi, id: string): WatchRunView {
  const run = watch.runs.find((r) => r.id === id);
  if (!run) throw new Error(`run ${id} is no longer in ctx.watch.runs (ids: ${watch.runs.map((r) => r.id).join(', ') || 'none'})`);
  return run;
}

/** A one-paragraph account of a run for failure messages: status, steps, markers, series tails. */
export function describeRun(run: WatchRunView | undefined): string {
  if (!run) return 'no run';
  const series = run.seriesNames().map((name) => {
    const points = run.series(name);
    const tail = points.slice(-3).map((p) => `${p.step}:${p.value.toPrecision(4)}`).join(' ');
    return `${name} (${points.length} points, first step ${points[0]?.step ?? '-'}; last ${tail})`;
  });
  const latest = run.snapshot('latest');
  return [
    `${run.label} [${run.id}] status ${run.status}, lastStep ${run.lastStep}, pausedAt ${run.pausedAt}`,
    `markers ${JSON.stringify(run.markers)}`,
    `saved ${JSON.stringify(run.saved)}`,
    `series: ${series.join('; ') || 'none'}`,
    `latest snapshot: ${latest ? `step ${latest.step}, steps ${latest.availableSteps.length}, trees ${latest.trees.map((t) => t.name).join('/')}, fixed ${latest.fixedPaths.join(' ')}` : 'none'}`,
  ].join('\n    ');
}

/**
 * Polls `probe` against the run's current state until it returns a value (not undefined or false);
 * on timeout, throws naming what was awaited and describing the run.
 */
export async function untilRun<T>(
  watch: WatchApi, id: string, what: string, probe: (run: WatchRunView) => T | undefined | false, timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = runById(watch, id);
    const value = probe(run);
    if (value !== undefined && value !== false) return value;
    if (run.status === 'failed') throw new Error(`the run failed while waiting for ${what}:\n    ${describeRun(run)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the run held:\n    ${describeRun(run)}`);
    await sleep(100);
  }
}

/** Waits for the run that starts after `before` runs existed, and returns its id. */
export async function untilNewRun(watch: WatchApi, before: number, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (watch.runs.length <= before) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}: ctx.watch.runs still holds ${watch.runs.length} run(s); the newest:\n    ${describeRun(watch.runs.at(-1))}`);
    }
    await sleep(100);
  }
  return watch.runs[before].id;
}

/** A leaf of a snapshot's tree by key path, or an error listing the paths there are. */
export function leafAt(snapshot: InspectorSnapshot, tree: string, path: string): LeafSummary {
  const found = snapshot.trees.find((t) => t.name === tree);
  if (!found) throw new Error(`the snapshot of step ${snapshot.step} has no '${tree}' tree (trees: ${snapshot.trees.map((t) => t.name).join(', ')})`);
  const leaf = found.leaves.find((l) => l.path === path);
  if (!leaf) throw new Error(`the '${tree}' tree at step ${snapshot.step} has no leaf ${path} (leaves: ${found.leaves.map((l) => l.path).join(', ')})`);
  return leaf;
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
