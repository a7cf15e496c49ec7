// `watch.step(i, {loss, params, grads, optState})`: one call per training step that reports to the
// Tracelens panel and obeys its controls. Without a sink (outside the extension) it returns at once.
//
// It never makes a step wait for the device: every value is read back asynchronously and reported
// when it arrives (in step order); pytree summaries are throttled to a few per second, because
// reading back every parameter every step would cost more than the step. Only a control the user
// gave (pause, a learning-rate change, save now) makes it wait.
import { mkdir } from 'node:fs/promises';
import { Array } from '../core/array.js';
import { isKey } from '../core/dtype.js';
import * as checkpoint from '../checkpoint/index.js';
import { checkpointPath } from '../checkpoint/manager.js';
import * as np from '../numpy/index.js';
import * as treeUtil from '../tree/index.js';
import { wireNumber, type TreeReport, type WatchControl, type WatchEvent, type WatchSink } from './events.js';
import { watchSink } from './sink.js';
import { summarize, type LeafValues } from './summarize.js';
import { keyValue } from '../tree/keys.js';

export interface StepReport<S> {
  /** The step's loss (a scalar array or a number): the series 'loss'. */
  loss?: Array | number;
  params?: unknown;
  grads?: unknown;
  optState?: S;
  /** Frozen params: a prefix of `params` with booleans, true = fixed (an Optax mask, inverted). */
  fixed?: unknown;
  /** More series: `{accuracy: acc}`. */
  scalars?: Record<string, Array | number>;
}

export interface WatchOptions {
  /** Least time between two pytree summaries (ms). Default 500. */
  treeIntervalMs: number;
  /** Longest time a report waits before it is sent (ms). Default 50. */
  flushMs: number;
}

const options: WatchOptions = { treeIntervalMs: 500, flushMs: 50 };

/** Changes how often the watcher summarises trees and sends reports. */
export function configure(opts: Partial<WatchOptions>): void {
  Object.assign(options, opts);
}

const LEARNING_RATE_PATH = "['hyperparams']['learningRate']";

/** Reports leave in step order, a batch every `flushMs`. */
class Outbox {
  private chain: Promise<unknown> = Promise.resolve();
  private buffer: WatchEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly sink: WatchSink) {}

  /** Queues an event whose content may still be on its way from the device. */
  later(event: Promise<WatchEvent | WatchEvent[] | null>): void {
    // Started now (the readback runs at once); only the sending waits for the earlier events.
    this.chain = this.chain.then(() => event).then((e) => { if (e) this.push(...([] as WatchEvent[]).concat(e)); }, () => {});
  }

  now(...events: WatchEvent[]): void {
    this.later(Promise.resolve(events));
  }

  /** Resolves once everything queued so far has been handed to the sink. */
  async flush(): Promise<void> {
    await this.chain;
    this.send();
  }

  private push(...events: WatchEvent[]): void {
    this.buffer.push(...events);
    if (this.timer) return;
    this.timer = setTimeout(() => this.send(), options.flushMs);
    this.timer.unref?.();
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length) this.sink.emit(this.buffer.splice(0));
  }
}

/** Per sink (a new run gets a new one): its outbox and when trees were last summarised. */
let outbox: { sink: WatchSink; box: Outbox; lastTreesAt: number; lastYieldAt: number } | null = null;

function stateOf(sink: WatchSink): { box: Outbox; lastTreesAt: number; lastYieldAt: number } {
  if (!outbox || outbox.sink !== sink) outbox = { sink, box: new Outbox(sink), lastTreesAt: -Infinity, lastYieldAt: performance.now() };
  return outbox;
}

/** One turn of the event loop: lets queued reports go out and controls come in. */
const macrotask = (): Promise<void> => new Promise((resolve) => (globalThis.setImmediate ?? setTimeout)(resolve));

const box = (sink: WatchSink): Outbox => stateOf(sink).box;

