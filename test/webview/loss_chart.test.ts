// The live loss chart in headless Chromium, under the CSP the extension really serves: the drawn
// paths for known data (read back through the axes' own tick positions), NaN/inf marks, the series
// selector (one series charted at a time), a spike surviving downsampling in 100,000 points,
// fit-until-zoom, the tooltip, learning-rate markers, log y, malformed messages, restoring after a
// reload (and from a state saved before the selector existed), CSV export, the frame time with
// 2 × 100,000 points, and screenshots in dark, light and high-contrast themes
// (.e2e/shots/loss-chart-*.png).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

import type { ScalarPoint } from '../../webview/protocol/loss_chart.js';
import { smooth } from '../../webview/loss_chart/smoothing.js';
import { highContrastVars, knownPoints, lightChartVars, lightControlVars, knownRuns, malformedMessages, otherSeriesPoints, spikeSeries, spikeStep, t0 } from './loss_chart_fixtures.js';
import { applyTheme, chromiumPath, WebviewHarness, type PanelPage } from './harness.js';

const hasChromium = existsSync(chromiumPath);
const skip = hasChromium ? false : `needs Chromium at ${chromiumPath} (apt-get install -y chromium)`;

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function assertClean(p: PanelPage): void {
  assert.deepEqual(p.problems, [], 'no CSP violation, page error or console error');
}

