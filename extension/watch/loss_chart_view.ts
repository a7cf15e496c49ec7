// The "Loss" view of the Tracelens panel: the live loss chart. It is sent what it lacks of the
// watched runs at most ten times a second, so a fast run keeps the extension host nearly idle, and
// it saves the chart's CSV export where the user says.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isLossChartState, isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../webview/protocol/loss_chart.js';
import { ChartFeed } from './chart_feed.js';
import { Throttle } from './throttle.js';
import type { WatchModel } from './watch_model.js';
import { WebviewViewHost } from './webview_view_host.js';

export const lossChartViewId = 'tracelens.lossChart';
const POST_INTERVAL_MS = 100;

export class LossChartView implements vscode.Disposable {
  readonly host: WebviewViewHost<HostToWebview, WebviewToHost>;
  private readonly feed: ChartFeed;
  private readonly posting = new Throttle(POST_INTERVAL_MS, () => this.postPending());
  private readonly subscription: { dispose(): void };

  constructor(extensionUri: vscode.Uri, model: WatchModel) {
    this.feed = new ChartFeed(model);
    this.host = new WebviewViewHost(extensionUri, {
      bundle: 'loss_chart',
      title: 'Loss',
      isWebviewToHost,
      // The page ignores a saved state that does not match the protocol, and so does the feed.
      onResolved: (saved) => this.feed.restart(isLossChartState(saved) ? saved : undefined),
      onReady: () => this.postPending(),
      onMessage: (message) => exportCsv(message.fileName, message.csv),
    });
    this.subscription = model.onDelta(() => {
      if (this.host.ready) this.posting.schedule();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.posting.dispose();
    this.host.dispose();
  }

  private postPending(): void {
    // A page that does not listen is sent nothing: what it lacks is sent when it says ready.
    if (!this.host.ready) return;
    for (const message of this.feed.take()) this.host.post(message);
  }
}

async function exportCsv(fileName: string, csv: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export the loss chart as CSV',
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : vscode.Uri.file(join(homedir(), fileName)),
    filters: { CSV: ['csv'] },
    saveLabel: 'Export',
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
  const pick = await vscode.window.showInformationMessage(`Tracelens: exported the chart's scalars to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (pick) await vscode.window.showTextDocument(target);
}
