// The controls of a watched run: pause, resume, stop, a new learning rate, "save checkpoint now",
// "restart from checkpoint". They appear on the loss chart's title bar by the context key
// `tracelens.watch.state` ('running' | 'paused' | 'idle'); one given with no run in progress says
// so and does nothing else.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { WatchControl } from '../../engine/watch/events.js';
import type { Ctx } from '../ctx.js';
import { checkpointDirFor, listCheckpoints } from './checkpoints.js';
import { trustedOrExplain } from '../run_reporting.js';
import type { WatchRun } from './watch_run.js';

export type WatchState = 'running' | 'paused' | 'idle';
export const watchStateKey = 'tracelens.watch.state';

type Restart = (file: string, options: { args?: string[]; resumeFrom?: string }) => Thenable<unknown>;

export function registerWatchControls(ctx: Ctx, restart: Restart): void {
  let state: WatchState | undefined;
  const updateState = () => {
    const current = ctx.watchRuns.current;
    const next: WatchState = current?.status === 'running' || current?.status === 'paused' ? current.status : 'idle';
    if (next === state) return;
    state = next;
    void vscode.commands.executeCommand('setContext', watchStateKey, next);
  };
  updateState();
  ctx.push(
    ctx.watchRuns.onDelta((deltas) => {
      if (deltas.some((d) => d.kind === 'runs')) updateState();
      for (const d of deltas) {
        if (d.kind === 'saved') announceSaved(ctx, d.run, d.step, d.path);
      }
    }),
    vscode.commands.registerCommand('tracelens.watch.pause', () => send(ctx, { kind: 'pause' })),
    vscode.commands.registerCommand('tracelens.watch.resume', () => send(ctx, { kind: 'resume' })),
    vscode.commands.registerCommand('tracelens.watch.stop', () => stop(ctx)),
    vscode.commands.registerCommand('tracelens.watch.setLearningRate', (value?: number) => setLearningRate(ctx, value)),
    vscode.commands.registerCommand('tracelens.watch.saveCheckpoint', () => saveCheckpoint(ctx)),
    vscode.commands.registerCommand('tracelens.watch.restartFromCheckpoint', (path?: string) => restartFromCheckpoint(ctx, restart, path)),
  );
}

/** The run a control would reach, or undefined after saying there is none. */
function runInProgress(ctx: Ctx): { runnerId: number; run: WatchRun | undefined } | undefined {
  if (!trustedOrExplain(ctx)) return undefined;
  const runnerId = ctx.programs.currentRunId;
  if (runnerId === null) {
    void vscode.window.showInformationMessage('Tracelens: no run is in progress. Start one with "Run & watch".');
    return undefined;
  }
  const current = ctx.watchRuns.current;
  return { runnerId, run: current && !current.ended ? current : undefined };
}

/** Sends a control to the run in progress; false (after saying so) when there is none. */
function send(ctx: Ctx, control: WatchControl): boolean {
  if (!runInProgress(ctx)) return false;
  if (ctx.programs.control(control) !== null) return true;
  void vscode.window.showInformationMessage('Tracelens: the run has just ended; there is nothing to control.');
  return false;
}

function stop(ctx: Ctx): void {
  if (runInProgress(ctx)) ctx.programs.cancel();
}

async function setLearningRate(ctx: Ctx, value?: number): Promise<void> {
  const target = runInProgress(ctx);
  if (!target) return;
  if (value === undefined) {
    const now = target.run?.series('learning rate').at(-1)?.value;
    const typed = await vscode.window.showInputBox({
      title: 'Set the learning rate',
      prompt: 'From the next step on. The optimiser must be built with optax.injectHyperparams.',
      value: now !== undefined && Number.isFinite(now) ? String(now) : undefined,
      validateInput: (text) => (learningRateOf(text) === undefined ? 'Enter a number ≥ 0, e.g. 0.01 or 1e-3.' : undefined),
    });
    if (typed === undefined) return;
    value = learningRateOf(typed);
  }
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    void vscode.window.showErrorMessage(`Tracelens: ${value} is no learning rate; give a finite number ≥ 0.`);
    return;
  }
  send(ctx, { kind: 'setLearningRate', value });
}

function learningRateOf(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function checkpointDir(ctx: Ctx, file: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? dirname(file);
  return checkpointDirFor(file, ctx.settings.checkpointDir, folder);
}

function saveCheckpoint(ctx: Ctx): void {
  const target = runInProgress(ctx);
  if (!target) return;
  if (!target.run) {
    void vscode.window.showInformationMessage('Tracelens: the program in progress was not started with "Run & watch"; it cannot be asked to save.');
    return;
  }
  if (send(ctx, { kind: 'saveCheckpoint', dir: checkpointDir(ctx, target.run.file) })) {
    vscode.window.setStatusBarMessage(`Tracelens: saving a checkpoint of ${target.run.label}…`, 5000);
  }
}

function announceSaved(ctx: Ctx, runId: string, step: number, path: string): void {
  const label = ctx.watchRuns.find(runId)?.label ?? runId;
  ctx.output.info(`${label}: checkpoint of step ${step} saved to ${path}`);
  void vscode.window.showInformationMessage(`Tracelens: saved a checkpoint of ${label} at step ${step}: ${vscode.workspace.asRelativePath(path)}`);
}

async function restartFromCheckpoint(ctx: Ctx, restart: Restart, path?: string): Promise<void> {
  if (!trustedOrExplain(ctx)) return;
  const previous = ctx.watchRuns.current;
  const file = previous?.file ?? activeProgram();
  if (!file) {
    void vscode.window.showInformationMessage('Tracelens: run a training program with "Run & watch" first, or open it, to restart it from a checkpoint.');
    return;
  }
  const checkpoint = path ?? await pickCheckpoint(checkpointDir(ctx, file));
  if (!checkpoint) return;
  if (ctx.programs.currentRunId !== null) ctx.programs.cancel();
  await restart(file, { args: previous?.file === file ? [...previous.args] : undefined, resumeFrom: checkpoint });
}

function activeProgram(): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && document.uri.scheme === 'file' && /^(typescript|javascript)(react)?$/.test(document.languageId) ? document.fileName : undefined;
}

async function pickCheckpoint(dir: string): Promise<string | undefined> {
  const browse = 'Browse…';
  const files = await listCheckpoints(dir);
  const items: (vscode.QuickPickItem & { path?: string })[] = files.map((f) => ({
    label: f.step === null ? vscode.workspace.asRelativePath(f.path) : `step ${f.step}`,
    description: f.step === null ? undefined : vscode.workspace.asRelativePath(f.path),
    detail: `saved ${new Date(f.modifiedMs).toLocaleString()}`,
    path: f.path,
  }));
  items.push({ label: `$(folder-opened) ${browse}`, description: 'another .safetensors checkpoint' });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Restart from checkpoint',
    placeHolder: files.length ? 'The checkpoints of this program, newest first' : `No checkpoints in ${vscode.workspace.asRelativePath(dir)} yet: browse for one`,
  });
  if (!pick) return undefined;
  if (pick.path) return pick.path;
  const chosen = await vscode.window.showOpenDialog({
    title: 'Restart from checkpoint',
    defaultUri: vscode.Uri.file(dir),
    filters: { Checkpoints: ['safetensors'] },
    canSelectMany: false,
    openLabel: 'Restart from it',
  });
  return chosen?.[0]?.fsPath;
}
