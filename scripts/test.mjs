// Runs every test: builds the library and extension first (the package tests import the build),
// then Node's test runner over test/**/*.test.ts with tsx. Mesa's shader cache is pointed at a
// project-local folder so lavapipe's LLVM compiles are reused between runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
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
const tap = resolve('.cache/test-results.tap');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { stdio: 'inherit', env });
// One plain closing line for any CI that reads it.
const counts = Object.fromEntries([...readFileSync(tap, 'utf8').matchAll(/^# (pass|fail|skipped|cancelled) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
console.log(`\n${counts.pass ?? 0} passed, ${(counts.fail ?? 0) + (counts.cancelled ?? 0)} failed, ${counts.skipped ?? 0} skipped`);
process.exit(r.status ?? 1);
