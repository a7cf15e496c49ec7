// A 'run' request: the user's whole file, as `tsx file.ts ...args` would run it (process.argv holds
// the file and its arguments while it runs), with a watch sink that streams the program's `watch`
// reports to the host, takes the host's controls and offers `watch.begin` the checkpoint to restart
// from — or none, when the host asks for an unwatched run (the bench's baseline), which makes every
// `watch` call a no-op.

import type { RunnerEvent, RunRequest } from '../protocol.js';
import type { Engine } from './engine.js';
import { runFile } from './user_module.js';
import { RunnerWatchSink } from './watch_sink.js';

export async function runProgram(
  req: RunRequest,
  engine: Engine,
  send: (event: RunnerEvent) => void,
  /** Told the sink the host's controls go to while the program runs, then null. */
  onSink: (sink: RunnerWatchSink | null) => void,
): Promise<{ durationMs: number }> {
  const start = performance.now();
  const sink = req.watch === false ? null : new RunnerWatchSink(
    req.id, (events) => send({ type: 'watch', id: req.id, events }), req.resumeFrom ?? null, (text) => process.stderr.write(text));
  const argv = process.argv;
  process.argv = [process.execPath, req.file.path, ...(req.args ?? [])];
  engine.__runnerInternals.setWatchSink(sink);
  onSink(sink);
  try {
    await runFile(req.file, engine, (markId, name, shapes) => send({ type: 'shapes', id: req.id, markId, name, shapes }));
    await engine.watch.flush();
    sink?.end();
  } finally {
    onSink(null);
    engine.__runnerInternals.setWatchSink(null);
    process.argv = argv;
  }
  return { durationMs: performance.now() - start };
}
