// Builds the two artifacts: the `tracelens` library (ESM + .d.ts, by tsc, into dist/engine) and the
// VS Code extension bundle (esbuild, CommonJS, `vscode` external, into dist/extension).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
await build({
  entryPoints: ['extension/extension.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/extension/extension.cjs',
  external: ['vscode'],
  sourcemap: true,
  logLevel: 'warning',
});
console.log('built dist/engine (tracelens library) and dist/extension/extension.cjs');
