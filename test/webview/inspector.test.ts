// The pytree inspector webview in headless Chromium, under the CSP the extension really serves.
// Its snapshots are summarized from real values by engine/watch/summarize.ts, as the runner does.
// Covered: the nested tree and its leaf labels (type, mean ± std, range, NaN/inf/zero badges),
// grad norms, fixed badges, norm sparklines, the detail's histogram and heatmap (NaN marked), the
// step selector, 'Copy key path', malformed messages ignored, state restored after a reload, exact
// integer leaves, rows that never overlap from 300 to 600 px, colours readable in high contrast, and
// screenshots in dark, light and high-contrast themes and at the panel's width (.e2e/shots/inspector-*.png).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

import { summarize } from '../../engine/watch/summarize.js';
import type { InspectorSnapshot, LeafSummary } from '../../webview/protocol/inspector.js';
import { applyTheme, chromiumPath, WebviewHarness, type PanelPage } from './harness.js';

const hasChromium = existsSync(chromiumPath);
const skip = hasChromium ? false : `needs Chromium at ${chromiumPath} (apt-get install -y chromium)`;

const f32 = (path: string, shape: number[], values: number[]) => summarize(path, 'float32', shape, new Float32Array(values));

/** A 60×60 embedding with a NaN block, an infinity and a row of zeros: a 48×48 block-mean heatmap. */
function embedding(): LeafSummary {
  const values = new Float32Array(3600).map((_, i) => Math.sin(i / 37) * ((i % 60) / 60 - 0.4));
  values[0] = NaN;
  values[61] = NaN;
  values[1830] = NaN;
  values[3599] = Infinity;
  values.fill(0, 600, 660);
  return summarize("['emb']", 'float32', [60, 60], values);
}

const emb = embedding();
// w: mean 0.2, population std √0.41 = 0.64, two zeros.
const w = f32("['layers'][0]['w']", [3, 2], [-0.9, 1.2, 0, 0.3, 0.6, 0]);

function snapshot(step = 40, run = 'train.ts 12:00'): InspectorSnapshot {
  return {
    run,
    step,
    availableSteps: [0, 10, 20, 30, 40],
    trees: [
      { name: 'params', leaves: [emb, f32("['layers'][0]['b']", [3], [0.1, 0.2, 0.3]), w, f32("['scale']", [], [1])] },
      {
        name: 'grads', leaves: [
          summarize("['emb']", 'float32', [60, 60], new Float32Array(3600).fill(0.01)),
          f32("['layers'][0]['b']", [3], [0, 0, 0]),
          f32("['layers'][0]['w']", [3, 2], [3, 4, 0, 0, 0, 0]),
          f32("['scale']", [], [0]),
        ],
      },
      {
        name: 'optState', leaves: [
          summarize('[0].count', 'int32', [], new Int32Array([step])),
          f32("[0].mu['layers'][0]['w']", [3, 2], [0.1, 0.1, 0, 0, 0, 0]),
        ],
      },
    ],
    fixedPaths: ["['scale']"],
    normHistory: {
      "['layers'][0]['w']": [0, 10, 20, 30, 40].map((s) => ({ step: s, norm: 1 + s / 40 })),
      "['scale']": [{ step: 40, norm: 1 }],
    },
  };
}

const message = (s = snapshot()) => ({ type: 'snapshot', ...s });

