// Error messages, checked against the errors JAX raises for the same calls (test/golden/errors.json
// records JAX's exception type and message). Tracelens' message must name the function or
// primitive and the shapes (or the axis, or the dtype) involved; for a shape mismatch in add, a bad
// axis and a bad dtype it must also say what to do about it.
import { test } from 'node:test';
import { callCase, callName, forEachBackend, loadGolden, type GoldenCase } from './helpers.js';

interface ErrorCase extends Pick<GoldenCase, 'name' | 'module' | 'fn' | 'args' | 'kwargs'> {
  jax_type: string;
  jax_message: string;
  /** Each inner list is a set of alternatives, one of which the message must contain. */
  must_mention: string[][];
  /** The acceptance cases (shape mismatch in add, bad axis, bad dtype) must also suggest a fix. */
  needs_fix: boolean;
}

/** Words that introduce a remedy: "use …", "reshape …", "convert with …", "Tip: …". */
const SUGGESTS_A_FIX = /\b(use|try|pass|reshape|convert|cast|astype|make|choose|call|instead|tip|expand|move|give|list|did you mean|one of)\b/i;

const golden = loadGolden<ErrorCase>('errors.json');

forEachBackend((platform) => {
  for (const c of golden.cases) {
    const title = `${platform} › errors › ${c.name}`;
    test(title, () => {
      let thrown: unknown = null;
      let result: unknown;
      try {
        result = callCase(c);
      } catch (e) {
        thrown = e;
      }
      if (thrown === null) {
        throw new Error(`${title}: ${callName(c)} returned ${String(result)} instead of raising; JAX raises ${c.jax_type}: ${c.jax_message}`);
      }
      if (!(thrown instanceof Error)) throw new Error(`${title}: threw a non-Error value ${String(thrown)}`);
      const msg = thrown.message;
      const problems: string[] = [];
      for (const alternatives of c.must_mention) {
        if (!alternatives.some((a) => msg.toLowerCase().includes(a.toLowerCase()))) {
          problems.push(`does not mention ${alternatives.map((a) => JSON.stringify(a)).join(' or ')}`);
        }
      }
      if (c.needs_fix && !SUGGESTS_A_FIX.test(msg)) problems.push(`does not suggest a fix (no word matching ${SUGGESTS_A_FIX})`);
      if (problems.length) {
        throw new Error(`${title}: the message ${problems.join('; ')}.\n  Tracelens: ${thrown.name}: ${msg}\n  JAX: ${c.jax_type}: ${c.jax_message}`);
      }
    });
  }
});
