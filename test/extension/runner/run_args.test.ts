// A 'run' gives the program a command line as `tsx file.ts ARGS…` would: process.argv[1] is the file
// and the run's `args` follow it, for that run only.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, startClient, value } from './helpers.js';

const runner = startClient();
after(() => runner.client.dispose());

const printedArgv = (from: number) => runner.logs.slice(from).filter((l) => l.line.startsWith('argv ')).map((l) => JSON.parse(l.line.slice(5)) as string[]);

test("the program's process.argv holds its file and the run's arguments, and only for that run", { timeout: 120_000 }, async () => {
  const file = fixture('print_argv.ts');
  const before = runner.logs.length;
  value(await runner.client.request({ type: 'run', file, args: ['--steps=3', 'two words', '--json'] }));
  assert.deepEqual(printedArgv(before), [[file.path, '--steps=3', 'two words', '--json']]);

  const next = runner.logs.length;
  value(await runner.client.request({ type: 'run', file }));
  assert.deepEqual(printedArgv(next), [[file.path]], 'no arguments: none left over from the run before');
});
