// The runner child process (built to dist/runner/child.mjs): executes the user's code for the
// extension host, one request at a time, answering over Node IPC (../protocol.ts). The host forks
// it with a heap limit and kills it on timeout; a crash here costs the user one request, never the
// editor. It loads the engine once, then says `ready`.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunnerControl, isRunnerRequest, type RunnerEvent, type RunnerRequest } from '../protocol.js';
import { BundleError } from './bundle.js';
import { devicesInfo } from './devices_info.js';
import { loadEngine, type Engine } from './engine.js';
import { toErrorInfo } from './error_info.js';
import { checkGradients } from './grad_check.js';
import { captureOutput, writeStderr } from './output_capture.js';
import { RunnerError } from './runner_error.js';
import { trace } from './trace.js';
import { runProgram } from './run_program.js';
import { isMarkReached } from './user_module.js';
import type { RunnerWatchSink } from './watch_sink.js';

process.setSourceMapsEnabled(true);

/** <root>/dist/runner/child.mjs → <root>: frames under its engine/, extension/ and dist/ are not the user's. */
const EXTENSION_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const INTERNAL_DIRS = ['engine', 'extension', 'dist'].map((d) => join(EXTENSION_ROOT, d));

function send(event: RunnerEvent): void {
  process.send?.(event);
}

/** The sink of the 'run' in progress, which the host's controls go to. */
let watching: RunnerWatchSink | null = null;

/** The request being handled, so errors thrown outside its call chain can end it. */
let active: { id: number; fail: (e: unknown) => void } | null = null;

function onStrayError(e: unknown): void {
  if (isMarkReached(e)) return;
  if (active) active.fail(e);
  else writeStderr(`Tracelens runner: an error outside any request: ${e instanceof Error ? e.stack : String(e)}\n`);
}
process.on('uncaughtException', onStrayError);
process.on('unhandledRejection', onStrayError);
// The host went away (closed, crashed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));

async function perform(req: RunnerRequest, engine: Engine, printed: { warnings: string }): Promise<RunnerEvent> {
  switch (req.type) {
    case 'trace':
      return { type: 'result', id: req.id, kind: 'trace', value: await trace(req, engine) };
    case 'checkGrads':
      return { type: 'result', id: req.id, kind: 'checkGrads', value: await checkGradients(req, engine) };
    case 'run':
      return { type: 'result', id: req.id, kind: 'run', value: await runProgram(req, engine, send, (sink) => { watching = sink; }) };
    case 'devices':
      return { type: 'result', id: req.id, kind: 'devices', value: devicesInfo(engine, printed.warnings) };
  }
}

async function handle(req: RunnerRequest, engine: Engine): Promise<void> {
  const printed = { warnings: '' };
  const restoreOutput = captureOutput((stream, text) => {
    if (stream === 'stderr') printed.warnings += text;
    send({ type: 'log', id: req.id, stream, text });
  });
  const userFile = 'file' in req ? req.file.path : null;
  try {
    const failed = new Promise<never>((_, reject) => { active = { id: req.id, fail: reject }; });
    send(await Promise.race([perform(req, engine, printed), failed]));
  } catch (e) {
    if (e instanceof BundleError) send({ type: 'error', id: req.id, error: e.info });
    else if (e instanceof RunnerError) send({ type: 'error', id: req.id, error: { name: e.name, message: e.message, location: e.location } });
    else send({ type: 'error', id: req.id, error: toErrorInfo(e, { userFile, internalDirs: INTERNAL_DIRS }) });
  } finally {
    active = null;
    restoreOutput();
  }
}

const engine = await loadEngine();
let queue = Promise.resolve();
process.on('message', (message: unknown) => {
  if (isRunnerControl(message)) {
    // Not queued: it steers the run in progress (a control for an earlier run is dropped).
    if (watching?.runId === message.id) watching.receive(message.control);
    return;
  }
  if (!isRunnerRequest(message)) {
    writeStderr(`Tracelens runner: ignoring a malformed request: ${JSON.stringify(message)?.slice(0, 200)}\n`);
    return;
  }
  queue = queue.then(() => handle(message, engine));
});
send({ type: 'ready', pid: process.pid });
