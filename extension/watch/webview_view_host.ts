// One of the panel's webview views, hosted: the page (strict CSP, resources only from dist/webview),
// every message from the page validated against its protocol (rejects counted), and nothing posted
// before the page says 'ready'. A view's page is discarded when it is hidden (no
// retainContextWhenHidden) and says 'ready' again when shown; the view then brings it up to date.
// A page that stays silent is loaded again (ready_watchdog.ts), a few times, before giving up.
import * as vscode from 'vscode';
import { webviewHtml } from '../panels/webview_html.js';
import { ReadyWatchdog } from './ready_watchdog.js';
import type { WatchViewStats } from './watch_api.js';

const webviewRoot = ['dist', 'webview'] as const;

/** A page says 'ready' within milliseconds once its script runs; 5 s of silence means it never ran. */
const READY_TIMEOUT_MS = 5000;
const MAX_RELOADS = 3;

export interface WebviewViewPage<FromWebview> {
  /** `loss_chart` → dist/webview/loss_chart.{js,css}. */
  bundle: string;
  title: string;
  isWebviewToHost(message: unknown): message is FromWebview;
  /** The view was created anew; its page restores `savedState`, what it last saved, if anything. */
  onResolved(savedState: unknown): void;
  /** The page listens: send it what it lacks. */
  onReady(): void;
  onMessage(message: Exclude<FromWebview, { type: 'ready' }>): void | Promise<void>;
}

export class WebviewViewHost<ToWebview, FromWebview extends { type: string }> implements vscode.WebviewViewProvider, vscode.Disposable {
  readonly stats: WatchViewStats = { resolved: false, ready: false, posted: 0, rejected: 0 };
  private view: vscode.WebviewView | undefined;
  private viewDisposables: vscode.Disposable[] = [];
  private readonly watchdog = new ReadyWatchdog({
    timeoutMs: READY_TIMEOUT_MS,
    maxReloads: MAX_RELOADS,
    reload: (attempt) => {
      console.warn(`Tracelens: the ${this.page.title} view did not say 'ready' within ${READY_TIMEOUT_MS / 1000} s; loading it again (${attempt} of ${MAX_RELOADS})`);
      this.loadPage();
    },
    giveUp: () => {
      void vscode.window.showWarningMessage(`Tracelens: the ${this.page.title} view did not start after ${MAX_RELOADS} reloads. `
        + 'Close and reopen the panel, or run "Developer: Reload Window".');
    },
  });

  constructor(private readonly extensionUri: vscode.Uri, private readonly page: WebviewViewPage<FromWebview>) {}

  get ready(): boolean {
    return this.stats.ready;
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView, context: vscode.WebviewViewResolveContext): void {
    this.release();
    this.view = view;
    this.stats.resolved = true;
    this.stats.ready = false;
    const webview = view.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, ...webviewRoot)] };
    this.viewDisposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        // Hidden, the page is discarded; shown, VS Code loads it again, and it should say 'ready'.
        if (view.visible) {
          this.watchdog.expectReady();
        } else {
          this.stats.ready = false;
          this.watchdog.cancel();
        }
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.release();
      }),
    );
    this.page.onResolved(context.state);
    this.watchdog.ready(); // a new view starts with a full set of reloads
    this.loadPage();
  }

  /** Posts when the page listens; otherwise drops the message (the page is brought up to date on 'ready'). */
  post(message: ToWebview): boolean {
    if (!this.view || !this.stats.ready) return false;
    this.stats.posted++;
    void this.view.webview.postMessage(message);
    return true;
  }

  dispose(): void {
    this.release();
  }

  private receive(message: unknown): void {
    if (!this.page.isWebviewToHost(message)) {
      this.stats.rejected++;
      console.warn(`Tracelens: ignoring a message from the ${this.page.title} view that does not match its protocol`, message);
      return;
    }
    if (message.type === 'ready') {
      this.watchdog.ready();
      this.stats.ready = true;
      this.page.onReady();
      return;
    }
    void Promise.resolve(this.page.onMessage(message as Exclude<FromWebview, { type: 'ready' }>)).catch((error: unknown) => {
      void vscode.window.showErrorMessage(`Tracelens: the ${this.page.title} view could not do that: ${(error as Error).message}`);
    });
  }

  /** Sets the page's html, each time with a fresh nonce: VS Code ignores html equal to the current. */
  private loadPage(): void {
    if (!this.view) return;
    const webview = this.view.webview;
    webview.html = webviewHtml({
      webview,
      extensionUri: this.extensionUri,
      title: this.page.title,
      scriptPath: [...webviewRoot, `${this.page.bundle}.js`].join('/'),
      stylePaths: [[...webviewRoot, `${this.page.bundle}.css`].join('/')],
    });
    this.watchdog.expectReady();
  }

  private release(): void {
    this.watchdog.cancel();
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
    this.stats.ready = false;
  }
}
