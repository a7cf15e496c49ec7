import type { WatchControl, WatchEvent } from '../../engine/watch/events.js';
import { isLeafSummary } from '../../webview/protocol/inspector.js';

// The one message contract between the extension host and the runner child process (Node IPC,
// `process.send`). The host never computes: every trace, check and run happens in the child.
// Both sides validate what they receive with `isRunnerRequest` / `isRunnerEvent`.

/** The user's file as the editor holds it (unsaved edits included). */
export interface SourceFile {
  /** Absolute path on disk; imports resolve relative to it. */
  path: string;
  text: string;
}

export interface TraceRequest {
  type: 'trace';
  id: number;
  file: SourceFile;
  markId: number;
  /** A shape spec (`f32[3], {w: f32[3,3]}`), from @shapes or recorded; null → error with a hint. */
  shapes: string;
  /** Also compile for the webgpu device and describe the kernel plan. */
  plan?: boolean;
}

export interface CheckGradsRequest {
  type: 'checkGrads';
  id: number;
  file: SourceFile;
  markId: number;
  shapes: string;
  /** Seed of the fixed key the random inputs come from. */
  seed: number;
  /** Highest order to try (2); falls back to lower orders / fewer modes when unsupported. */
  order: number;
}

export interface RunRequest {
  type: 'run';
  id: number;
  file: SourceFile;
  /** The program's command-line arguments: `process.argv.slice(2)` while it runs. Default []. */
  args?: string[];
  /** A checkpoint for the program's `watch.begin` to restore ("Restart from checkpoint"). */
  resumeFrom?: string;
  /** False: no watch sink, so `watch` calls are no-ops (the bench's unwatched baseline). Default true. */
  watch?: boolean;
}

export interface DevicesRequest {
  type: 'devices';
  id: number;
}

export type RunnerRequest = TraceRequest | CheckGradsRequest | RunRequest | DevicesRequest;

/** A position in the user's file (1-based line and column, as in stack traces). */
export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

export interface RunnerErrorInfo {
  /** `ConcretizationTypeError`, `TypeError`, `TimeoutError`, `OutOfMemoryError`, `RunnerCrashed`, … */
  name: string;
  message: string;
  /** The stack with bundle positions mapped back to the user's files. */
  stack?: string;
  /** The innermost frame in the user's file, when there is one. */
  location?: SourceLocation;
}

export interface KernelSummary {
  name: string;
  kind: string;
  /** Indices into the jaxpr's equations. */
  eqns: number[];
  inputs: string[];
  outputs: string[];
  wgsl: string[];
}

export interface TraceResult {
  jaxpr: string;
  /** The shape spec the trace used, normalised (`f32[3], {b: f32[3], w: f32[3,3]}`). */
  shapes: string;
  /** True when every output is a scalar float (so "Check gradients" applies). */
  scalarOutput: boolean;
  /** With `plan: true`: the device and the kernels, or why there is no plan (cpu only). */
  plan?: { device: string; kernels: KernelSummary[]; text: string } | { unavailable: string };
}

export interface GradCheckLeafInfo {
  check: string;
  part: string;
  path: string;
  dtype: string;
  shape: number[];
  maxAbsError: number;
  maxRelError: number;
  atol: number;
  rtol: number;
  pass: boolean;
  note?: string;
}

export interface GradCheckResult {
  pass: boolean;
  order: number;
  modes: string[];
  /** Why the order or modes were lowered from what was asked, if they were. */
  fallback?: string;
  shapes: string;
  device: string;
  leaves: GradCheckLeafInfo[];
}

export interface DeviceInfo {
  platform: string;
  description: string;
  isFallback: boolean;
}

