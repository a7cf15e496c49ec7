// Code lenses above every marked function: "Show jaxpr", and "Check gradients" where it applies
// (grad-marked functions, and any function whose trace showed a scalar float output); on every
// training loop that reports through `watch.step`, "Run & watch". In an untrusted workspace one
// lens per function says why Tracelens is inactive, and no loop gets a lens.
import * as vscode from 'vscode';
import { findWatchLoops } from '../analysis/find_watch_loops.js';
import type { Mark } from '../analysis/mark.js';
import type { Ctx } from '../ctx.js';
import { markRef, SOURCE_SELECTOR } from '../marks_index.js';

export function registerCodeLenses(ctx: Ctx): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      if (!ctx.settings.codeLensEnabled) return [];
      const markLenses = ctx.marks.marks(document).flatMap((mark) => {
        const range = document.lineAt(document.positionAt(mark.lensAt).line).range;
        if (!ctx.trusted) {
          return [new vscode.CodeLens(range, {
            title: 'Tracelens inactive: this workspace is not trusted',
            tooltip: 'Tracelens runs your code only in a trusted workspace. Click to manage workspace trust.',
            command: 'workbench.trust.manage',
          })];
        }
        const ref = markRef(document, mark);
        const lenses = [new vscode.CodeLens(range, {
          title: 'Show jaxpr', tooltip: `Trace ${mark.name} and show its jaxpr`, command: 'tracelens.showJaxpr', arguments: [ref],
        })];
        if (mark.gradMarked || scalarOutputKnown(ctx, document, mark)) {
          lenses.push(new vscode.CodeLens(range, {
            title: 'Check gradients', tooltip: `Compare the derivatives of ${mark.name} with finite differences`, command: 'tracelens.checkGradients', arguments: [ref],
          }));
        }
        return lenses;
      });
      return [...markLenses, ...watchLoopLenses(ctx, document)];
    },
  };
  ctx.push(
    changed,
    vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, provider),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('tracelens.codeLens')) changed.fire(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    ctx.shapes.onDidChange(() => changed.fire()),
  );
  ctx.refreshCodeLenses = () => changed.fire();
}

/** "Run & watch" on each training loop, in trusted workspaces only (it runs the program). */
function watchLoopLenses(ctx: Ctx, document: vscode.TextDocument): vscode.CodeLens[] {
  if (!ctx.trusted) return [];
  return findWatchLoops(document.fileName, document.getText()).map(({ line, character }) => {
    const at = new vscode.Position(line, character);
    return new vscode.CodeLens(new vscode.Range(at, at), {
      title: '$(graph-line) Run & watch',
      tooltip: 'Run this program and watch its loss and parameters live in the Tracelens panel',
      command: 'tracelens.runAndWatch',
      arguments: [document.uri],
    });
  });
}

/** Whether a finished trace already showed a scalar output (never traces just for the lens). */
function scalarOutputKnown(ctx: Ctx, document: vscode.TextDocument, mark: Mark): boolean {
  return ctx.scalarOutputs.get(`${document.fileName}\0${mark.name}`) === true;
}
