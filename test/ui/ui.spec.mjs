// The UI test, as a user meets the extension: the fixture project open in VS Code (code-server in
// Chromium) with the packaged .vsix installed. Each step needs the ones before it; run_ui.mjs runs
// them in order, skips the rest after a failure, and takes a screenshot after each (.e2e/shots).
//
// What the steps look for is in `ui` below, in one place: adjust it when the extension's wording or
// the webview's markup changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../extension-host/fixture.mjs';

export const ui = {
  exampleFile: 'regression.ts',
  /** The marked function whose name is hovered (declared with `function loss(` in the fixture). */
  hoveredFunction: 'loss',
  showJaxprLens: 'Show jaxpr',
  checkGradientsLens: 'Check gradients',
  /** Text in the jaxpr document and in the hover: every jaxpr prints `{ lambda ; … }`. */
  jaxprText: 'lambda',
  /** The gradient-check panel's verdict when every check passed (its placeholder text says "passed to grad"). */
  gradCheckPassed: 'vscode-badge.verdict.pass',
  /** The training program that is run & watched, and the folder the fixture copies it into. */
  watchFolder: 'examples',
  watchFile: 'fixed_leaves.ts',
  /** The training loop the "Run & watch" lens stands on (far down the file: scrolled to first). */
  watchLoop: 'for (let i = first;',
  runAndWatchLens: 'Run & watch',
  /** A drawn line of the loss chart: a smoothed series path with at least two points. */
  chartPath: 'svg.plot-svg path.smoothed[d*="L"]',
  /** A fixed leaf in the inspector's tree. */
  inspectorLeaf: `vscode-tree-item.leaf[data-keystr="['fixed']['scale']"]`,
  /** The chart legend's status of a run the user stopped. */
  stoppedStatus: '.legend-run .status.stopped',
  stopCommand: 'Tracelens: Stop run',
  /** Color themes by their names in "Preferences: Color Theme", with the class the workbench then carries. */
  themes: {
    dark: { name: 'Dark Modern', workbenchClass: 'vs-dark' },
    light: { name: 'Light Modern', workbenchClass: 'vs' },
    highContrast: { name: 'Dark High Contrast', workbenchClass: 'hc-black' },
  },
};

/**
 * User settings the steps rely on. "Run & watch" gives a program the arguments of
 * `tracelens.runner.programArgs`: these make the example train until it is stopped (its default of
 * 100 steps ends before the screenshots) with no scripted learning-rate change.
 */
export const userSettings = {
  'tracelens.runner.programArgs': ['--steps=100000', '--lr-change-at=-1'],
};

const workbench = '.monaco-workbench .part.statusbar';
const lens = (page, title) => page.locator('.codelens-decoration a', { hasText: title });
const activeEditorLines = (page) => page.locator('.editor-group-container.active .monaco-editor .view-lines').first();

/**
 * The frame of the webview whose document holds `selector`. Each webview is an iframe (VS Code's
 * host page) around another (the extension's document), and several are open at once: the panel's
 * two views and the gradient-check editor, so they are told apart by what they show.
 */
async function webviewFrame(page, selector, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) {
      throw new Error(`no webview showed ${selector} within ${timeoutMs / 1000} s; the webviews held:\n${await webviewsText(page)}`);
    }
    await page.waitForTimeout(250);
  }
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Types `query` into the open quick pick and clicks the item labelled exactly `label` (the first
 * row is not always it: "Preferences: Color Theme" also finds "Browse Color Themes in Marketplace").
 */
async function pick(page, query, label, input = page.locator('.quick-input-widget input')) {
  await input.waitFor({ state: 'visible' });
  await input.fill(query);
  const name = page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
  await name.first().click();
}

/** The 1-based line of the first occurrence of `text` in a file (the fixture copies examples/ as they are). */
function lineOf(file, text) {
  const at = readFileSync(file, 'utf8').indexOf(text);
  if (at < 0) throw new Error(`${JSON.stringify(text)} is not in ${file}: update \`ui\` in test/ui/ui.spec.mjs`);
  return readFileSync(file, 'utf8').slice(0, at).split('\n').length;
}

/** Reveals a line of the active editor through "Go to Line" (Monaco draws only the lines in view). */
async function goToLine(page, line) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Each webview as a failure message should show it: VS Code's host page (the outer iframe, named by
 * the webview's id) and the start of the extension's document inside it, or that there is none yet.
 */
