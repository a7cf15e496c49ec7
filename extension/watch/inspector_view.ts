// The "Pytree inspector" view of the Tracelens panel: the trees of the run in progress as they are
// reported (at most a few snapshots a second), or the step the user picked; "copy key path" writes
// to the clipboard, which a webview cannot do reliably.
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../webview/protocol/inspector.js';
import { InspectorFeed } from './inspector_feed.js';
import { Throttle } from './throttle.js';
import type { WatchModel } from './watch_model.js';
import { WebviewViewHost } from './webview_view_host.js';

export const inspectorViewId = 'tracelens.inspector';
/** Trees arrive a few times a second at most; a snapshot with histograms and heatmaps is heavy. */
const POST_INTERVAL_MS = 250;

export class InspectorView implements vscode.Disposable {
  readonly host: WebviewViewHost<HostToWebview, WebviewToHost>;
  private readonly feed: InspectorFeed;
  private readonly posting = new Throttle(POST_INTERVAL_MS, () => this.post(this.feed.take()));
  private readonly subscription: { dispose(): void };

  constructor(extensionUri: vscode.Uri, model: WatchModel) {
    this.feed = new InspectorFeed(model);
    this.host = new WebviewViewHost(extensionUri, {
      bundle: 'inspector',
      title: 'Pytree inspector',
      isWebviewToHost,
      onResolved: () => {},
      onReady: () => this.post(this.feed.message()),
      onMessage: (message) => this.receive(message),
    });
    this.subscription = model.onDelta((deltas) => {
      this.feed.add(deltas);
      if (this.feed.pending && this.host.ready) this.posting.schedule();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.posting.dispose();
    this.host.dispose();
  }

  private async receive(message: Exclude<WebviewToHost, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'selectStep':
        this.feed.select(message.run, message.step);
        this.post(this.feed.take());
        return;
      case 'copyPath':
        await vscode.env.clipboard.writeText(message.path);
        vscode.window.setStatusBarMessage(`Tracelens: copied ${message.path}`, 3000);
        return;
    }
  }

  private post(message: HostToWebview | undefined): void {
    if (message && this.host.ready) this.host.post(message);
  }
}