export type RunnerEvent =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; kind: 'trace'; value: TraceResult }
  | { type: 'result'; id: number; kind: 'checkGrads'; value: GradCheckResult }
  | { type: 'result'; id: number; kind: 'run'; value: { durationMs: number } }
  | { type: 'result'; id: number; kind: 'devices'; value: { devices: DeviceInfo[]; warning?: string } }
  | { type: 'error'; id: number; error: RunnerErrorInfo }
  /** Console output of the user's program during a request. */
  | { type: 'log'; id: number; stream: 'stdout' | 'stderr'; text: string }
  /** During 'run': the shapes a marked function was first called with. */
  | { type: 'shapes'; id: number; markId: number; name: string; shapes: string }
  /** During 'run': what the program reported through `watch` (loss, trees, markers…). */
  | { type: 'watch'; id: number; events: WatchEvent[] };

/**
 * A control for the running program's `watch.step` (pause, resume, learning rate, save now). Not a
 * request: it is not queued behind the run it steers, and it has no answer.
 */
export interface RunnerControl {
  type: 'control';
  /** The run it is meant for; a control for another run is dropped. */
  id: number;
  control: WatchControl;
}

// ---- validators ----------------------------------------------------------------------------------
// Strict: a message with an unknown type, a missing or mistyped field, or a field the contract does
// not name is rejected, so a child that misbehaves (or a stale build) cannot feed the host garbage.

type Check = (x: unknown) => boolean;

const isString: Check = (x) => typeof x === 'string';
const isBoolean: Check = (x) => typeof x === 'boolean';
/** Any number, NaN and ±Infinity included (errors of a failed gradient check can be either). */
const isNumber: Check = (x) => typeof x === 'number';
const isInteger: Check = (x) => Number.isSafeInteger(x);
const isNonNegativeInteger: Check = (x) => Number.isSafeInteger(x) && (x as number) >= 0;
const literal = (value: string): Check => (x) => x === value;
const oneOf = (...checks: Check[]): Check => (x) => checks.some((c) => c(x));
const arrayOf = (item: Check): Check => (x) => Array.isArray(x) && x.every(item);

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** An object with exactly these fields (optional ones may be absent or undefined) and no others. */
function record(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (x) => {
    if (!isPlainObject(x)) return false;
    for (const key of Object.keys(x)) {
      if (!(key in required) && !(key in optional)) return false;
    }
    for (const [key, check] of Object.entries(required)) {
      if (!(key in x) || !check(x[key])) return false;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (x[key] !== undefined && !check(x[key])) return false;
    }
    return true;
  };
}

const isSourceFile = record({ path: isString, text: isString });

const requestChecks: Record<RunnerRequest['type'], Check> = {
  trace: record(
    { type: literal('trace'), id: isInteger, file: isSourceFile, markId: isNonNegativeInteger, shapes: isString },
    { plan: isBoolean },
  ),
  checkGrads: record({
    type: literal('checkGrads'), id: isInteger, file: isSourceFile, markId: isNonNegativeInteger, shapes: isString,
    seed: isInteger, order: (x) => isInteger(x) && (x as number) >= 1,
  }),
  run: record(
    { type: literal('run'), id: isInteger, file: isSourceFile },
    { args: arrayOf(isString), resumeFrom: isString, watch: isBoolean },
  ),
  devices: record({ type: literal('devices'), id: isInteger }),
};

export function isRunnerRequest(x: unknown): x is RunnerRequest {
  if (!isPlainObject(x) || typeof x.type !== 'string' || !Object.hasOwn(requestChecks, x.type)) return false;
  return requestChecks[x.type as RunnerRequest['type']](x);
}

const isLocation = record({ path: isString, line: isNonNegativeInteger, column: isNonNegativeInteger });
const isErrorInfo = record({ name: isString, message: isString }, { stack: isString, location: isLocation });