async function webviewsText(page) {
  const hosts = page.frames().filter((f) => /\/webview\/browser\/pre\/index\.html/.test(f.url()));
  const texts = await Promise.all(hosts.map(async (host) => {
    const purpose = /[?&]purpose=(\w+)/.exec(host.url())?.[1] ?? '?';
    const inner = host.childFrames()[0];
    if (!inner) return `  ${host.name()} (${purpose}): no document loaded in its host page`;
    const text = (await inner.locator('body').innerText({ timeout: 1000 }).catch(() => '')).replace(/\s+/g, ' ');
    if (text.trim()) return `  ${host.name()} (${purpose}): "${text.slice(0, 160)}"`;
    // An empty document: did its scripts and styles load at all?
    const loaded = await inner.evaluate(() => ({
      readyState: document.readyState,
      scripts: [...document.scripts].map((s) => s.src.split('/').pop()),
      resources: performance.getEntriesByType('resource')
        .map((r) => `${r.name.split('/').pop()} ${Math.round(r.duration)} ms ${r.decodedBodySize} bytes`),
      body: document.body?.innerHTML.slice(0, 120) ?? null,
    })).catch((error) => String(error));
    return `  ${host.name()} (${purpose}): empty; ${JSON.stringify(loaded)}`;
  }));
  return texts.join('\n') || '  (no webviews)';
}

/** Runs a command by its title from the command palette (F1), as a user does. */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  await pick(page, `>${title}`, title);
}

/** Switches the color theme through "Preferences: Color Theme" and waits for the workbench to wear it. */
async function switchTheme(page, theme) {
  await runFromPalette(page, 'Preferences: Color Theme');
  await pick(page, theme.name, theme.name, page.locator('.quick-input-widget input[placeholder^="Select Color Theme"]'));
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor();
  // Webviews receive the new theme's variables by message: let them restyle before the screenshot.
  await page.waitForTimeout(800);
}

/**
 * Waits for the chart's line and the inspector's leaves. In code-server a webview now and then
 * stays empty: its document loads, its script (served by the webview service worker) never runs,
 * one view or the other, at random, with nothing in the console. When that happens the views are
 * reloaded once ("Developer: Reload Webviews") and the step says so, with what the views held.
 */
async function watchViewsDrawn(page) {
  try {
    await webviewFrame(page, ui.chartPath, 45_000);
    await webviewFrame(page, ui.inspectorLeaf, 15_000);
    return '';
  } catch (error) {
    await runFromPalette(page, 'Developer: Reload Webviews');
    await webviewFrame(page, ui.chartPath, 45_000);
    await webviewFrame(page, ui.inspectorLeaf, 15_000);
    return `; the views were reloaded once, after: ${String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ')}`;
  }
}

/** No toast over the panel, no tooltip under the pointer (clicks leave it over the tab bar). */
async function readyForScreenshot(page) {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await page.mouse.move(1, 450);
  await page.waitForTimeout(300);
}

/** What the two watch views show, for the step's line in the log. */
async function watchViewsSummary(page) {
  const chart = await webviewFrame(page, ui.chartPath, 1000);
  const inspector = await webviewFrame(page, ui.inspectorLeaf, 1000);
  const legend = (await chart.locator('.legend-run').first().innerText()).replace(/\s+/g, ' ');
  const leaves = await inspector.locator('vscode-tree-item.leaf').count();
  return `legend "${legend.slice(0, 100)}", ${leaves} leaves in the inspector`;
}

