// The ready watchdog of the panel's webview views, on a fake clock: a page that never says 'ready'
// is loaded again every 5 s, at most 3 times, then the user is told; 'ready' stops it and gives a
// later silence a full set of reloads again.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ReadyWatchdog, type WatchdogTimers } from '../../../extension/watch/ready_watchdog.js';

/** Timers that fire only when the test moves the clock. */
class FakeClock implements WatchdogTimers {
  now = 0;
  private pending = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get timersPending(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

function watched() {
  const clock = new FakeClock();
  const reloads: { attempt: number; at: number }[] = [];
  let gaveUp = 0;
  const watchdog = new ReadyWatchdog({
    timeoutMs: 5000,
    maxReloads: 3,
    reload: (attempt) => {
      reloads.push({ attempt, at: clock.now });
    },
    giveUp: () => {
      gaveUp++;
    },
    timers: clock,
  });
  return { clock, watchdog, reloads, gaveUp: () => gaveUp };
}

describe('ReadyWatchdog', () => {
  test('a page that says ready in time is never reloaded', () => {
    const { clock, watchdog, reloads, gaveUp } = watched();
    watchdog.expectReady();
    clock.advance(4999);
    watchdog.ready();
    clock.advance(60_000);
    assert.deepEqual(reloads, []);
    assert.equal(gaveUp(), 0);
    assert.equal(clock.timersPending, 0, 'no timer left behind');
  });

  test('a silent page is reloaded every 5 s, three times, then the watchdog gives up once', () => {
    const { clock, watchdog, reloads, gaveUp } = watched();
    watchdog.expectReady();
    // Each reload waits its own 5 s for 'ready' before the next.
    clock.advance(60_000);
    assert.deepEqual(reloads, [{ attempt: 1, at: 5000 }, { attempt: 2, at: 10_000 }, { attempt: 3, at: 15_000 }]);
    assert.equal(gaveUp(), 1, 'gave up at 20 s, once');
    assert.equal(watchdog.waiting, false);
    assert.equal(clock.timersPending, 0);
  });

  test('ready after a reload stops the retries and restores the full count for the next silence', () => {
    const { clock, watchdog, reloads, gaveUp } = watched();
    watchdog.expectReady();
    clock.advance(11_000);
    assert.equal(watchdog.reloadCount, 2);
    watchdog.ready();
    assert.equal(watchdog.reloadCount, 0);
    clock.advance(60_000);
    assert.equal(reloads.length, 2, 'no reload after ready');

    // Hidden and shown again: the page is loaded anew and may go silent again.
    watchdog.expectReady();
    clock.advance(60_000);
    assert.deepEqual(reloads.slice(2).map((r) => r.attempt), [1, 2, 3], 'three more reloads, counted from 1');
    assert.equal(gaveUp(), 1);
  });

  test('cancel (the view hidden or disposed) stops waiting without reloading', () => {
    const { clock, watchdog, reloads, gaveUp } = watched();
    watchdog.expectReady();
    clock.advance(6000);
    watchdog.cancel();
    clock.advance(60_000);
    assert.equal(reloads.length, 1);
    assert.equal(gaveUp(), 0);
    assert.equal(clock.timersPending, 0);
  });

  test('waiting again restarts the 5 s rather than adding a second timer', () => {
    const { clock, watchdog, reloads } = watched();
    watchdog.expectReady();
    clock.advance(4000);
    watchdog.expectReady();
    assert.equal(clock.timersPending, 1);
    clock.advance(4000);
    assert.deepEqual(reloads, [], '8 s after the first load, but only 4 s after the second');
    clock.advance(1000);
    assert.deepEqual(reloads, [{ attempt: 1, at: 9000 }]);
  });
});
