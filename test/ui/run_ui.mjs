// Runs the UI test (ui.spec.mjs): installs the packaged .vsix into a fresh code-server, serves the
// fixture project, and drives the workbench in headless Chromium with Playwright, as a user would.
//
//   node test/ui/run_ui.mjs [--vsix=FILE] [--results=FILE]
//
// The .vsix comes from `node scripts/package.mjs` (default .e2e/tracelens-linux-x64.vsix).
// Screenshots: .e2e/shots/ui-*.png (ui-FAIL.png at a failing step). The run folder (.e2e/ui-*:
// workspace, server log, browser console) is removed after a pass and kept after a failure.
// Exit status: 0 every step passed, 1 a step failed, 2 the host could not be set up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hostEnv, makeRunDir, prepareWorkspace, repoRoot, writeUserSettings } from '../extension-host/fixture.mjs';
import {
  assertHostInstalled, codeServerBin, freePort, launchChromium, onInterrupt, recordConsole, seconds, startGroup,
} from '../extension-host/vscode_host.mjs';
import { steps, userSettings } from './ui.spec.mjs';

const { values: options } = parseArgs({
  options: {
    vsix: { type: 'string', default: join(repoRoot, '.e2e/tracelens-linux-x64.vsix') },
    results: { type: 'string' },
  },
});
const vsix = resolve(options.vsix);
const shots = join(repoRoot, '.e2e/shots');

async function main() {
  assertHostInstalled();
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`node scripts/package.mjs\` first.`);
  const started = Date.now();
  const runDir = makeRunDir('ui');
  const ws = prepareWorkspace(runDir);
  const userData = join(runDir, 'user-data');
  const extensions = join(runDir, 'extensions');
  const serverLog = join(runDir, 'server.log');
  const consoleLog = join(runDir, 'browser-console.log');
  const env = hostEnv(runDir);
  writeUserSettings(userData, { 'security.workspace.trust.enabled': false, ...userSettings });
  mkdirSync(shots, { recursive: true });
  for (const step of steps) rmSync(join(shots, step.shot), { force: true });
  rmSync(join(shots, 'ui-FAIL.png'), { force: true });

  console.log(`UI test in ${runDir}`);
  const installStarted = Date.now();
  execFileSync(process.execPath, [codeServerBin, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData],
    { env, stdio: ['ignore', 'pipe', 'inherit'] });
  console.log(`  installed ${vsix.slice(repoRoot.length + 1)} in ${seconds(Date.now() - installStarted)}`);

  const port = await freePort();
  const server = startGroup(process.execPath, [codeServerBin, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userData, '--extensions-dir', extensions, ws], { env, logFile: serverLog });
  let browser = null;
  const shutdown = async () => {
    await browser?.close().catch(() => {});
    await server.stop();
  };
  onInterrupt(shutdown);

  const tally = { passes: 0, failures: 0, pending: 0 };
  let setupError = null;
  try {
    await server.waitForOutput(/HTTP server listening on/, 60_000, 'code-server listening');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    recordConsole(page, consoleLog);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    let failed = false;
    for (const step of steps) {
      if (failed) {
        tally.pending += 1;
        console.log(`  - ${step.name} (skipped)`);
        continue;
      }
      const stepStarted = Date.now();
      page.setDefaultTimeout(step.timeoutMs);
      try {
        const detail = await step.run(page);
        await page.screenshot({ path: join(shots, step.shot) });
        tally.passes += 1;
        console.log(`  ✔ ${step.name} (${seconds(Date.now() - stepStarted)})${detail ? `: ${detail}` : ''}`);
      } catch (error) {
        failed = true;
        tally.failures += 1;
        await page.screenshot({ path: join(shots, 'ui-FAIL.png') }).catch(() => {});
        const message = String(error instanceof Error ? error.message : error).replace(/\x1b\[[0-9;]*m/g, ''); // Playwright colours its call log
        console.log(`  ✖ ${step.name} (${seconds(Date.now() - stepStarted)})\n    ${message.split('\n').join('\n    ')}`);
      }
    }
  } catch (error) {
    setupError = error instanceof Error ? error.message : String(error);
    tally.failures += 1;
  }
  await shutdown();

  if (options.results) writeFileSync(options.results, JSON.stringify({ ...tally, wallMs: Date.now() - started }));
  console.log(`UI: ${tally.passes} passed, ${tally.failures} failed, ${tally.pending} skipped in ${seconds(Date.now() - started)}; screenshots in .e2e/shots`);
  if (tally.failures === 0) {
    rmSync(runDir, { recursive: true, force: true });
    return 0;
  }
  if (setupError) console.error(setupError);
  console.error(`Kept ${runDir}: server.log, browser-console.log.`);
  return setupError ? 2 : 1;
}

process.exit(await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  return 2;
}));
