// The VS Code extension entry. The extension host never computes: user code and the engine run in
// an isolated worker (a later issue). For now it activates, reports itself, and offers one command.

import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Tracelens');
  context.subscriptions.push(output);
  output.appendLine(`Tracelens ${context.extension.packageJSON.version} activated (workspace trusted: ${vscode.workspace.isTrusted}).`);
  context.subscriptions.push(
    vscode.commands.registerCommand('tracelens.showDevice', () => {
      output.show(true);
      output.appendLine('Device discovery runs in the Tracelens runner process; it is not part of this version yet.');
    }),
  );
}

export function deactivate(): void {}
