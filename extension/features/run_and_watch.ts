// "Run & watch": runs a training program in the program runner with its `watch` reports streaming
// into the Tracelens panel (the loss chart and the pytree inspector), under a time limit meant for
// training rather than the runner's usual one. Registers the panel's views and its controls too.
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.js';
import type { Outcome } from '../trace_service.js';
import { InspectorView, inspectorViewId } from '../watch/inspector_view.js';
import { LossChartView, lossChartViewId } from '../watch/loss_chart_view.js';
import { reportRunError, trustedOrExplain } from '../run_reporting.js';
import { registerWatchControls } from '../watch/watch_controls.js';

export interface RunAndWatchOptions {
  /** The program's arguments; default: the setting `tracelens.runner.programArgs`. */
  args?: string[];
  /** A checkpoint for the program's `watch.begin` to restore. */
  resumeFrom?: string;
}

export type RunOutcome = Outcome<{ durationMs: number }>;

export function registerRunAndWatch(ctx: Ctx): void {
  const chart = new LossChartView(ctx.extensionUri, ctx.watchRuns);
  const inspector = new InspectorView(ctx.extensionUri, ctx.watchRuns);
  ctx.watchViewStats = () => ({ lossChart: { ...chart.host.stats }, inspector: { ...inspector.host.stats } });
  ctx.push(
    chart,
    inspector,
    vscode.window.registerWebviewViewProvider(lossChartViewId, chart.host),
    vscode.window.registerWebviewViewProvider(inspectorViewId, inspector.host),
    vscode.commands.registerCommand('tracelens.runAndWatch',
      (target?: vscode.Uri | string, options?: RunAndWatchOptions) => runAndWatch(ctx, target, options)),
  );
  registerWatchControls(ctx, (file, options) => runAndWatch(ctx, vscode.Uri.file(file), options));
}

/** Runs the file watched and resolves with its outcome when it ends; undefined when it did not start. */
export async function runAndWatch(ctx: Ctx, target?: vscode.Uri | string, options: RunAndWatchOptions = {}): Promise<RunOutcome | undefined> {
  if (!trustedOrExplain(ctx)) return undefined;
  const uri = toUri(target) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Tracelens: open the training program to run and watch first.');
    return undefined;
  }
  const name = vscode.workspace.asRelativePath(uri);
  if (!(await stoppedWhatRuns(ctx, name))) return undefined;
  const document = await vscode.workspace.openTextDocument(uri);
  void vscode.commands.executeCommand(`${lossChartViewId}.focus`);

  const args = options.args ?? ctx.settings.programArgs;
  const run = ctx.watchRuns.begin(document.fileName, args);
  ctx.output.info(`run & watch ${name}${args.length ? ` ${args.join(' ')}` : ''}${options.resumeFrom ? `, from ${options.resumeFrom}` : ''} (${run.label})`);
  ctx.diagnostics.clear(uri, 'run');
  const programs = ctx.programs;
  const request = programs.request<{ durationMs: number }>(
    { type: 'run', file: { path: document.fileName, text: document.getText() }, args, resumeFrom: options.resumeFrom, watch: true },
    { timeoutMs: ctx.settings.watchTimeoutMs });
  // The request starts at once (nothing else runs: see stoppedWhatRuns); should it have queued, the
  // run takes the first unknown request that reports.
  const runnerId = programs.currentRunId;
  ctx.watchRuns.bind(run, runnerId !== null && !ctx.watchRuns.isBound(runnerId) ? runnerId : null);
  const outcome = await request;
  ctx.watchRuns.end(run, outcome.ok ? 'finished' : outcome.error.name === 'Cancelled' ? 'stopped' : 'failed');

  if (outcome.ok) {
    const seconds = (outcome.value.durationMs / 1000).toFixed(1);
    ctx.output.info(`${run.label} finished in ${seconds} s`);
    void vscode.window.showInformationMessage(`Tracelens: ${run.label} finished in ${seconds} s.`);
  } else if (outcome.error.name === 'Cancelled') {
    ctx.output.info(`${run.label} stopped`);
  } else {
    reportRunError(ctx, document, outcome.error);
  }
  return outcome;
}

/** True when nothing runs in the program runner, or the user agreed to stop what does. */
async function stoppedWhatRuns(ctx: Ctx, name: string): Promise<boolean> {
  if (ctx.programs.currentRunId === null) return true;
  const current = ctx.watchRuns.current;
  const what = current && !current.ended ? current.label : 'Another program';
  const stop = 'Stop It and Run';
  const pick = await vscode.window.showWarningMessage(`${what} is still running. Stop it and run & watch ${name}?`, { modal: true }, stop);
  if (pick !== stop) return false;
  ctx.programs.cancel();
  return true;
}

function toUri(target: vscode.Uri | string | undefined): vscode.Uri | undefined {
  if (typeof target !== 'string') return target;
  return isAbsolute(target) ? vscode.Uri.file(target) : vscode.Uri.parse(target);
}
