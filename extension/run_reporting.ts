// How "Run file", "Run & watch" and the watch controls tell the user what they cannot do or what
// went wrong: a polite refusal in an untrusted workspace, and a run's error as a diagnostic at its
// source-mapped line plus a message that opens the output.
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { tracelensDiagnostic } from './diagnostics.js';
import type { RunnerErrorInfo } from './runner/protocol.js';

/** False, after saying why, when the workspace is not trusted (nothing runs then). */
export function trustedOrExplain(ctx: Ctx): boolean {
  if (ctx.trusted) return true;
  void vscode.window.showWarningMessage('Tracelens runs your code only in a trusted workspace.', 'Manage Workspace Trust')
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

export function reportRunError(ctx: Ctx, document: vscode.TextDocument, error: RunnerErrorInfo): void {
  ctx.output.error(`${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`);
  const loc = error.location;
  if (loc && loc.path === document.fileName) {
    const line = document.lineAt(Math.min(Math.max(loc.line - 1, 0), document.lineCount - 1));
    const start = Math.min(Math.max(loc.column - 1, line.firstNonWhitespaceCharacterIndex), line.range.end.character);
    const range = new vscode.Range(line.lineNumber, start, line.lineNumber, line.range.end.character);
    ctx.diagnostics.set(document.uri, 'run', [tracelensDiagnostic(range, `${error.name}: ${error.message}`)]);
  }
  const where = loc ? ` (${vscode.workspace.asRelativePath(loc.path)}:${loc.line})` : '';
  void vscode.window.showErrorMessage(`Tracelens: ${error.name}${where}: ${error.message.split('\n')[0]}`, 'Show Output')
    .then((pick) => pick && ctx.output.show(true));
}
