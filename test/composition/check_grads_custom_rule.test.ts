// checkGrads fails for a deliberately wrong customJvp rule (off by a factor of 2), with an error whose
// `report` and message name the wrong leaf — of the output in fwd mode, of the argument in rev mode —
// while the correct leaves beside it pass.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numpy as np, checkGrads, customJvp, type Array as TArray } from '../../engine/index.js';
import { forEachBackend } from '../engine/helpers.js';
import { vec, rejection, rows } from './check_grads_helpers.js';

/** sin with a JVP rule that is wrong by a factor of 2. */
function wrongSin() {
  const f = customJvp((x: TArray) => np.sin(x));
  f.defjvp(([x]: TArray[], [t]: TArray[]) => [np.sin(x), np.multiply(2, np.multiply(np.cos(x), t))]);
  return f as unknown as (x: TArray) => TArray;
}

forEachBackend((platform) => {
  test(`${platform} › a deliberately wrong customJvp rule fails, with a report naming the leaf`, async () => {
    const bad = wrongSin();
    const f = (p: { ok: TArray; wrong: TArray }) => ({ ok: np.cos(p.ok), wrong: bad(p.wrong) });
    const e = await rejection(checkGrads(f, [{ ok: vec(0.3, 0.6), wrong: vec(0.2, -0.4, 0.5) }], 2));
    assert.equal(e.report.pass, false);
    const tangentRows = rows(e.report, 'JVP', 'tangent');
    assert.deepEqual(tangentRows.map((l) => [l.path, l.pass]), [["['ok']", true], ["['wrong']", false]]);
    const wrong = tangentRows[1];
    assert.ok(wrong.maxRelError > 0.5, `the rule is off by 2x: max rel error ${wrong.maxRelError}`);
    const proj = rows(e.report, 'VJP', 'cotangent projection');
    assert.deepEqual(proj.filter((l) => !l.pass).map((l) => l.path).sort(), ['(all arguments)', "[0]['wrong']"]);
    assert.ok(proj.find((l) => l.path === "[0]['ok']")!.pass);
    assert.match(e.message, /checks failed/);
    assert.match(e.message, /JVP tangent at output \['wrong'\]: max abs error/);
  });

});
