// The built extension bundle activates and registers its command. This loads dist/extension with a
// minimal stand-in for the `vscode` module; activation inside a real VS Code extension host is
// arrives with the extension itself (code lenses, hovers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { readFileSync } from 'node:fs';

test('the bundled extension activates and registers tracelens.showDevice', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const registered: string[] = [];
  const lines: string[] = [];
  const fakeVscode = {
    window: { createOutputChannel: () => ({ appendLine: (l: string) => lines.push(l), show: () => {}, dispose: () => {} }) },
    workspace: { isTrusted: true },
    commands: { registerCommand: (id: string) => { registered.push(id); return { dispose: () => {} }; } },
  };
  const mod = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const realLoad = mod._load;
  mod._load = (req, parent, isMain) => (req === 'vscode' ? fakeVscode : realLoad(req, parent, isMain));
  try {
    const ext = createRequire(import.meta.url)(`${process.cwd()}/${pkg.main}`);
    const subscriptions: unknown[] = [];
    ext.activate({ subscriptions, extension: { packageJSON: pkg } });
    const declared = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(registered.sort(), declared.sort(), 'every contributed command is registered');
    assert.ok(subscriptions.length >= registered.length, 'disposables are owned by the context');
    assert.match(lines.join('\n'), /Tracelens 0\.\d+\.\d+ activated/);
  } finally {
    mod._load = realLoad;
  }
});