async function scalarValue(x: Array | number): Promise<number> {
  return typeof x === 'number' ? x : Number((await x.data())[0]);
}

function scalarEvent(series: string, step: number, x: Array | number): Promise<WatchEvent> {
  const wallTime = Date.now();
  return scalarValue(x).then((v) => ({ kind: 'scalar', series, step, wallTime, value: wireNumber(v) }));
}

/** Host copies of a leaf, as the summaries take them (float16 widened; keys are not numbers). */
async function leafValues(leaf: Array): Promise<LeafValues | null> {
  if (isKey(leaf.dtype)) return null;
  return (leaf.dtype === 'float16' ? await leaf.astype('float32').data() : await leaf.data()) as LeafValues;
}

async function treeReport(name: string, t: unknown): Promise<TreeReport> {
  const entries = treeUtil.leavesWithPath(t).filter(([, leaf]) => leaf instanceof Array) as [treeUtil.KeyPath, Array][];
  const values = await Promise.all(entries.map(([, leaf]) => leafValues(leaf)));
  const leaves = entries.flatMap(([path, leaf], i) => (values[i] ? [summarize(treeUtil.keystr(path), leaf.dtype, leaf.shape, values[i]!)] : []));
  return { name, leaves };
}

/** Paths of params whose `fixed` prefix entry is true. */
function fixedPaths(params: unknown, fixed: unknown): string[] {
  if (fixed === undefined) return [];
  return treeUtil.leavesWithPath(params).flatMap(([path]) => {
    let spec: unknown = fixed;
    for (const entry of path) {
      if (typeof spec === 'boolean') break;
      const key = keyValue(entry);
      spec = spec !== null && typeof spec === 'object' ? (spec as Record<string | number, unknown>)[key] : undefined;
    }
    return spec === true ? [treeUtil.keystr(path)] : [];
  });
}

function learningRates(optState: unknown): (Array | number)[] {
  return treeUtil.leavesWithPath(optState).filter(([path]) => treeUtil.keystr(path).endsWith(LEARNING_RATE_PATH)).map(([, leaf]) => leaf as Array | number);
}

function withLearningRate<S>(optState: S, value: number): S {
  return treeUtil.mapWithPath((path, leaf: unknown) => {
    if (!treeUtil.keystr(path).endsWith(LEARNING_RATE_PATH)) return leaf;
    return leaf instanceof Array ? np.full([], value, { dtype: leaf.dtype }) : value;
  }, optState) as S;
}

const fmt = (x: number) => Number(x.toPrecision(4)).toString();

/**
 * Reports one finished training step and applies the panel's controls. Returns the optimiser state
 * to continue with: the one given, or a copy with the learning rate the user set. Outside the
 * extension it returns `report.optState` at once and does nothing else.
 *
 *   state = await watch.step(i, {loss, params, grads, optState: state});
 */