const isKernelSummary = record({
  name: isString, kind: isString, eqns: arrayOf(isNonNegativeInteger), inputs: arrayOf(isString),
  outputs: arrayOf(isString), wgsl: arrayOf(isString),
});
const isTraceResult = record(
  { jaxpr: isString, shapes: isString, scalarOutput: isBoolean },
  {
    plan: oneOf(
      record({ device: isString, kernels: arrayOf(isKernelSummary), text: isString }),
      record({ unavailable: isString }),
    ),
  },
);
const isGradCheckLeaf = record(
  {
    check: isString, part: isString, path: isString, dtype: isString, shape: arrayOf(isNonNegativeInteger),
    maxAbsError: isNumber, maxRelError: isNumber, atol: isNumber, rtol: isNumber, pass: isBoolean,
  },
  { note: isString },
);
const isGradCheckResult = record(
  {
    pass: isBoolean, order: isInteger, modes: arrayOf(isString), shapes: isString, device: isString,
    leaves: arrayOf(isGradCheckLeaf),
  },
  { fallback: isString },
);
const isDeviceInfo = record({ platform: isString, description: isString, isFallback: isBoolean });

const resultValueChecks: Record<string, Check> = {
  trace: isTraceResult,
  checkGrads: isGradCheckResult,
  run: record({ durationMs: isNumber }),
  devices: record({ devices: arrayOf(isDeviceInfo) }, { warning: isString }),
};

const eventChecks: Record<RunnerEvent['type'], Check> = {
  ready: record({ type: literal('ready'), pid: isNonNegativeInteger }),
  result: (x) => {
    if (!isPlainObject(x) || typeof x.kind !== 'string' || !Object.hasOwn(resultValueChecks, x.kind)) return false;
    return record({ type: literal('result'), id: isInteger, kind: isString, value: resultValueChecks[x.kind] })(x);
  },
  error: record({ type: literal('error'), id: isInteger, error: isErrorInfo }),
  log: record({ type: literal('log'), id: isInteger, stream: oneOf(literal('stdout'), literal('stderr')), text: isString }),
  shapes: record({ type: literal('shapes'), id: isInteger, markId: isNonNegativeInteger, name: isString, shapes: isString }),
  watch: record({ type: literal('watch'), id: isInteger, events: arrayOf((e) => isWatchEvent(e)) }),
};

export function isRunnerEvent(x: unknown): x is RunnerEvent {
  if (!isPlainObject(x) || typeof x.type !== 'string' || !Object.hasOwn(eventChecks, x.type)) return false;
  return eventChecks[x.type as RunnerEvent['type']](x);
}

// ---- watch events and controls -----------------------------------------------------------------

const isWireNumber: Check = (x) => (typeof x === 'number' && Number.isFinite(x)) || x === 'NaN' || x === 'Infinity' || x === '-Infinity';
const isStep = isNonNegativeInteger;

const watchEventChecks: Record<WatchEvent['kind'], Check> = {
  scalar: record({ kind: literal('scalar'), series: isString, step: isStep, wallTime: isNumber, value: isWireNumber }),
  marker: record({ kind: literal('marker'), step: isStep, label: isString }),
  trees: record({
    kind: literal('trees'), step: isStep, fixedPaths: arrayOf(isString),
    trees: arrayOf(record({ name: isString, leaves: arrayOf(isLeafSummary) })),
  }),
  paused: record({ kind: literal('paused'), step: isStep }),
  resumed: record({ kind: literal('resumed'), step: isStep }),
  saved: record({ kind: literal('saved'), step: isStep, path: isString }),
  restored: record({ kind: literal('restored'), step: isStep, path: isString }),
};

export function isWatchEvent(x: unknown): x is WatchEvent {
  if (!isPlainObject(x) || typeof x.kind !== 'string' || !Object.hasOwn(watchEventChecks, x.kind)) return false;
  return watchEventChecks[x.kind as WatchEvent['kind']](x);
}

const isWatchControl = oneOf(
  record({ kind: literal('pause') }),
  record({ kind: literal('resume') }),
  record({ kind: literal('setLearningRate'), value: (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 }),
  record({ kind: literal('saveCheckpoint'), dir: isString }),
);

export const isRunnerControl = record({ type: literal('control'), id: isInteger, control: isWatchControl }) as (x: unknown) => x is RunnerControl;
