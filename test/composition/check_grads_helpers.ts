// Helpers shared by the checkGrads tests.
import assert from 'node:assert/strict';
import { numpy as np, GradCheckError, type GradCheckReport } from '../../engine/index.js';

export const vec = (...v: number[]) => np.array(v, { dtype: 'float32' });

/** The GradCheckError a checkGrads promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<GradCheckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GradCheckError, `expected a GradCheckError, got ${(e as Error).name}: ${(e as Error).message}`);
    return e;
  }
  assert.fail('checkGrads should have failed');
}

/** The report rows of one check and part. */
export const rows = (r: GradCheckReport, check: string, part: string) => r.leaves.filter((l) => l.check === check && l.part === part);
