// The library as users get it: after `npm run build`, plain Node resolves `import … from 'tracelens'`
// through package.json "exports" to the built ESM entry, with .d.ts types beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

test('plain Node imports the built tracelens package and computes on its default device', () => {
  const script = `
    import { numpy as np, devices } from 'tracelens';
    const x = np.arange(4, { dtype: 'float32' });
    const y = await np.multiply(x, 2).data();
    console.log(JSON.stringify({ platforms: devices().map((d) => d.platform), y: Array.from(y) }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TRACELENS_PLATFORM: 'cpu' } });
  const got = JSON.parse(out.trim().split('\n').pop()!);
  assert.deepEqual(got.y, [0, 2, 4, 6]);
  assert.ok(got.platforms.includes('cpu'));
});

test('the package ships type declarations for its entry', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const types = pkg.exports['.'].types as string;
  assert.ok(existsSync(types), `${types} should exist after the build`);
  assert.match(readFileSync(types, 'utf8'), /export \* as numpy/);
});

test('the extension manifest and bundle are consistent', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.ok(existsSync(pkg.main), `main ${pkg.main} should be built`);
  assert.ok(pkg.activationEvents.every((e: string) => !e.startsWith('*')), 'activation must be narrow');
  const bundle = readFileSync(pkg.main, 'utf8');
  assert.match(bundle, /require\("vscode"\)/, 'vscode stays external');
});
