// The bounded histories behind the inspector's step list and sparklines: never above their bound,
// the recent entries whole, the older ones evenly spread back to the very first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Thinning } from '../../../extension/watch/thinning.js';

test('a history stays bounded, keeps its recent entries and spreads the older ones evenly from the first', () => {
  const thinning = new Thinning(100, 40);
  const items: { seq: number }[] = [];
  for (let seq = 0; seq < 100_000; seq++) {
    items.push({ seq });
    thinning.apply(items);
    assert.ok(items.length <= 100, `${items.length} entries after ${seq + 1}`);
  }
  const seqs = items.map((i) => i.seq);
  assert.deepEqual(seqs.slice(-40), Array.from({ length: 40 }, (_, i) => 100_000 - 40 + i), 'the recent entries are all there');
  const older = seqs.slice(0, -40);
  assert.equal(older[0], 0, 'the first entry stays');
  const gaps = new Set(older.slice(1).map((s, i) => s - older[i]));
  assert.equal(gaps.size, 1, `older entries evenly spaced (gaps ${[...gaps].join(', ')})`);
  assert.ok(older.length >= 30, `${older.length} older entries: thinning keeps the bound well used`);
});

test('thinning that could never free room is refused', () => {
  assert.throws(() => new Thinning(10, 10), /could never free room/);
});