/** @type {{name: string, shot: string, timeoutMs: number, run: (page: import('playwright-core').Page) => Promise<string | void>}[]} */
export const steps = [
  {
    name: `the workbench opens ${ui.exampleFile} from the explorer`,
    shot: 'ui-1-editor.png',
    timeoutMs: 60_000,
    async run(page) {
      await page.waitForSelector(workbench);
      await page.getByRole('treeitem', { name: ui.exampleFile }).click();
      await activeEditorLines(page).getByText('function', { exact: false }).first().waitFor();
    },
  },
  {
    name: `a "${ui.showJaxprLens}" code lens appears above a marked function`,
    shot: 'ui-2-codelens.png',
    timeoutMs: 60_000,
    async run(page) {
      await lens(page, ui.showJaxprLens).first().waitFor();
      return `${await lens(page, ui.showJaxprLens).count()} "${ui.showJaxprLens}" lenses`;
    },
  },
  {
    name: `clicking "${ui.showJaxprLens}" opens the jaxpr document`,
    shot: 'ui-3-jaxpr-document.png',
    timeoutMs: 60_000,
    async run(page) {
      await lens(page, ui.showJaxprLens).first().click();
      // It opens beside the source, in whichever group VS Code picks; the source has no "lambda".
      const doc = page.locator('.editor-instance .view-lines', { hasText: ui.jaxprText }).first();
      await doc.waitFor();
      return (await doc.innerText()).split('\n')[0];
    },
  },
  {
    name: `hovering ${ui.hoveredFunction} shows its jaxpr`,
    shot: 'ui-4-hover.png',
    timeoutMs: 60_000,
    async run(page) {
      await page.locator('.tab', { hasText: ui.exampleFile }).first().click();
      const name = activeEditorLines(page).locator('span span', { hasText: new RegExp(`^${ui.hoveredFunction}$`) }).first();
      await name.hover();
      const hover = page.locator('.monaco-hover', { hasText: ui.jaxprText }).first();
      await hover.waitFor({ state: 'visible' });
      await page.waitForTimeout(400); // the hover fades in: let the screenshot show it opaque
      return (await hover.innerText()).replace(/\s+/g, ' ').slice(0, 120);
    },
  },
  {
    name: `clicking "${ui.checkGradientsLens}" shows the check passing in its panel`,
    shot: 'ui-5-grad-check.png',
    timeoutMs: 90_000,
    async run(page) {
      await page.keyboard.press('Escape');
      await lens(page, ui.checkGradientsLens).first().click();
      // A webview is an outer iframe (VS Code's host page) around the extension's document.
      const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await panel.locator(ui.gradCheckPassed).waitFor();
      return (await panel.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 160);
    },
  },
  {
    name: `"${ui.runAndWatchLens}" on ${ui.watchFile} draws the loss and fills the inspector`,
    shot: 'ui-6-run-and-watch.png',
    timeoutMs: 120_000,
    async run(page) {
      // The gradient-check panel of the step before would halve the editor: the screenshots are of the watch.
      await runFromPalette(page, 'View: Close All Editors');
      await page.getByRole('treeitem', { name: ui.watchFolder }).click();
      await page.getByRole('treeitem', { name: ui.watchFile }).click();
      await page.locator('.tab.active', { hasText: ui.watchFile }).waitFor();
      await switchTheme(page, ui.themes.dark);
      await goToLine(page, lineOf(join(repoRoot, ui.watchFolder, ui.watchFile), ui.watchLoop));
      await lens(page, ui.runAndWatchLens).first().click();
      const reloaded = await watchViewsDrawn(page);
      await readyForScreenshot(page);
      return `${await watchViewsSummary(page)}${reloaded}`;
    },
  },
  {
    name: `the watch views, the panel maximized, in ${ui.themes.dark.name}`,
    shot: 'ui-7-watch-dark.png',
    timeoutMs: 30_000,
    async run(page) {
      // At its default height the panel cuts the chart and the tree off: the theme shots show them whole.
      await runFromPalette(page, 'View: Toggle Maximized Panel');
      await page.locator('.part.editor').waitFor({ state: 'hidden' });
      await readyForScreenshot(page);
      return watchViewsSummary(page);
    },
  },
  {
    name: `the watch views in ${ui.themes.light.name}`,
    shot: 'ui-8-watch-light.png',
    timeoutMs: 30_000,
    async run(page) {
      await switchTheme(page, ui.themes.light);
      await readyForScreenshot(page);
      return watchViewsSummary(page);
    },
  },
  {
    name: `the watch views in ${ui.themes.highContrast.name}`,
    shot: 'ui-9-watch-high-contrast.png',
    timeoutMs: 30_000,
    async run(page) {
      await switchTheme(page, ui.themes.highContrast);
      await readyForScreenshot(page);
      return watchViewsSummary(page);
    },
  },
  {
    name: `"${ui.stopCommand}" stops the run and the legend says so`,
    shot: 'ui-10-watch-stopped.png',
    timeoutMs: 30_000,
    async run(page) {
      await switchTheme(page, ui.themes.dark);
      await runFromPalette(page, ui.stopCommand);
      const chart = await webviewFrame(page, ui.chartPath, 1000);
      await chart.locator(ui.stoppedStatus).first().waitFor();
      await readyForScreenshot(page);
      return watchViewsSummary(page);
    },
  },
];