/** Waits until the view has drawn a frame showing `points` points. */
async function drawn(p: PanelPage, points: number): Promise<void> {
  await p.page.locator(`#root[data-points="${points}"]`).waitFor({ state: 'attached' });
  await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Pixel = a + b·value for an axis, from two of its ticks (d3 keeps each tick's value as its datum). */
async function axisMap(page: Page, axis: 'x' | 'y', log = false): Promise<(v: number) => number> {
  const ticks = await page.$$eval(`.${axis}-axis .tick`, (els, ax) => els.map((el) => {
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(el.getAttribute('transform') ?? '')!;
    return { value: (el as unknown as { __data__: number }).__data__, px: Number(ax === 'x' ? m[1] : m[2]) };
  }), axis);
  // d3-axis shifts ticks by half a pixel on 1× displays, for crisp 1 px lines; the data are not shifted.
  const offset = await page.evaluate(() => (window.devicePixelRatio > 1 ? 0 : 0.5));
  for (const t of ticks) t.px -= offset;
  assert.ok(ticks.length >= 2, `the ${axis} axis has ticks`);
  const f = (v: number) => (log ? Math.log10(v) : v);
  const [a, b] = [ticks[0], ticks[ticks.length - 1]];
  const slope = (b.px - a.px) / (f(b.value) - f(a.value));
  return (v) => a.px + slope * (f(v) - f(a.value));
}

/** The subpaths of a d3 line `d`, each a list of [x, y] points. */
function subpaths(d: string): [number, number][][] {
  return d.split('M').filter(Boolean).map((part) => part.replace(/Z$/, '').split('L').map((xy) => {
    const [x, y] = xy.split(',').map(Number);
    return [x, y] as [number, number];
  }));
}

async function pathD(page: Page, run: string, kind: 'raw' | 'smoothed', series = 'loss'): Promise<string> {
  return (await page.locator(`g.series[data-run="${run}"][data-series="${series}"] path.${kind}`).getAttribute('d')) ?? '';
}

function assertPolyline(actual: [number, number][], expected: [number, number][], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: point count`);
  actual.forEach(([x, y], i) => {
    assert.ok(Math.abs(x - expected[i][0]) < 0.01 && Math.abs(y - expected[i][1]) < 0.01,
      `${what}[${i}]: (${x}, ${y}) vs (${expected[i][0].toFixed(3)}, ${expected[i][1].toFixed(3)})`);
  });
}

/** How many paths (raw and smoothed, over every run) the chart draws for each series name. */
async function pathsPerSeries(page: Page, names: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await page.locator(`g.series[data-series="${name}"] path`).count();
  return counts;
}

async function shownSeries(page: Page): Promise<{ shown: string | undefined; selected: string }> {
  return {
    shown: await page.locator('#root').getAttribute('data-series') ?? undefined,
    selected: await page.locator('vscode-single-select.series-select').evaluate((el) => (el as HTMLElement & { value: string }).value),
  };
}

/** Picks a series from the selector the way a user does, and waits for the frame that shows it. */
async function chooseSeries(page: Page, name: string): Promise<void> {
  await page.locator('vscode-single-select.series-select').click();
  await page.getByRole('option', { name, exact: true }).click();
  await page.locator(`#root[data-series="${name}"]`).waitFor({ state: 'attached' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function yTicks(page: Page): Promise<number[]> {
  return page.$$eval('.y-axis .tick', (els) => els.map((el) => (el as unknown as { __data__: number }).__data__));
}

const allSeries = ['loss', 'grad norm', 'learning rate'];

async function openWithKnownData(harness: WebviewHarness): Promise<PanelPage> {
  const p = await harness.open({ panel: 'loss_chart' });
  await p.send({ type: 'runs', runs: knownRuns });
  await p.send({ type: 'append', points: knownPoints });
  await drawn(p, knownPoints.length);
  return p;
}

function setThemeVars(page: Page, vars: Record<string, string>): Promise<void> {
  return page.evaluate((v) => {
    for (const [name, value] of Object.entries(v)) document.documentElement.style.setProperty(`--vscode-${name}`, value);
  }, vars);
}

function applyHighContrast(page: Page): Promise<void> {
  return page.evaluate((vars) => {
    const html = document.documentElement;
    for (const [name, value] of Object.entries(vars)) html.style.setProperty(`--vscode-${name}`, value);
    html.style.setProperty('background-color', 'var(--vscode-editor-background)');
    document.body.classList.remove('vscode-dark', 'vscode-light');
    document.body.classList.add('vscode-high-contrast');
    document.body.style.setProperty('margin', '0');
    document.body.style.setProperty('padding', '0 20px');
  }, highContrastVars);
}

describe('loss chart webview', { skip, timeout: 120_000 }, () => {
  const harness = new WebviewHarness();

  before(async () => {
    await harness.start();
  });
  after(() => harness.stop());

  test('posts ready first, once, and says what will appear before any data', async () => {
    const p = await harness.open({ panel: 'loss_chart' });
    await p.page.getByText('No scalars yet.').waitFor();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    assert.equal(await p.page.locator('.chart').isHidden(), true);
    assertClean(p);
    await p.page.close();
  });

  test('known data: raw and smoothed paths are the polylines of the values on the axes', async () => {
    const p = await openWithKnownData(harness);
    const x = await axisMap(p.page, 'x');
    const y = await axisMap(p.page, 'y');
    const a = knownPoints.filter((q) => q.run === 'a');
    const rawA = subpaths(await pathD(p.page, 'a', 'raw'));
    assert.equal(rawA.length, 1, 'run a is one unbroken line');
    assertPolyline(rawA[0], a.map((q) => [x(q.step), y(q.value as number)]), 'raw a');
    const smoothedA = smooth(a.map((q) => q.value as number), 0.6);
    assertPolyline(subpaths(await pathD(p.page, 'a', 'smoothed'))[0], a.map((q, i) => [x(q.step), y(smoothedA[i])]), 'smoothed a');

    // Run b: NaN at step 2 and +inf at step 4 break the raw line into [0, 1], [3], [5].
    const rawB = subpaths(await pathD(p.page, 'b', 'raw'));
    assert.deepEqual(rawB.map((s) => s.length), [2, 1, 1]);
    assertPolyline(rawB.flat(), [0, 1, 3, 5].map((step) => [x(step), y(Number(knownPoints[6 + step].value))]), 'raw b');

    const marks = await p.page.$$eval('.undrawable .mark', (els) => els.map((el) => `${el.getAttribute('data-run')}:${el.getAttribute('data-kind')}`));
    assert.deepEqual(marks.sort(), ['b:nan', 'b:posInf']);
    const legendB = await p.page.locator('.legend-run[data-run="b"]').innerText();
    assert.match(legendB, /sgd lr=0\.5/);
    assert.match(legendB, /failed/);
    assert.match(legendB, /1 NaN, 1 \+inf/);
    assert.match(await p.page.locator('.legend-run[data-run="a"]').innerText(), /6 pts/);

    const colours = await p.page.$$eval('g.series', (els) => els.map((el) => (el as SVGGElement).style.stroke));
    assert.deepEqual(colours, ['var(--vscode-charts-blue, #3794ff)', 'var(--vscode-charts-orange, #d18616)'], 'colours in run order');
    assertClean(p);
    await p.page.close();
  });

  test('the smoothing slider redraws the smoothed path; 0 makes it the raw path', async () => {
    const p = await openWithKnownData(harness);
    const before = await pathD(p.page, 'a', 'smoothed');
    await p.page.locator('input.smoothing').fill('0');
    await until(async () => (await pathD(p.page, 'a', 'smoothed')) !== before, 'the smoothed path to change');
    assert.equal(await pathD(p.page, 'a', 'smoothed'), await pathD(p.page, 'a', 'raw'));
    assert.equal(await p.page.locator('.smoothing-value').innerText(), '0.000');
    assertClean(p);
    await p.page.close();
  });

  test('tooltip: the nearest step of each run with value and smoothed value', async () => {
    const p = await openWithKnownData(harness);
    const x = await axisMap(p.page, 'x');
    const box = (await p.page.locator('.overlay').boundingBox())!;
    await p.page.mouse.move(box.x + x(2.2), box.y + 100);
    await p.page.locator('.tooltip:not([hidden])').waitFor();
    const rows = await p.page.$$eval('.tooltip-row', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).slice(1).map((td) => td.textContent)));
    const smoothedA = smooth([2.0, 1.5, 1.2], 0.6)[2];
    assert.deepEqual(rows, [
      ['adam lr=0.05', '2', '1.2', String(Number(smoothedA.toPrecision(4)))],
      ['sgd lr=0.5', '2', 'NaN', 'NaN'],
    ]);
    await p.page.mouse.move(box.x + box.width + 50, box.y + box.height + 100);
    await p.page.locator('.tooltip[hidden]').waitFor({ state: 'attached' });
    assertClean(p);
    await p.page.close();
  });

  test('the Series selector lists every series; choosing one draws only its paths, on axes fitted to it', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'append', points: otherSeriesPoints });
    await p.send({ type: 'marker', run: 'a', step: 3, label: 'lr 0.05 → 0.01' });
    await drawn(p, knownPoints.length + otherSeriesPoints.length);
    const options = await p.page.$$eval('vscode-single-select.series-select vscode-option', (els) => els.map((el) => el.textContent));
    assert.deepEqual(options, allSeries, 'every series any run logged, in arrival order');
    assert.deepEqual(await shownSeries(p.page), { shown: 'loss', selected: 'loss' }, 'loss by default');
    assert.deepEqual(await pathsPerSeries(p.page, allSeries), { loss: 4, 'grad norm': 0, 'learning rate': 0 });

    await chooseSeries(p.page, 'grad norm');
    assert.deepEqual(await pathsPerSeries(p.page, allSeries), { loss: 0, 'grad norm': 4, 'learning rate': 0 }, 'raw + smoothed of runs a and b');
    const x = await axisMap(p.page, 'x');
    const y = await axisMap(p.page, 'y');
    const gradA = otherSeriesPoints.filter((q) => q.run === 'a' && q.series === 'grad norm');
    assertPolyline(subpaths(await pathD(p.page, 'a', 'raw', 'grad norm'))[0], gradA.map((q) => [x(q.step), y(q.value as number)]), 'raw grad norm of a');
    const ticks = await yTicks(p.page);
    assert.ok(Math.max(...ticks) >= 100 && Math.max(...ticks) <= 130, `the y axis fits grad norm (8 to 120), not loss: ticks ${ticks}`);
    assert.equal(await p.page.locator('g.step-marker').count(), 1, 'the learning-rate marker is drawn on every series');
    assert.match(await p.page.locator('.legend-run[data-run="b"] .legend-series[data-series="grad norm"]').innerText(), /6 pts/);
    assert.equal(await p.page.locator('.legend-run[data-run="b"]').innerText().then((t) => /NaN/.test(t)), false, 'b\'s loss NaN is not counted against its grad norm');

    await chooseSeries(p.page, 'learning rate');
    assert.deepEqual(await pathsPerSeries(p.page, allSeries), { loss: 0, 'grad norm': 0, 'learning rate': 2 }, 'only run a logs a learning rate');
    assert.ok(Math.max(...await yTicks(p.page)) <= 0.06, 'the y axis fits 0.01 to 0.05');
    assert.match(await p.page.locator('.legend-run[data-run="b"]').innerText(), /0 pts/, 'a run without the series is listed with none');
    await until(async () => (await p.state() as { settings?: { series?: string } } | undefined)?.settings?.series === 'learning rate', 'the choice to be saved');

    await p.page.locator('vscode-button.export').click();
    await until(async () => (await p.posted()).length === 2, 'the export message');
    const { csv } = (await p.posted())[1] as { csv: string };
    assert.equal(csv.split('\r\n').length, 1 + knownPoints.length + otherSeriesPoints.length + 1, 'CSV export has every series, not just the shown one');
    assertClean(p);
    await p.page.close();
  });

  test('with no loss the first series to arrive is shown, until a loss arrives', async () => {
    const p = await harness.open({ panel: 'loss_chart' });
    await p.send({ type: 'runs', runs: knownRuns });
    await p.send({ type: 'append', points: otherSeriesPoints });
    await drawn(p, otherSeriesPoints.length);
    assert.deepEqual(await shownSeries(p.page), { shown: 'grad norm', selected: 'grad norm' });
    assert.deepEqual(await pathsPerSeries(p.page, allSeries), { loss: 0, 'grad norm': 4, 'learning rate': 0 });
    await p.send({ type: 'append', points: knownPoints });
    await drawn(p, otherSeriesPoints.length + knownPoints.length);
    assert.deepEqual(await shownSeries(p.page), { shown: 'loss', selected: 'loss' });
    assert.deepEqual(await pathsPerSeries(p.page, allSeries), { loss: 4, 'grad norm': 0, 'learning rate': 0 });
    assertClean(p);
    await p.page.close();
  });

  test('a learning-rate marker is drawn at its step with its label, on both x axes', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'marker', run: 'a', step: 3, label: 'lr 0.05 → 0.01' });
    await p.page.locator('g.step-marker').waitFor({ state: 'attached' });
    const x = await axisMap(p.page, 'x');
    const at = async () => Number(/translate\(([-\d.]+)/.exec((await p.page.locator('g.step-marker').getAttribute('transform'))!)![1]);
    assert.ok(Math.abs(await at() - x(3)) < 0.01);
    assert.equal(await p.page.locator('g.step-marker text').textContent(), 'lr 0.05 → 0.01');

    await p.page.locator('vscode-radio.x-relative').click();
    await until(async () => (await p.page.locator('.x-axis .tick text').first().textContent())?.endsWith('s') ?? false, 'a time axis');
    const seconds = await axisMap(p.page, 'x');
    assert.ok(Math.abs(await at() - seconds(1.5)) < 0.01, 'step 3 of run a was logged 1.5 s after its start');
    assertClean(p);
    await p.page.close();
  });

  test('log y: a true log scale; values ≤ 0 are marked as off the scale, not clamped', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'append', points: [{ run: 'a', series: 'loss', step: 6, wallTime: t0 + 3000, value: 0 }] });
    await drawn(p, knownPoints.length + 1);
    await p.page.locator('vscode-checkbox.log-y').click();
    await p.page.locator('.undrawable .mark.nonPositive').waitFor({ state: 'attached' });
    const y = await axisMap(p.page, 'y', true);
    const rawA = subpaths(await pathD(p.page, 'a', 'raw')).flat();
    assert.equal(rawA.length, 6, 'the zero is not on the line');
    for (const [i, [, py]] of rawA.entries()) assert.ok(Math.abs(py - y(knownPoints[i].value as number)) < 0.01, `log y of point ${i}`);
    assert.match(await p.page.locator('.legend-run[data-run="a"]').innerText(), /1 ≤ 0 \(off the log scale\)/);
    assertClean(p);
    await p.page.close();
  });

  test('100,000 points with one spike: the drawn path reaches it; streaming keeps frames short', async () => {
    const p = await harness.open({ panel: 'loss_chart' });
    const { steps, values } = spikeSeries();
    // Append 2 series × 100,000 points in batches of 2,000 (one batch per frame, as a fast run streams).
    // No named functions inside: tsx would wrap them in `__name(…)` calls, which the page lacks.
    const timing = await p.page.evaluate(async ({ steps, values, t0 }) => {
      const root = document.getElementById('root')!;
      const appendMs: number[] = [];
      const frameMs: number[] = [];
      for (let start = 0; start < steps.length; start += 2000) {
        const points = [];
        for (const series of ['loss', 'val_loss']) {
          for (let i = start; i < start + 2000; i++) {
            points.push({ run: 'big', series, step: steps[i], wallTime: t0 + i, value: series === 'loss' ? values[i] : values[i] * 1.1 });
          }
        }
        const t = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(JSON.stringify({ type: 'append', points })) }));
        appendMs.push(performance.now() - t);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        frameMs.push(Number(root.dataset.frameMs));
      }
      appendMs.sort((a, b) => a - b);
      const last = frameMs[frameMs.length - 1];
      frameMs.sort((a, b) => a - b);
      return { appendMedian: appendMs[appendMs.length >> 1], frameMedian: frameMs[frameMs.length >> 1], frameMax: frameMs[frameMs.length - 1], frameLast: last };
    }, { steps, values, t0 });
    await drawn(p, 200_000);
    console.log(`loss chart, 2 series × 100,000 points in batches of 2 × 2,000: append ${timing.appendMedian.toFixed(2)} ms/batch (median), ` +
      `frame ${timing.frameMedian.toFixed(2)} ms median, ${timing.frameMax.toFixed(2)} ms max, ${timing.frameLast.toFixed(2)} ms with all 200,000 drawn`);
    // A loose bound (the machine is shared): it catches a frame that scans more than O(points), not jitter.
    assert.ok(timing.frameMedian < 100, `streaming frames stay interactive (median ${timing.frameMedian} ms)`);

    const y = await axisMap(p.page, 'y');
    const x = await axisMap(p.page, 'x');
    const raw = subpaths(await pathD(p.page, 'big', 'raw')).flat();
    const width = (await p.page.locator('.overlay').boundingBox())!.width;
    assert.ok(raw.length <= 4 * (width + 2), `downsampled to ≤ 4 points per pixel (${raw.length} for ${width} px)`);
    const top = raw.reduce((best, pt) => (pt[1] < best[1] ? pt : best));
    assert.ok(Math.abs(top[1] - y(50)) < 0.01, `the path's highest point is the spike's value (${top[1]} vs ${y(50)})`);
    assert.ok(Math.abs(top[0] - x(spikeStep)) < 0.01, 'at the spike\'s step');

    // A zoom stops fitting: more data leaves the x domain alone until Fit.
    const box = (await p.page.locator('.overlay').boundingBox())!;
    await p.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await p.page.mouse.wheel(0, -400);
    await until(async () => !(await p.page.locator('vscode-button.fit').evaluate((el) => (el as HTMLElement & { disabled: boolean }).disabled)), 'Fit to be enabled');
    const zoomedTicks = await p.page.locator('.x-axis').innerHTML();
    await p.send({ type: 'append', points: [{ run: 'big', series: 'loss', step: 150_000, wallTime: t0 + 150_000, value: 1 }] });
    await drawn(p, 200_001);
    assert.equal(await p.page.locator('.x-axis').innerHTML(), zoomedTicks, 'the zoomed x axis stays put while data streams');
    await p.page.locator('vscode-button.fit').click();
    await until(async () => (await axisMap(p.page, 'x'))(150_000) <= width + 0.5, 'the fitted axis to include step 150,000');
    assertClean(p);
    await p.page.close();
  });

  test(`${malformedMessages.length} malformed messages are ignored with a warning and the view keeps working`, async () => {
    const p = await openWithKnownData(harness);
    const before = await pathD(p.page, 'a', 'raw');
    for (const m of malformedMessages) await p.send(m);
    const ignored = () => p.warnings.filter((w) => w.includes('does not understand')).length;
    await until(() => ignored() >= malformedMessages.length, 'a warning per malformed message');
    assert.equal(ignored(), malformedMessages.length);
    assert.equal(await pathD(p.page, 'a', 'raw'), before, 'nothing was half-applied');
    assert.equal(await p.page.locator('#root').getAttribute('data-points'), String(knownPoints.length));
    await p.send({ type: 'append', points: [{ run: 'c', series: 'loss', step: 0, wallTime: t0, value: 1 }] });
    await drawn(p, knownPoints.length + 1);
    assert.equal(await p.page.locator('g.series').count(), 3);
    assertClean(p);
    await p.page.close();
  });

  test('restores series, markers and settings after a reload, without any message', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'marker', run: 'a', step: 3, label: 'lr 0.05 → 0.01' });
    await p.page.locator('vscode-checkbox.log-y').click();
    await p.page.locator('input.smoothing').fill('0.9');
    await until(async () => {
      const s = await p.state() as { settings?: { smoothing: number; logY: boolean }; markers?: unknown[] } | undefined;
      return s?.settings?.smoothing === 0.9 && s.settings.logY && s.markers?.length === 1;
    }, 'the state to be saved');
    const saved = await p.state();
    const paths = { raw: await pathD(p.page, 'b', 'raw'), smoothed: await pathD(p.page, 'b', 'smoothed') };
    await p.page.close();

    const reloaded = await harness.open({ panel: 'loss_chart', savedState: saved });
    await drawn(reloaded, knownPoints.length);
    assert.deepEqual(await reloaded.posted(), [{ type: 'ready' }]);
    assert.equal(await pathD(reloaded.page, 'b', 'raw'), paths.raw);
    assert.equal(await pathD(reloaded.page, 'b', 'smoothed'), paths.smoothed);
    assert.equal(await reloaded.page.locator('g.step-marker text').textContent(), 'lr 0.05 → 0.01');
    assert.equal(await reloaded.page.locator('vscode-checkbox.log-y').evaluate((el) => (el as HTMLElement & { checked: boolean }).checked), true);
    assert.equal(await reloaded.page.locator('.smoothing-value').innerText(), '0.900');
    assert.match(await reloaded.page.locator('.legend-run[data-run="b"]').innerText(), /1 NaN, 1 \+inf/, 'non-finite values survive JSON');
    assertClean(reloaded);
    await reloaded.page.close();

    const stale = await harness.open({ panel: 'loss_chart', savedState: { version: 0 } });
    await stale.page.getByText('No scalars yet.').waitFor();
    assert.ok(stale.warnings.some((w) => w.includes('saved loss-chart state')), 'an unusable saved state is reported');
    await stale.page.close();
  });

  test('after a window reload the host\'s runs list ends the restored runs it does not know, and keeps them', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'runs', runs: [...knownRuns, { id: 'c', label: 'adam + schedule', status: 'running' }] });
    await p.send({ type: 'append', points: [{ run: 'c', series: 'loss', step: 0, wallTime: 1, value: 2 }] });
    await until(async () => ((await p.state()) as { runs?: unknown[] } | undefined)?.runs?.length === 3, 'the state to be saved');
    const saved = await p.state();
    await p.page.close();

    const reloaded = await harness.open({ panel: 'loss_chart', savedState: saved });
    await drawn(reloaded, knownPoints.length + 1);
    const status = (run: string) => reloaded.page.locator(`.legend-run[data-run="${run}"] .status`).innerText();
    assert.equal(await status('c'), 'running', 'restored as saved');
    // A new extension host knows only its own run 'd': 'c' was running in the window that is gone.
    await reloaded.send({ type: 'runs', runs: [{ id: 'd', label: 'new run', status: 'running' }] });
    await reloaded.send({ type: 'append', points: [{ run: 'd', series: 'loss', step: 0, wallTime: 1, value: 1 }] });
    await until(async () => (await status('c')) === 'stopped', "the stale run to read 'stopped'");
    assert.equal(await status('a'), 'finished');
    assert.equal(await status('b'), 'failed');
    assert.equal(await status('d'), 'running');
    assert.equal(await reloaded.page.locator('.legend-run[data-run="c"]').getByText('adam + schedule').count(), 1, 'the stale run keeps its label');
    assertClean(reloaded);
    await reloaded.page.close();
  });

  test('the chosen series survives a reload; a state saved before the selector restores with loss', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'append', points: otherSeriesPoints });
    await drawn(p, knownPoints.length + otherSeriesPoints.length);
    await p.page.locator('input.smoothing').fill('0.9');
    await chooseSeries(p.page, 'grad norm');
    await until(async () => {
      const s = await p.state() as { settings?: { smoothing: number; series?: string } } | undefined;
      return s?.settings?.series === 'grad norm' && s.settings.smoothing === 0.9;
    }, 'the choice to be saved');
    const saved = await p.state() as { settings: Record<string, unknown> };
    const gradB = await pathD(p.page, 'b', 'smoothed', 'grad norm');
    await p.page.close();

    const reloaded = await harness.open({ panel: 'loss_chart', savedState: saved });
    await drawn(reloaded, knownPoints.length + otherSeriesPoints.length);
    assert.deepEqual(await shownSeries(reloaded.page), { shown: 'grad norm', selected: 'grad norm' });
    assert.deepEqual(await pathsPerSeries(reloaded.page, allSeries), { loss: 0, 'grad norm': 4, 'learning rate': 0 });
    assert.equal(await pathD(reloaded.page, 'b', 'smoothed', 'grad norm'), gradB);
    assertClean(reloaded);
    await reloaded.page.close();

    const { series: _, ...settingsBeforeTheSelector } = saved.settings;
    const old = await harness.open({ panel: 'loss_chart', savedState: { ...saved, settings: settingsBeforeTheSelector } });
    await drawn(old, knownPoints.length + otherSeriesPoints.length);
    assert.equal(old.warnings.filter((w) => w.includes('saved loss-chart state')).length, 0, 'the old state is used, not thrown away');
    assert.deepEqual(await shownSeries(old.page), { shown: 'loss', selected: 'loss' });
    assert.equal(await old.page.locator('.smoothing-value').innerText(), '0.900', 'its other settings are kept');
    await until(async () => (await old.state() as { settings?: { series?: unknown } } | undefined)?.settings?.series === null, 'the upgraded state to be saved');
    assertClean(old);
    await old.page.close();
  });

  test('reset clears every run, point and marker', async () => {
    const p = await openWithKnownData(harness);
    await p.send({ type: 'reset' });
    await p.page.getByText('No scalars yet.').waitFor();
    assert.equal(await p.page.locator('.legend-run').count(), 0);
    assertClean(p);
    await p.page.close();
  });

  test('Export CSV posts every point with its smoothed value', async () => {
    const p = await openWithKnownData(harness);
    await p.page.locator('vscode-button.export').click();
    await until(async () => (await p.posted()).length === 2, 'the export message');
    const message = (await p.posted())[1] as { type: string; fileName: string; csv: string };
    assert.equal(message.type, 'exportCsv');
    assert.equal(message.fileName, 'tracelens-scalars.csv');
    const lines = message.csv.split('\r\n');
    assert.equal(lines.length, 1 + knownPoints.length + 1, 'header, one row per point, final newline');
    assert.equal(lines[0], 'run,series,step,wall_time,value,smoothed');
    assert.equal(lines[1], `adam lr=0.05,loss,0,${t0 / 1000},2,2`);
    assert.equal(lines[2], `adam lr=0.05,loss,1,${(t0 + 500) / 1000},1.5,${smooth([2, 1.5], 0.6)[1]}`);
    assert.equal(lines[9], `sgd lr=0.5,loss,2,${(t0 + 3000) / 1000},nan,nan`);
    assert.equal(lines[11], `sgd lr=0.5,loss,4,${(t0 + 4000) / 1000},inf,inf`);
    assertClean(p);
    await p.page.close();
  });

  for (const kind of ['dark', 'light', 'high-contrast'] as const) {
    test(`screenshot in a ${kind} theme`, async () => {
      const p = await harness.open({ panel: 'loss_chart' });
      if (kind === 'high-contrast') await applyHighContrast(p.page);
      else await applyTheme(p.page, kind);
      if (kind === 'light') await setThemeVars(p.page, { ...lightChartVars, ...lightControlVars });
      await p.send({ type: 'runs', runs: [...knownRuns, { id: 'c', label: 'adam + schedule', status: 'running' }] });
      const curve: ScalarPoint[] = [];
      for (let step = 0; step < 400; step++) {
        // A deterministic hash in [-0.08, 0.08]: noise like a minibatch loss's, the same on every run.
        const hash = Math.sin(step * 12.9898 + 78.233) * 43758.5453;
        const noise = (hash - Math.floor(hash) - 0.5) * 0.16;
        curve.push({ run: 'a', series: 'loss', step, wallTime: t0 + step * 50, value: 2 * Math.exp(-step / 120) + 0.1 + noise });
        curve.push({ run: 'c', series: 'loss', step, wallTime: t0 + step * 60, value: 1.8 * Math.exp(-step / 80) + 0.2 + noise * 0.7 });
        if (step < 150) curve.push({ run: 'b', series: 'loss', step, wallTime: t0 + step * 40, value: step === 149 ? 'NaN' : 2.2 - step / 200 + noise });
        if (step % 20 === 0) curve.push({ run: 'a', series: 'val_loss', step, wallTime: t0 + step * 50, value: 2 * Math.exp(-step / 140) + 0.25 });
        // On scales of their own: charted with the loss, they would flatten it (the selector shows one).
        curve.push({ run: 'a', series: 'grad norm', step, wallTime: t0 + step * 50, value: 100 * Math.exp(-step / 30) + 1 });
        curve.push({ run: 'a', series: 'learning rate', step, wallTime: t0 + step * 50, value: step < 200 ? 0.05 : 0.01 });
      }
      curve.push({ run: 'b', series: 'loss', step: 150, wallTime: t0 + 6000, value: 'Infinity' });
      await p.send({ type: 'append', points: curve });
      await p.send({ type: 'marker', run: 'a', step: 200, label: 'lr 0.05 → 0.01' });
      await drawn(p, curve.length);
      const box = (await p.page.locator('.overlay').boundingBox())!;
      await p.page.mouse.move(box.x + box.width * 0.3, box.y + 120);
      await p.page.locator('.tooltip:not([hidden])').waitFor();
      mkdirSync('.e2e/shots', { recursive: true });
      await p.page.screenshot({ path: `.e2e/shots/loss-chart-${kind}.png`, fullPage: true });
      assertClean(p);
      await p.page.close();
    });
  }
});
