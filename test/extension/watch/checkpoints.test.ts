// Where "Save checkpoint now" saves and what "Restart from checkpoint" offers: the folder per
// program, the step read from the program's file names, newest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointDirFor, checkpointStep, listCheckpoints } from '../../../extension/watch/checkpoints.js';

test('the checkpoint folder is per program, under the workspace folder unless absolute', () => {
  assert.equal(checkpointDirFor('/w/examples/fixed_leaves.ts', '.tracelens/checkpoints', '/w'), '/w/.tracelens/checkpoints/fixed_leaves');
  assert.equal(checkpointDirFor('/w/train.mts', '/data/ckpt', '/w'), '/data/ckpt/train');
});

test('the step comes from the name the program saves under', () => {
  assert.equal(checkpointStep('/d/ckpt_00000042.safetensors'), 42);
  assert.equal(checkpointStep('/d/ckpt_123456789.safetensors'), 123456789);
  assert.equal(checkpointStep('/d/best.safetensors'), null);
  assert.equal(checkpointStep('/d/ckpt_00000042.safetensors.tmp'), null);
});

test('checkpoints are listed newest first, other files left out; a missing folder lists none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tracelens-ckpt-'));
  try {
    const at = (name: string, seconds: number) => utimes(join(dir, name), seconds, seconds);
    for (const name of ['ckpt_00000010.safetensors', 'ckpt_00000020.safetensors', 'best.safetensors', 'notes.txt']) {
      await writeFile(join(dir, name), 'x');
    }
    await mkdir(join(dir, 'old.safetensors'));
    await at('ckpt_00000010.safetensors', 1000);
    await at('ckpt_00000020.safetensors', 3000);
    await at('best.safetensors', 2000);
    const listed = await listCheckpoints(dir);
    assert.deepEqual(listed.map((c) => [c.path, c.step]), [
      [join(dir, 'ckpt_00000020.safetensors'), 20],
      [join(dir, 'best.safetensors'), null],
      [join(dir, 'ckpt_00000010.safetensors'), 10],
    ]);
    assert.deepEqual(await listCheckpoints(join(dir, 'absent')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