/** The tree item of a node, by tree name and key path. */
function item(page: Page, tree: string, path: string) {
  return page.locator(`vscode-tree-item[data-tree="${tree}"][data-keystr="${path.replace(/"/g, '\\"')}"]`);
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function assertClean(p: PanelPage): void {
  assert.deepEqual(p.problems, [], 'no CSP violation, page error or console error');
}

/** Variables the harness themes leave out and this panel reads (VS Code always sets them). */
const chartVars: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-green': '#89d185',
    'charts-purple': '#b180d7', 'editorWarning-foreground': '#cca700', 'panel-border': '#2b2b2b',
    'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
    'list-inactiveSelectionBackground': '#37373d', 'icon-foreground': '#cccccc',
    'settings-dropdownBackground': '#313131', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc',
    'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'toolbar-hoverBackground': '#5a5d5e50',
  },
  light: {
    'charts-blue': '#1a85ff', 'charts-red': '#e51400', 'charts-yellow': '#bf8803', 'charts-green': '#388a34',
    'charts-purple': '#652d90', 'editorWarning-foreground': '#bf8803', 'panel-border': '#e5e5e5',
    'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
    'list-inactiveSelectionBackground': '#e4e6f1', 'icon-foreground': '#3b3b3b',
    'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'toolbar-hoverBackground': '#b8b8b850',
  },
};

/** VS Code's Dark High Contrast colours for everything this panel and its controls read. */
const highContrast: Record<string, string> = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace', 'editor-font-size': '13px',
  foreground: '#ffffff', descriptionForeground: '#ffffffb3', errorForeground: '#f48771',
  'editor-background': '#000000', 'editor-foreground': '#ffffff', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
  focusBorder: '#f38518', 'textPreformat-foreground': '#000000', 'textPreformat-background': '#ffffff', 'textLink-foreground': '#21a6ff',
  'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
  'badge-background': '#000000', 'badge-foreground': '#ffffff', 'panel-border': '#6fc3df', 'editorGroup-border': '#6fc3df',
  'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-yellow': '#ffd700', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  'editorWarning-foreground': '#ffd700', 'list-hoverBackground': '#000000', 'list-focusOutline': '#f38518',
  'list-activeSelectionBackground': '#000000', 'list-inactiveSelectionBackground': '#000000', 'icon-foreground': '#ffffff',
  'settings-dropdownBackground': '#000000', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff',
  'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'toolbar-hoverOutline': '#f38518',
};

async function applyInspectorTheme(page: Page, kind: 'dark' | 'light' | 'high-contrast'): Promise<void> {
  if (kind !== 'high-contrast') await applyTheme(page, kind);
  await page.evaluate(({ vars, hc }) => {
    const html = document.documentElement;
    for (const [name, value] of Object.entries(vars)) html.style.setProperty(`--vscode-${name}`, value);
    if (hc) {
      html.style.setProperty('background-color', 'var(--vscode-editor-background)');
      document.body.classList.remove('vscode-dark', 'vscode-light');
      document.body.classList.add('vscode-high-contrast');
      document.body.style.setProperty('margin', '0');
      document.body.style.setProperty('padding', '0 20px');
    }
  }, { vars: kind === 'high-contrast' ? highContrast : chartVars[kind], hc: kind === 'high-contrast' });
}

