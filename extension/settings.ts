// Typed reads of the `tracelens.*` settings declared in package.json.
import * as vscode from 'vscode';

export interface Settings {
  codeLensEnabled: boolean;
  hoverEnabled: boolean;
  timeoutMs: number;
  memoryLimitMB: number;
  device: 'default' | 'webgpu' | 'cpu';
  /** The arguments "Run & watch" gives a program (`process.argv.slice(2)`). */
  programArgs: string[];
  /** The time limit of a "Run & watch" run: a training run outlasts the runner's usual limit. */
  watchTimeoutMs: number;
  /** Where "Save checkpoint now" saves, relative to the workspace folder unless absolute. */
  checkpointDir: string;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('tracelens');
  const device = c.get<string>('runner.device', 'default');
  const programArgs = c.get<unknown>('runner.programArgs', []);
  return {
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    hoverEnabled: c.get<boolean>('hover.enabled', true),
    timeoutMs: Math.max(1, c.get<number>('runner.timeoutSeconds', 30)) * 1000,
    memoryLimitMB: Math.max(128, c.get<number>('runner.memoryLimitMB', 2048)),
    device: device === 'webgpu' || device === 'cpu' ? device : 'default',
    programArgs: Array.isArray(programArgs) ? programArgs.map(String) : [],
    watchTimeoutMs: Math.max(1, c.get<number>('watch.timeoutMinutes', 60)) * 60_000,
    checkpointDir: c.get<string>('watch.checkpointDir', '.tracelens/checkpoints') || '.tracelens/checkpoints',
  };
}
