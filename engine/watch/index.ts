// `watch`: a training program's reports to the Tracelens panel (loss, gradient norm, learning rate,
// pytree summaries) and the panel's controls (pause, resume, learning rate, save now, restart from a
// checkpoint through `begin`). A no-op outside the extension, so programs keep their calls everywhere.
//
//   let { params, optState: state, step: first } = await watch.begin({ params: init, optState: optimizer.init(init) });
//   for (let i = first; i < steps; i++) {
//     [loss, params, state, grads] = trainStep(params, state, x, y);
//     state = await watch.step(i, {loss, params, grads, optState: state});
//   }
export { begin } from './begin.js';
export type { Begun } from './begin.js';
export { step, tree, scalar, marker, flush, configure } from './watcher.js';
export type { StepReport, WatchOptions } from './watcher.js';
export type { WatchEvent, WatchControl, WatchSink, TreeReport, WireNumber } from './events.js';
export type { LeafSummary } from './summarize.js';