describe('pytree inspector webview', { skip, timeout: 90_000 }, () => {
  const harness = new WebviewHarness();

  before(async () => {
    await harness.start();
  });
  after(() => harness.stop());

  async function opened(): Promise<PanelPage> {
    const p = await harness.open({ panel: 'inspector' });
    await p.send(message());
    await item(p.page, 'params', "['layers'][0]['w']").waitFor();
    return p;
  }

  test('posts ready once and says what to do before any run', async () => {
    const p = await harness.open({ panel: 'inspector' });
    await p.page.getByText('No training run is being watched.').waitFor();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    assertClean(p);
    await p.page.close();
  });

  test('a snapshot renders one root per tree and the nested key paths', async () => {
    const p = await opened();
    const roots = await p.page.$$eval('vscode-tree > vscode-tree-item', (els) => els.map((el) => el.querySelector('.key')?.textContent));
    assert.deepEqual(roots, ['params', 'grads', 'optState']);
    const params = await p.page.$$eval('vscode-tree-item[data-tree="params"]', (els) => els.map((el) =>
      `${'  '.repeat(Number(el.getAttribute('level') ?? 0))}${el.querySelector(':scope > .node-label .key')?.textContent}`));
    assert.deepEqual(params, ['params', '  emb', '  layers', '    0', '      b', '      w', '  scale']);
    const opt = await p.page.$$eval('vscode-tree-item[data-tree="optState"] > .node-label .key', (els) => els.map((el) => el.textContent));
    assert.deepEqual(opt, ['optState', '0', 'count', 'mu', 'layers', '0', 'w'], 'attribute keys (.mu) nest too');
    assertClean(p);
    await p.page.close();
  });

  test('leaf labels: type first, then mean ± std and range; NaN/inf/zero badges only when non-zero', async () => {
    const p = await opened();
    const label = async (tree: string, path: string) => item(p.page, tree, path).evaluate((el) => ({
      type: el.querySelector(':scope > .node-label .type')?.textContent,
      stats: el.querySelector(':scope > .node-description .stats')?.textContent,
      badges: Array.from(el.querySelectorAll(':scope > .node-description .badge'), (b) => b.textContent),
    }));
    assert.deepEqual(await label('params', "['layers'][0]['w']"),
      { type: 'f32[3,2]', stats: '\u03bc 0.2 \u00b1 0.64  [\u22120.9, 1.2]', badges: ['zero 2'] });
    assert.deepEqual(await label('params', "['layers'][0]['b']"),
      { type: 'f32[3]', stats: '\u03bc 0.2 \u00b1 0.0816  [0.1, 0.3]', badges: [] }, 'no badge for zero counts');
    const embLabel = await label('params', "['emb']");
    assert.equal(embLabel.type, 'f32[60,60]');
    assert.deepEqual(embLabel.badges, ['NaN 3', 'inf 1', `zero ${emb.zeroCount}`]);
    assert.deepEqual(await label('optState', '[0].count'), { type: 'i32[]', stats: '\u03bc 40 \u00b1 0  [40, 40]', badges: [] });
    assertClean(p);
    await p.page.close();
  });

  test('integer leaves read exactly; a fractional mean and float leaves keep three digits', async () => {
    const p = await harness.open({ panel: 'inspector' });
    const s = snapshot();
    s.trees[2].leaves = [
      summarize('[0].count', 'int32', [], new Int32Array([4314])),
      summarize('[1].count', 'int32', [], new Int32Array([25349])),
      summarize('[2].counts', 'int32', [3], new Int32Array([1, 2, -4])),
      summarize('[3].mask', 'bool', [2], new Uint8Array([1, 1])),
      f32('[4].big', [], [25349]),
    ];
    await p.send(message(s));
    await item(p.page, 'optState', '[4].big').waitFor();
    const stats = (path: string) => item(p.page, 'optState', path).locator(':scope > .node-description .stats').textContent();
    assert.equal(await stats('[0].count'), '\u03bc 4314 \u00b1 0  [4314, 4314]', 'not 4310');
    assert.equal(await stats('[1].count'), '\u03bc 25349 \u00b1 0  [25349, 25349]', 'not 2.53e4');
    assert.equal(await stats('[2].counts'), '\u03bc \u22120.333 \u00b1 2.62  [\u22124, 2]', 'a fractional mean reads like a float');
    assert.equal(await stats('[3].mask'), '\u03bc 1 \u00b1 0  [1, 1]');
    assert.equal(await stats('[4].big'), '\u03bc 2.53e4 \u00b1 0  [2.53e4, 2.53e4]', 'a float leaf stays compact');
    await item(p.page, 'optState', '[1].count').locator(':scope > .node-label').click();
    assert.match(await p.page.locator('.detail .facts').innerText(), /Mean\s+25349\s+Std\s+0\s+Min\s+25349\s+Max\s+25349/);
    assertClean(p);
    await p.page.close();
  });

  test('rows never overlap: the summary ellipsizes first, grad norm and sparkline keep their room', async () => {
    const p = await opened();
    await applyInspectorTheme(p.page, 'dark');
    for (const width of [300, 400, 490, 600]) {
      await p.page.setViewportSize({ width, height: 700 });
      // No named functions in here: tsx's keep-names helper (__name) does not exist in the page.
      const rows = await p.page.$$eval('vscode-tree-item.leaf', (els) => els.map((el) => {
        const stats = el.querySelector<HTMLElement>(':scope > .node-description .stats')!;
        const badges = [...el.querySelectorAll(':scope > .node-description .badge')];
        const decorations = [...el.querySelectorAll(':scope > .node-decoration > *')];
        // The description clips what it cannot fit: a badge ends, to the eye, where it does.
        const clip = el.querySelector(':scope > .node-description')!.getBoundingClientRect().right;
        const later = [...badges, ...decorations].map((x) => x.getBoundingClientRect());
        return {
          path: `${el.getAttribute('data-tree')}${el.getAttribute('data-keystr')}`,
          rowRight: el.shadowRoot!.querySelector('.wrapper')!.getBoundingClientRect().right,
          statsRight: stats.getBoundingClientRect().right,
          statsCut: stats.scrollWidth > stats.clientWidth,
          title: stats.title,
          text: stats.textContent,
          later: later.map((r, i) => i < badges.length
            ? { left: r.left, right: Math.min(r.right, clip), width: r.width, fixed: false }
            : { left: r.left, right: r.right, width: r.width, fixed: true }),
        };
      }));
      for (const row of rows) {
        const where = `${row.path} at ${width}px`;
        assert.equal(row.title, row.text, `${where}: the tooltip holds the whole summary`);
        let edge = row.statsRight;
        for (const next of row.later) {
          assert.ok(next.left >= edge - 0.5, `${where}: nothing runs into the next column (${next.left} < ${edge})`);
          if (next.fixed) assert.ok(next.width > 20, `${where}: grad norm and sparkline are not squeezed`);
          edge = next.right;
        }
        assert.ok(edge <= row.rowRight + 0.5, `${where}: the row ends inside the panel (${edge} > ${row.rowRight})`);
      }
      if (width === 300) assert.ok(rows.some((r) => r.statsCut), 'at 300px some summary is cut short');
      if (width === 490) {
        // As wide as the inspector beside the loss chart in VS Code's panel.
        mkdirSync('.e2e/shots', { recursive: true });
        await p.page.screenshot({ path: '.e2e/shots/inspector-narrow.png', clip: { x: 0, y: 0, width, height: 360 } });
      }
    }
    assertClean(p);
    await p.page.close();
  });

  test('every colour the rows use stands out from the background in high contrast', async () => {
    const p = await harness.open({ panel: 'inspector' });
    await applyInspectorTheme(p.page, 'high-contrast');
    await p.send(message());
    await item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-label').click();
    await p.page.locator('.detail').waitFor();
    const colours = await p.page.$$eval('.node-label .type, .stats, .grad-norm, .badge, .detail .type', (els) =>
      [...new Set(els.map((el) => getComputedStyle(el).color))]);
    for (const colour of colours) {
      const [r, g, b] = colour.match(/[\d.]+/g)!.map(Number);
      assert.ok(r + g + b > 3 * 100, `${colour} is readable on black`);
    }
    assertClean(p);
    await p.page.close();
  });

  test('params show their grad norm and a fixed badge; grads and opt state do not', async () => {
    const p = await opened();
    const wItem = item(p.page, 'params', "['layers'][0]['w']");
    assert.equal(await wItem.locator('.grad-norm').textContent(), '\u2207 5', '‖[3, 4, 0, …]‖ = 5');
    assert.equal(await item(p.page, 'params', "['scale']").locator('.badge.fixed').textContent(), 'fixed');
    assert.equal(await p.page.locator('.badge.fixed').count(), 1, 'only the frozen param is marked');
    assert.equal(await item(p.page, 'grads', "['layers'][0]['w']").locator('.grad-norm').count(), 0);
    assert.match(await item(p.page, 'params', '').locator(':scope > .node-description').textContent() ?? '', /4 leaves · 3,610 values · 1 fixed/);
    assertClean(p);
    await p.page.close();
  });

  test('a sparkline of the norm over steps, one point per recorded step, the current one dotted', async () => {
    const p = await opened();
    const spark = item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-decoration svg.sparkline');
    const points = (await spark.locator('polyline').getAttribute('points'))?.trim().split(/\s+/) ?? [];
    assert.equal(points.length, 5);
    const ys = points.map((pt) => Number(pt.split(',')[1]));
    assert.ok(ys.every((y, i) => i === 0 || y < ys[i - 1]), 'a rising norm draws upwards');
    assert.equal(await spark.locator('circle').count(), 1);
    assert.equal(await item(p.page, 'params', "['layers'][0]['b']").locator('svg.sparkline').count(), 0, 'no history, no sparkline');
    assertClean(p);
    await p.page.close();
  });

  test('selecting a leaf shows its histogram and, for a matrix, a heatmap with NaN marked', async () => {
    const p = await opened();
    await item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-label').click();
    await p.page.locator('.detail').waitFor();
    assert.equal(await p.page.locator('.detail h2').textContent(), "params['layers'][0]['w']");
    assert.equal(await p.page.locator('.detail .histogram rect.bar').count(), w.histogram.counts.length);
    assert.equal(await p.page.locator('.detail .heatmap rect.cell').count(), 6);
    const facts = await p.page.locator('.detail .facts').innerText();
    assert.match(facts, /Grad norm\s+5/);

    await item(p.page, 'params', "['emb']").locator(':scope > .node-label').click();
    await p.page.locator('.detail h2', { hasText: "['emb']" }).waitFor();
    assert.equal(await p.page.locator('.detail .histogram rect.bar').count(), 32);
    assert.equal(await p.page.locator('.detail .heatmap rect.cell').count(), 48 * 48);
    const nanCells = emb.heatmap!.values.filter((v) => v === 'NaN').length;
    assert.equal(nanCells, 2, 'values 0 and 61 share a block; 1830 has its own');
    assert.equal(await p.page.locator('.detail .heatmap rect.cell.nan').count(), nanCells);
    assert.equal(await p.page.locator('.detail .heatmap rect.cell.posinf').count(), 1);
    const fill = (cls: string) => p.page.locator(`.detail .heatmap rect.cell.${cls}`).first().evaluate((el) => getComputedStyle(el).fill);
    assert.match(await fill('nan'), /url\(.*#nan-hatch/, 'NaN cells are hatched');
    assert.notEqual(await fill('posinf'), await fill('lv-p8'), '+inf is not the largest finite colour');
    assert.equal(await p.page.locator('.detail .legend .legend-item').count(), 3, 'the legend names NaN, +inf and −inf');
    assert.match(await p.page.locator('.detail figcaption').last().textContent() ?? '', /block means on a 48×48 grid/);
    assert.deepEqual(await p.state().then((s) => (s as { selected: unknown }).selected), { tree: 'params', path: "['emb']" });
    assertClean(p);
    await p.page.close();
  });

  test('the step selector lists latest first and posts selectStep', async () => {
    const p = await opened();
    const options = await p.page.$$eval('vscode-single-select vscode-option', (els) => els.map((el) => el.textContent));
    assert.deepEqual(options, ['latest (step 40)', 'step 40', 'step 30', 'step 20', 'step 10', 'step 0']);
    await p.page.locator('vscode-single-select').click();
    await p.page.getByRole('option', { name: 'step 20', exact: true }).click();
    await until(async () => (await p.posted()).length > 1, 'the selectStep message');
    assert.deepEqual((await p.posted()).at(-1), { type: 'selectStep', run: 'train.ts 12:00', step: 20 });
    await p.send(message(snapshot(20)));
    await p.page.locator('.shown-step', { hasText: 'showing step 20' }).waitFor();
    assert.equal(await p.page.locator('vscode-single-select').evaluate((el) => (el as HTMLElement & { value: string }).value), '20');
    await p.page.locator('vscode-single-select').click();
    await p.page.getByRole('option', { name: 'latest (step 40)' }).click();
    await until(async () => (await p.posted()).length > 2, 'the second selectStep message');
    assert.deepEqual((await p.posted()).at(-1), { type: 'selectStep', run: 'train.ts 12:00', step: 'latest' });
    assertClean(p);
    await p.page.close();
  });

  test('Copy key path posts the exact keystr of a leaf, a branch, and the detail leaf', async () => {
    const p = await opened();
    const copy = (tree: string, path: string) => item(p.page, tree, path).locator(':scope > vscode-toolbar-button.copy-path');
    await item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-label').hover();
    await copy('params', "['layers'][0]['w']").click();
    await item(p.page, 'params', "['layers'][0]").locator(':scope > .node-label').hover();
    await copy('params', "['layers'][0]").click();
    await item(p.page, 'optState', "[0].mu['layers'][0]['w']").locator(':scope > .node-label').hover();
    await copy('optState', "[0].mu['layers'][0]['w']").click();
    await item(p.page, 'params', "['scale']").locator(':scope > .node-label').click();
    await p.page.locator('.detail vscode-button.copy-path').click();
    assert.deepEqual((await p.posted()).slice(1), [
      { type: 'copyPath', path: "['layers'][0]['w']" },
      { type: 'copyPath', path: "['layers'][0]" },
      { type: 'copyPath', path: "[0].mu['layers'][0]['w']" },
      { type: 'copyPath', path: "['scale']" },
    ]);
    assert.equal(await item(p.page, 'params', "['layers'][0]").getAttribute('open'), '', 'copying does not fold the branch');
    assert.equal(await p.page.locator('vscode-tree > vscode-tree-item > vscode-toolbar-button').count(), 0, 'roots have no key path to copy');
    assertClean(p);
    await p.page.close();
  });

  test('malformed messages are ignored with a warning and the view keeps updating', async () => {
    const p = await opened();
    const good = message();
    const leaf = good.trees[0].leaves[2];
    const withLeaf = (patch: Record<string, unknown>) => ({ ...good, trees: [{ name: 'params', leaves: [{ ...leaf, ...patch }] }] });
    const malformed: unknown[] = [
      null, 'snapshot', 7, [], {}, { type: 'explode' },
      { type: 'snapshot' },
      { ...good, step: -1 },
      { ...good, step: 1.5 },
      { ...good, run: 3 },
      { ...good, availableSteps: ['10'] },
      { ...good, extra: true },
      { ...good, fixedPaths: [null] },
      { ...good, normHistory: { "['w']": [{ step: 1, norm: 'big' }] } },
      { ...good, trees: [{ name: 'params' }] },
      { ...good, trees: [good.trees[0], good.trees[0]] },
      withLeaf({ shape: [3, -2] }),
      withLeaf({ count: 7 }),
      withLeaf({ mean: 'NaN' }),
      withLeaf({ mean: null }),
      withLeaf({ nanCount: 9 }),
      withLeaf({ histogram: { edges: [0, 1], counts: [6, 0] } }),
      withLeaf({ histogram: { edges: [0, 1], counts: [6] }, heatmap: { rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 'nan'] } }),
      withLeaf({ heatmap: { rows: 49, cols: 1, values: new Array(49).fill(0) } }),
      withLeaf({ norm: -1 }),
      { type: 'reset', now: true },
    ];
    for (const m of malformed) await p.send(m);
    const ignored = () => p.warnings.filter((w) => w.includes('does not understand')).length;
    await until(() => ignored() >= malformed.length, 'a warning per malformed message');
    assert.equal(ignored(), malformed.length, 'one warning per ignored message');
    assert.equal(await p.page.locator('.shown-step').textContent(), 'showing step 40', 'the last good snapshot is still up');
    assert.equal(await p.page.locator('vscode-tree-item[data-tree="params"]').count(), 7);
    await p.send(message(snapshot(30)));
    await p.page.locator('.shown-step', { hasText: 'showing step 30' }).waitFor();
    await p.send({ type: 'reset' });
    await p.page.getByText('No training run is being watched.').waitFor();
    assert.deepEqual(await p.state(), { snapshot: null, stepChoice: 'latest', selected: null, open: null }, 'reset clears the saved state');
    assertClean(p);
    await p.page.close();
  });

  test('selection, folds and step survive a reload from the saved state, without any message', async () => {
    const p = await opened();
    await item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-label').click();
    await p.page.locator('.detail').waitFor();
    await item(p.page, 'optState', '').locator(':scope > .node-label').click(); // fold optState
    await until(async () => !((await p.state()) as { open: string[] }).open.includes('optState\u0000'), 'the fold saved');
    await p.page.locator('vscode-single-select').click();
    await p.page.getByRole('option', { name: 'step 30', exact: true }).click();
    await until(async () => ((await p.state()) as { stepChoice: unknown }).stepChoice === 30, 'the step saved');
    const saved = await p.state();
    await p.page.close();

    const reloaded = await harness.open({ panel: 'inspector', savedState: saved });
    await reloaded.page.locator('.detail h2', { hasText: "['layers'][0]['w']" }).waitFor();
    assert.equal(await item(reloaded.page, 'params', "['layers'][0]['w']").getAttribute('selected'), '');
    assert.equal(await item(reloaded.page, 'optState', '').getAttribute('open'), null, 'optState stays folded');
    assert.equal(await item(reloaded.page, 'params', "['layers'][0]").getAttribute('open'), '');
    assert.equal(await reloaded.page.locator('vscode-single-select').evaluate((el) => (el as HTMLElement & { value: string }).value), '30');
    assert.deepEqual(await reloaded.posted(), [{ type: 'ready' }], 'nothing but ready was needed');
    assertClean(reloaded);
    await reloaded.page.close();

    const embedded = await harness.open({ panel: 'inspector', initialState: saved });
    await embedded.page.locator('.detail').waitFor();
    await embedded.page.close();

    const stale = await harness.open({ panel: 'inspector', savedState: { snapshot: { version: 0 } } });
    await stale.page.getByText('No training run is being watched.').waitFor();
    assert.ok(stale.warnings.some((w) => w.includes('saved inspector state')), 'an unusable saved state is reported');
    await stale.page.close();
  });

  test('a new run starts from its defaults', async () => {
    const p = await opened();
    await item(p.page, 'params', "['emb']").locator(':scope > .node-label').click();
    await p.page.locator('.detail').waitFor();
    await p.send(message(snapshot(0, 'other.ts 13:00')));
    await p.page.locator('.run', { hasText: 'other.ts 13:00' }).waitFor();
    assert.equal(await p.page.locator('.detail').count(), 0, 'no leaf selected in the new run');
    assertClean(p);
    await p.page.close();
  });

  for (const kind of ['dark', 'light', 'high-contrast'] as const) {
    test(`screenshot in a ${kind} theme`, async () => {
      const p = await harness.open({ panel: 'inspector' });
      await applyInspectorTheme(p.page, kind);
      await p.send(message());
      await item(p.page, 'params', "['emb']").locator(':scope > .node-label').click();
      await p.page.locator('.detail .heatmap').waitFor();
      await item(p.page, 'params', "['layers'][0]['w']").locator(':scope > .node-label').hover();
      mkdirSync('.e2e/shots', { recursive: true });
      await p.page.screenshot({ path: `.e2e/shots/inspector-${kind}.png`, fullPage: true });
      assertClean(p);
      await p.page.close();
    });
  }
});
