// What the pytree inspector can show of one run: the trees reported at recent steps (a bounded
// history, thinned so early steps stay selectable) and, per params leaf, its norm over the steps.
// `watch.tree` reports one tree at a time, so reports of the same step merge into one snapshot.
import type { TreeReport } from '../../engine/watch/events.js';
import type { InspectorSnapshot, NormPoint } from '../../webview/protocol/inspector.js';
import { Thinning } from './thinning.js';

/** Snapshots kept per run; the most recent half is never thinned. */
export const MAX_SNAPSHOTS = 200;
/** Norm points kept per params leaf; the most recent half is never thinned. */
export const MAX_NORM_POINTS = 2000;

interface StepTrees {
  seq: number;
  step: number;
  /** By tree name, in the order the trees first arrived. */
  trees: Map<string, TreeReport>;
  fixedPaths: Set<string>;
}

/** The tree the inspector treats as the params (as webview/inspector does): 'params', else the first. */
const PARAMS = 'params';

export class TreesHistory {
  /** In step order. */
  private readonly steps: StepTrees[] = [];
  private readonly stepsThinning = new Thinning(MAX_SNAPSHOTS, MAX_SNAPSHOTS / 2);
  private stepsSeen = 0;
  private readonly norms = new Map<string, NormHistory>();
  private paramsName: string | undefined;

  get availableSteps(): number[] {
    return this.steps.map((s) => s.step);
  }

  add(step: number, trees: readonly TreeReport[], fixedPaths: readonly string[]): void {
    const entry = this.entryAt(step);
    for (const tree of trees) entry.trees.set(tree.name, tree);
    for (const path of fixedPaths) entry.fixedPaths.add(path);
    this.stepsThinning.apply(this.steps);
    this.recordNorms(step, trees);
  }

  /** The snapshot of `step` (the nearest recorded one at or before it, else after it), or the newest. */
  snapshot(run: string, step: number | 'latest'): InspectorSnapshot | null {
    const entry = step === 'latest' ? this.steps.at(-1) : this.nearest(step);
    if (!entry) return null;
    return {
      run,
      step: entry.step,
      availableSteps: this.availableSteps,
      trees: [...entry.trees.values()].map((t) => ({ name: t.name, leaves: t.leaves })),
      fixedPaths: [...entry.fixedPaths],
      normHistory: Object.fromEntries([...this.norms].map(([path, h]) => [path, h.points.map(({ step, norm }) => ({ step, norm }))])),
    };
  }

  private entryAt(step: number): StepTrees {
    const index = this.firstIndexAtOrAfter(step);
    const found = this.steps[index];
    if (found?.step === step) return found;
    const created: StepTrees = { seq: this.stepsSeen++, step, trees: new Map(), fixedPaths: new Set() };
    this.steps.splice(index, 0, created);
    return created;
  }

  private nearest(step: number): StepTrees | undefined {
    const index = this.firstIndexAtOrAfter(step);
    if (this.steps[index]?.step === step) return this.steps[index];
    return this.steps[index - 1] ?? this.steps[index];
  }

  private firstIndexAtOrAfter(step: number): number {
    let lo = 0;
    let hi = this.steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.steps[mid].step < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private recordNorms(step: number, trees: readonly TreeReport[]): void {
    if (this.paramsName !== PARAMS && trees.some((t) => t.name === PARAMS)) {
      // A run that reported other trees first and its params later: the params are what the sparklines mean.
      this.paramsName = PARAMS;
      this.norms.clear();
    }
    this.paramsName ??= trees[0]?.name;
    const params = trees.find((t) => t.name === this.paramsName);
    if (!params) return;
    for (const leaf of params.leaves) {
      let history = this.norms.get(leaf.path);
      if (!history) this.norms.set(leaf.path, (history = new NormHistory()));
      history.record(step, leaf.norm);
    }
  }
}

/** One leaf's norm over the steps, in step order. */
class NormHistory {
  readonly points: (NormPoint & { seq: number })[] = [];
  private readonly thinning = new Thinning(MAX_NORM_POINTS, MAX_NORM_POINTS / 2);
  private seen = 0;

  record(step: number, norm: number): void {
    const last = this.points.at(-1);
    if (last && last.step === step) {
      this.points[this.points.length - 1] = { ...last, norm };
      return;
    }
    if (last && last.step > step) return; // an older step reported late: the sparkline stays in step order
    this.points.push({ seq: this.seen++, step, norm });
    this.thinning.apply(this.points);
  }
}
