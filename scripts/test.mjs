// Runs every test: builds the library and extension first (the package tests import the build),
// then Node's test runner over test/**/*.test.ts with tsx. Mesa's shader cache is pointed at a
// project-local folder so lavapipe's LLVM compiles are reused between runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const only = process.argv.slice(2);
mkdirSync('.cache/mesa', { recursive: true });
const env = { ...process.env, MESA_SHADER_CACHE_DIR: resolve('.cache/mesa') };

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', env });

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}
const files = find('test').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
