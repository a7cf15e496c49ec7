// Devices: what exists, which one is the default, moving arrays, the cpu fallback, and recovery
// from a lost GPU device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { numpy as np, devices, devicePut, config, DeviceLostError } from '../../engine/index.js';

const webgpu = devices().find((d) => d.platform === 'webgpu');

test('devices() lists the cpu device, and the webgpu device first when an adapter exists', () => {
  const all = devices();
  assert.ok(all.some((d) => d.platform === 'cpu'));
  for (const d of all) {
    assert.equal(typeof d.description, 'string');
    assert.ok(d.description.length > 0);
    assert.equal(typeof d.isFallback, 'boolean');
  }
  if (webgpu) assert.equal(all[0].platform, 'webgpu', 'webgpu is the default when present');
});

test("config.update('defaultDevice') chooses where new arrays land", () => {
  try {
    config.update('defaultDevice', 'cpu');
    assert.equal(np.ones([3]).device.platform, 'cpu');
    assert.equal(devices()[0].platform, 'cpu', 'the default comes first');
    if (webgpu) {
      config.update('defaultDevice', 'webgpu');
      assert.equal(np.ones([3]).device.platform, 'webgpu');
    }
  } finally {
    config.update('defaultDevice', null);
  }
  assert.throws(() => config.update('defaultDevice', 'tpu' as never), /use 'webgpu', 'cpu' or null/);
});

test('devicePut commits arrays; operations follow the committed device', async () => {
  const x = devicePut(np.arange(4, { dtype: 'float32' }), 'cpu');
  assert.equal(x.device.platform, 'cpu');
  assert.equal(x.committed, true);
  const y = np.multiply(x, 3);
  assert.equal(y.device.platform, 'cpu');
  assert.deepEqual(Array.from(await y.data()), [0, 3, 6, 9]);
  if (webgpu) {
    const g = devicePut(x, webgpu);
    assert.equal(g.device.platform, 'webgpu');
    assert.deepEqual(Array.from(await np.add(g, 1).data()), [1, 2, 3, 4]);
    assert.throws(() => np.add(g, x), /committed to different devices.*devicePut/s);
  }
});

test('without a usable adapter the engine falls back to cpu with one warning that says how to get WebGPU', () => {
  const script = `
    import { numpy as np, devices } from './engine/index.ts';
    const a = np.ones([2]); const b = np.ones([2]);
    console.log(JSON.stringify(devices().map((d) => d.platform)), a.device.platform, b.device.platform);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json', TRACELENS_PLATFORM: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\["cpu"\] cpu cpu/);
  const warnings = r.stderr.split('\n').filter((l) => l.includes('falling back to the cpu device'));
  assert.equal(warnings.length, 1, `exactly one fallback warning, got:\n${r.stderr}`);
  assert.match(warnings[0], /bookworm-backports/);
});

test('a lost GPU device is recreated on next use, with a warning; arrays from the old device say so', { skip: !webgpu && 'no webgpu adapter' }, async () => {
  const before = devicePut(np.arange(3, { dtype: 'float32' }), webgpu!);
  await before.blockUntilReady();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => { warnings.push(String(m)); };
  try {
    (webgpu!.backend as unknown as { simulateDeviceLoss(): void }).simulateDeviceLoss();
    for (let i = 0; i < 50 && warnings.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      try { await np.add(devicePut(np.ones([3]), webgpu!), 1).data(); break; } catch { /* recreation pending */ }
    }
    const after = await np.add(devicePut(np.ones([3]), webgpu!), 1).data();
    assert.deepEqual(Array.from(after), [2, 2, 2]);
    assert.ok(warnings.some((w) => /WebGPU device was lost/.test(w)), `expected a warning, got ${JSON.stringify(warnings)}`);
    assert.throws(() => np.add(before, 1), DeviceLostError);
  } finally {
    console.warn = warn;
  }
});
