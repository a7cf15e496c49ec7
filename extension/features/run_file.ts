// "Run file": runs the whole program in the runner (its own process, time- and memory-limited),
// streams its console output to the Output channel, records the shapes each marked function was
// first called with (hovers then work without @shapes), and turns a thrown error into a diagnostic
// at its source-mapped line.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.js';
import { reportRunError, trustedOrExplain } from '../run_reporting.js';
import type { Outcome } from '../trace_service.js';

export function registerRunFile(ctx: Ctx): void {
  ctx.push(
    vscode.commands.registerCommand('tracelens.runFile', (target?: vscode.Uri | string) => runFile(ctx, target)),
    vscode.commands.registerCommand('tracelens.stopRunner', () => {
      if (!ctx.trusted) return;
      ctx.programs.cancel();
      ctx.analysis.cancel();
    }),
  );
}

export async function runFile(ctx: Ctx, target?: vscode.Uri | string): Promise<Outcome<{ durationMs: number }> | undefined> {
  if (!trustedOrExplain(ctx)) return undefined;
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Tracelens: open the TypeScript file to run first.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const name = vscode.workspace.asRelativePath(uri);
  ctx.output.info(`run ${name}`);
  ctx.diagnostics.clear(uri, 'run');
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${name}…`, cancellable: true },
    (_progress, token) => {
      token.onCancellationRequested(() => ctx.programs.cancel());
      return ctx.programs.request<{ durationMs: number }>({ type: 'run', file: { path: document.fileName, text: document.getText() } });
    });
  if (outcome.ok) {
    ctx.output.info(`${name} finished in ${(outcome.value.durationMs / 1000).toFixed(2)} s`);
    void vscode.window.showInformationMessage(`Tracelens: ${name} finished in ${(outcome.value.durationMs / 1000).toFixed(1)} s.`);
  } else {
    reportRunError(ctx, document, outcome.error);
  }
  return outcome;
}
