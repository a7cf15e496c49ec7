// The one object that owns everything the extension creates: the output channel, the two runner
// processes (one for traces and checks, one for whole-program runs, so a long run never blocks a
// hover), the marks index, recorded shapes, diagnostics, the watched runs. Every disposable hangs
// off it.
import * as vscode from 'vscode';
import { TracelensDiagnostics } from './diagnostics.js';
import { MarksIndex } from './marks_index.js';
import { RunnerClient } from './runner/runner_client.js';
import { readSettings, type Settings } from './settings.js';
import { ShapesStore } from './shapes_store.js';
import { TraceService, type Outcome } from './trace_service.js';
import type { Mark } from './analysis/mark.js';
import type { TraceResult } from './runner/protocol.js';
import type { WatchApi, WatchViewStats } from './watch/watch_api.js';
import { WatchModel } from './watch/watch_model.js';

const unresolvedView: WatchViewStats = { resolved: false, ready: false, posted: 0, rejected: 0 };

export class Ctx implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Tracelens', { log: true });
  readonly marks = new MarksIndex();
  readonly shapes: ShapesStore;
  readonly diagnostics = new TracelensDiagnostics();
  readonly extensionUri: vscode.Uri;
  settings: Settings = readSettings();
  /** `file\0name` → whether its last trace had a scalar float output (adds "Check gradients"). */
  readonly scalarOutputs = new Map<string, boolean>();
  /** Set by the code lens provider. */
  refreshCodeLenses: () => void = () => {};
  /** The runs "Run & watch" started, fed by the program runner's watch events. */
  readonly watchRuns = new WatchModel();
  /** Set by the panel's views when they register. */
  watchViewStats: () => ReturnType<WatchApi['viewStats']> = () => ({ lossChart: { ...unresolvedView }, inspector: { ...unresolvedView } });
  /** What the rest of the extension, and the in-host tests, may read of the watched runs. */
  readonly watch: WatchApi;
  private readonly disposables: vscode.Disposable[] = [];
  private analysisRunner?: RunnerClient;
  private programRunner?: RunnerClient;
  private traceService?: TraceService;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.extensionUri = extension.extensionUri;
    this.shapes = new ShapesStore(extension.workspaceState);
    this.disposables.push(this.output, this.diagnostics, this.shapes, this.watchRuns);
    const runs = this.watchRuns;
    this.watch = {
      get runs() { return runs.runs; },
      get current() { return runs.current; },
      onDidChange: (listener) => runs.onDidChange(listener),
      viewStats: () => this.watchViewStats(),
    };
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('tracelens')) return;
      this.settings = readSettings();
      const runnerOptions = this.runnerOptions();
      this.analysisRunner?.updateOptions(runnerOptions);
      this.programRunner?.updateOptions(runnerOptions);
      this.traceService?.clear();
    }));
    this.disposables.push(vscode.workspace.onDidCloseTextDocument((d) => this.marks.forget(d.uri)));
  }

  /** User code runs only in trusted workspaces. */
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The runner for traces, kernel plans, gradient checks and device queries. */
  get analysis(): RunnerClient {
    this.assertTrusted();
    return (this.analysisRunner ??= this.createRunner('analysis'));
  }

  /** The runner for "Run file": a separate process so a long training run never blocks hovers. */
  get programs(): RunnerClient {
    this.assertTrusted();
    return (this.programRunner ??= this.createRunner('program'));
  }

  /** Whether a runner process was ever started (never, in an untrusted workspace). */
  get runnerStarted(): boolean {
    return this.analysisRunner !== undefined || this.programRunner !== undefined;
  }

  get traces(): TraceService {
    return (this.traceService ??= new TraceService(this.analysis, this.shapes));
  }

  /** Traces a mark (cached) and remembers whether its output is a scalar, for the lenses. */
  async trace(document: vscode.TextDocument, mark: Mark, shapes: string, plan = false): Promise<Outcome<TraceResult>> {
    const result = await this.traces.trace(document, mark, shapes, plan);
    if (result.ok) {
      const key = `${document.fileName}\0${mark.name}`;
      if (this.scalarOutputs.get(key) !== result.value.scalarOutput) {
        this.scalarOutputs.set(key, result.value.scalarOutput);
        this.refreshCodeLenses();
      }
    }
    return result;
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  dispose(): void {
    this.analysisRunner?.dispose();
    this.programRunner?.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  private assertTrusted(): void {
    if (!this.trusted) throw new Error('Tracelens runs code only in a trusted workspace.');
  }

  private runnerOptions() {
    return { timeoutMs: this.settings.timeoutMs, memoryLimitMB: this.settings.memoryLimitMB, device: this.settings.device };
  }

  private createRunner(role: 'analysis' | 'program'): RunnerClient {
    return new RunnerClient({
      extensionRoot: this.extensionUri.fsPath,
      ...this.runnerOptions(),
      onLog: (line, stream) => (stream === 'stderr' ? this.output.warn(`[${role}] ${line}`) : this.output.info(`[${role}] ${line}`)),
      onShapes: (file, _markId, name, shapes) => {
        this.output.info(`[${role}] recorded shapes of ${name}: ${shapes}`);
        void this.shapes.record(file, name, shapes);
      },
      onWatch: role === 'program' ? (runId, events) => this.watchRuns.receive(runId, events) : undefined,
    });
  }
}
