// The VS Code extension entry. The extension host never computes: it finds marked functions (a
// TypeScript parse), and asks the runner — a separate, time- and memory-limited Node process — to
// trace, check and run the user's code. Every feature registers itself on the one Ctx.
import * as vscode from 'vscode';
import { Ctx } from './ctx.js';
import { registerCheckGradients } from './features/check_gradients.js';
import { registerCodeLenses } from './features/code_lenses.js';
import { registerHover } from './features/hover.js';
import { registerJaxprDocuments } from './features/jaxpr_document.js';
import { registerRunAndWatch } from './features/run_and_watch.js';
import { registerRunFile } from './features/run_file.js';
import { registerStatusBar } from './features/status_bar.js';

/** What activate returns: the in-host tests reach the running extension through it. */
export interface TracelensApi {
  ctx: Ctx;
}

export function activate(context: vscode.ExtensionContext): TracelensApi {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  ctx.output.info(`Tracelens ${context.extension.packageJSON.version} activated (workspace trusted: ${vscode.workspace.isTrusted}).`);
  registerJaxprDocuments(ctx);
  registerCodeLenses(ctx);
  registerHover(ctx);
  registerCheckGradients(ctx);
  registerRunFile(ctx);
  registerRunAndWatch(ctx);
  registerStatusBar(ctx);
  ctx.push(
    vscode.commands.registerCommand('tracelens.showOutput', () => ctx.output.show(true)),
    vscode.commands.registerCommand('tracelens.toggleCodeLenses', () => {
      const config = vscode.workspace.getConfiguration('tracelens');
      return config.update('codeLens.enabled', !config.get<boolean>('codeLens.enabled', true), vscode.ConfigurationTarget.Workspace);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'tracelens.active', true);
  return { ctx };
}

export function deactivate(): void {}