export function step<S>(i: number, report: StepReport<S> & { optState: S }): Promise<S>;
export function step(i: number, report: StepReport<never>): Promise<undefined>;
export async function step<S>(i: number, report: StepReport<S>): Promise<S | undefined> {
  const sink = watchSink();
  let optState = report.optState;
  if (!sink) return optState;
  const out = box(sink);
  if (report.loss !== undefined) out.later(scalarEvent('loss', i, report.loss));
  for (const [name, value] of Object.entries(report.scalars ?? {})) out.later(scalarEvent(name, i, value));

  const now = performance.now();
  const watched = stateOf(sink);
  if (now - watched.lastTreesAt >= options.treeIntervalMs) {
    watched.lastTreesAt = now;
    const named: [string, unknown][] = [['params', report.params], ['grads', report.grads], ['optState', optState]];
    const trees = Promise.all(named.filter(([, t]) => t !== undefined).map(([name, t]) => treeReport(name, t)));
    const wallTime = Date.now();
    out.later(trees.then((reports) => {
      const events: WatchEvent[] = [{ kind: 'trees', step: i, trees: reports, fixedPaths: fixedPaths(report.params, report.fixed) }];
      const grads = reports.find((r) => r.name === 'grads');
      if (grads) events.push({ kind: 'scalar', series: 'grad norm', step: i, wallTime, value: wireNumber(Math.hypot(...grads.leaves.map((l) => l.norm))) });
      return events;
    }));
    const [lr] = optState === undefined ? [] : learningRates(optState);
    if (lr !== undefined) out.later(scalarEvent('learning rate', i, lr));
  }

  // A loop whose steps never leave the microtask queue would hold every report until it ends and
  // never hear a control: give the event loop one turn every flush interval (microseconds each).
  if (now - watched.lastYieldAt >= options.flushMs) {
    watched.lastYieldAt = now;
    await macrotask();
  }

  const controls = sink.drainControls();
  for (let c = controls.shift(); c; c = controls.shift()) {
    if (c.kind === 'pause') {
      await out.flush();
      out.now({ kind: 'paused', step: i });
      await out.flush();
      for (let next = await sink.nextControl(); next.kind !== 'resume'; next = await sink.nextControl()) {
        optState = await apply(next, i, report, optState, out);
      }
      out.now({ kind: 'resumed', step: i });
    } else {
      optState = await apply(c, i, report, optState, out);
    }
  }
  return optState;
}

async function apply<S>(c: WatchControl, i: number, report: StepReport<S>, optState: S | undefined, out: Outbox): Promise<S | undefined> {
  switch (c.kind) {
    case 'setLearningRate': {
      if (optState === undefined || learningRates(optState).length === 0) {
        out.now({ kind: 'marker', step: i + 1, label: 'learning rate not changed: build the optimiser with optax.injectHyperparams' });
        return optState;
      }
      const old = await scalarValue(learningRates(optState)[0]);
      out.now({ kind: 'marker', step: i + 1, label: `lr ${fmt(old)} → ${fmt(c.value)}` });
      return withLearningRate(optState, c.value);
    }
    case 'saveCheckpoint': {
      await mkdir(c.dir, { recursive: true });
      const saved = await checkpoint.save(checkpointPath(c.dir, i), { params: report.params, optState }, { step: i });
      out.now({ kind: 'saved', step: i, path: saved.path }, { kind: 'marker', step: i, label: 'checkpoint saved' });
      await out.flush();
      return optState;
    }
    case 'pause':
    case 'resume':
      return optState; // a pause while paused, or a resume while running: nothing to do
  }
}

/** Queues events after every report so far (`watch.begin`'s restore). */
export function announce(sink: WatchSink, ...events: WatchEvent[]): void {
  box(sink).now(...events);
}

/** A series of your own, outside `step`: `watch.scalar('accuracy', acc, i)`. */
export function scalar(series: string, value: Array | number, stepNumber: number): void {
  const sink = watchSink();
  if (sink) box(sink).later(scalarEvent(series, stepNumber, value));
}

/**
 * Summaries of one pytree of your own at a step (the inspector shows it beside params and grads).
 * Not throttled, unlike `step`'s trees: each call reads every leaf back, so call it when you want one.
 */
export function tree(name: string, pytree: unknown, stepNumber: number): void {
  const sink = watchSink();
  if (!sink) return;
  box(sink).later(treeReport(name, pytree).then((report): WatchEvent => ({ kind: 'trees', step: stepNumber, trees: [report], fixedPaths: [] })));
}

/** A labelled marker on the chart at a step. */
export function marker(label: string, stepNumber: number): void {
  const sink = watchSink();
  if (sink) box(sink).now({ kind: 'marker', step: stepNumber, label });
}

/** Waits until every report so far has been handed over (the runner calls it when a run ends). */
export async function flush(): Promise<void> {
  if (outbox) await outbox.box.flush();
}
