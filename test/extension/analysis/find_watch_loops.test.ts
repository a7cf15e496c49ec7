// findWatchLoops: where the "Run & watch" lens goes. Each case shows what a user would see the lens
// stand on (the rest of the line from the returned position); the import forms, shadowing, nesting,
// calls outside any loop, the reference example, and half-typed code (it runs on every edit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { findWatchLoops, type WatchLoopPosition } from '../../../extension/analysis/find_watch_loops.js';

/** The text from each position to the end of its line: what the lens stands above. */
function lensLines(text: string, fileName = 'train.ts'): string[] {
  const lines = text.split(/\r?\n/);
  return findWatchLoops(fileName, text).map(({ line, character }) => lines[line].slice(character));
}

const IMPORT = `import { watch } from 'tracelens';\n`;

test('a loop calling watch.step, for each loop statement kind', () => {
  assert.deepEqual(lensLines(`${IMPORT}for (let i = 0; i < 10; i++) {\n  await watch.step(i, { loss });\n}\n`),
    ['for (let i = 0; i < 10; i++) {']);
  assert.deepEqual(lensLines(`${IMPORT}let i = 0;\nwhile (i < 10) watch.step(i++, {});\n`), ['while (i < 10) watch.step(i++, {});']);
  assert.deepEqual(lensLines(`${IMPORT}let i = 0;\ndo {\n  await watch.step(i, {});\n} while (++i < 10);\n`), ['do {']);
  assert.deepEqual(lensLines(`${IMPORT}for (const [i, batch] of batches.entries()) {\n  await watch.step(i, {});\n}\n`),
    ['for (const [i, batch] of batches.entries()) {']);
  assert.deepEqual(lensLines(`${IMPORT}for await (const batch of stream) {\n  await watch.step(batch.i, {});\n}\n`),
    ['for await (const batch of stream) {']);
  assert.deepEqual(lensLines(`${IMPORT}for (const k in runs) await watch.step(Number(k), {});\n`),
    ['for (const k in runs) await watch.step(Number(k), {});']);
});

test('every way of importing tracelens or its watch', () => {
  const body = (callee: string) => `\nfor (let i = 0; i < 3; i++) {\n  await ${callee}(i, {});\n}\n`;
  const loop = ['for (let i = 0; i < 3; i++) {'];
  const cases: [string, string][] = [
    [`import { watch as w } from 'tracelens';`, 'w.step'],
    [`import { numpy as np, watch, jit } from 'tracelens';`, 'watch.step'],
    [`import * as tl from 'tracelens';`, 'tl.watch.step'],
    [`import tl = require('tracelens');`, 'tl.watch.step'],
    [`const tl = require('tracelens');`, 'tl.watch.step'],
    [`const { watch } = require('tracelens');`, 'watch.step'],
    [`const { watch: w } = await import('tracelens');`, 'w.step'],
    [`import { "watch" as w } from 'tracelens';`, 'w.step'],
    [`import { watch } from 'tracelens';`, "watch['step']"],
    [`import { watch } from 'tracelens';`, 'watch.step?.'],
    [`import { watch } from 'tracelens';`, '(watch as typeof watch).step'],
    [`import * as tl from 'tracelens';`, "tl['watch'].step"],
  ];
  for (const [imports, callee] of cases) assert.deepEqual(lensLines(imports + body(callee)), loop, `${imports} … ${callee}`);
});

test('names that are not tracelens\'s watch.step give no lens', () => {
  const loop = (call: string) => `for (let i = 0; i < 3; i++) ${call};\n`;
  const cases: string[] = [
    `import { watch } from 'other-lib';\n${loop('watch.step(i, {})')}`,
    `import type { watch } from 'tracelens';\n${loop('watch.step(i, {})')}`,
    `import { type watch } from 'tracelens';\n${loop('watch.step(i, {})')}`,
    `import { watch as w } from 'tracelens';\n${loop('watch.step(i, {})')}`,
    `${IMPORT}${loop('watch.scalar("acc", 1, i)')}`,
    `${IMPORT}${loop('watch.stepper(i)')}`,
    `${IMPORT}${loop('step(i, {})')}`,
    `import * as tl from 'tracelens';\n${loop('tl.step(i, {})')}`,
    `import * as tl from 'tracelens';\n${loop('other.watch.step(i, {})')}`,
    // Shadowed: a parameter, a local const, a loop variable, a hoisted var, a catch binding.
    `${IMPORT}function train(watch: Fake) {\n  ${loop('watch.step(i, {})')}}\n`,
    `${IMPORT}function train() {\n  const watch = fake();\n  ${loop('watch.step(i, {})')}}\n`,
    `${IMPORT}for (const watch of fakes) watch.step(0, {});\n`,
    `${IMPORT}function train() {\n  ${loop('watch.step(i, {})')}  if (x) { var watch = fake(); }\n}\n`,
    `${IMPORT}try { f(); } catch (watch) {\n  ${loop('watch.step(i, {})')}}\n`,
    `import * as tl from 'tracelens';\nconst run = (tl: Fake) => {\n  ${loop('tl.watch.step(i, {})')}};\n`,
    `// for (let i = 0; i < 3; i++) watch.step(i, {});  (tracelens)\n`,
  ];
  for (const source of cases) assert.deepEqual(lensLines(source), [], source);
});

test('a shadow in one function leaves tracelens\'s watch in another', () => {
  const source = `${IMPORT}function fake(watch: Fake) {\n  for (;;) watch.step(0, {});\n}\nfor (let i = 0; i < 3; i++) {\n  await watch.step(i, {});\n}\n`;
  assert.deepEqual(lensLines(source), ['for (let i = 0; i < 3; i++) {']);
});

test('nested loops get one lens, on the outermost; several calls in one loop too', () => {
  const source = `${IMPORT}async function train() {
  for (let epoch = 0; epoch < 5; epoch++) {
    for (const batch of batches) {
      await watch.step(step++, { loss });
    }
    await watch.step(step, { params });
  }
}
`;
  assert.deepEqual(lensLines(source), ['for (let epoch = 0; epoch < 5; epoch++) {']);
});

test('each training loop of a file gets its own lens, in file order', () => {
  const source = `${IMPORT}for (let i = 0; i < 3; i++) await watch.step(i, {});
console.log('phase 2');
let j = 0;
while (j < 3) {
  await watch.step(j++, {});
}
`;
  assert.deepEqual(lensLines(source), ['for (let i = 0; i < 3; i++) await watch.step(i, {});', 'while (j < 3) {']);
});

test('a call in no loop gets the top-level statement that holds it', () => {
  const inFunction = `${IMPORT}
/** One step of training. */
export async function report(i: number, loss: number) {
  if (i % 10 === 0) await watch.step(i, { loss });
}
for (let i = 0; i < 100; i++) await report(i, 1 / i);
`;
  assert.deepEqual(lensLines(inFunction), ['export async function report(i: number, loss: number) {']);
  const inCallback = `${IMPORT}losses.forEach((loss, i) => {\n  watch.step(i, { loss });\n});\n`;
  assert.deepEqual(lensLines(inCallback), ['losses.forEach((loss, i) => {']);
  const inMethod = `${IMPORT}class Trainer {\n  async tick() {\n    await watch.step(this.i++, {});\n  }\n}\n`;
  assert.deepEqual(lensLines(inMethod), ['class Trainer {']);
  const once = `${IMPORT}await watch.step(0, { loss: 1 });\n`;
  assert.deepEqual(lensLines(once), ['await watch.step(0, { loss: 1 });']);
});

test('a loop around a callback that calls watch.step is the loop', () => {
  const source = `${IMPORT}for (const run of runs) {\n  run.losses.forEach((loss, i) => watch.step(i, { loss }));\n}\n`;
  assert.deepEqual(lensLines(source), ['for (const run of runs) {']);
});

test('a labelled loop: the lens stands on the label', () => {
  const source = `${IMPORT}outer: for (let e = 0; e < 3; e++) {\n  for (;;) { await watch.step(e, {}); break outer; }\n}\n`;
  assert.deepEqual(lensLines(source), ['outer: for (let e = 0; e < 3; e++) {']);
});

test('positions count UTF-16 units and CRLF line ends, skipping comments before the loop', () => {
  const source = `import { watch } from 'tracelens';\r\n// 損失 🔥\r\n/* lr */ for (let i = 0; i < 3; i++) {\r\n  await watch.step(i, {});\r\n}\r\n`;
  assert.deepEqual(findWatchLoops('train.ts', source), [{ line: 2, character: '/* lr */ '.length }]);
});

test('JavaScript files are read too', () => {
  for (const name of ['train.js', 'train.mjs', 'train.jsx', 'train.tsx']) {
    const source = `const { watch } = require('tracelens');\nfor (let i = 0; i < 3; i++) watch.step(i, {});\n`;
    assert.deepEqual(lensLines(source, name), ['for (let i = 0; i < 3; i++) watch.step(i, {});'], name);
  }
});

const EXAMPLES = readdirSync('examples').filter((f) => f.endsWith('.ts')).sort();

test('the fixed-leaves example: its training loop', () => {
  const text = readFileSync('examples/fixed_leaves.ts', 'utf8');
  assert.match(text, /watch\.step\(/, 'examples/fixed_leaves.ts reports its steps with watch.step');
  assert.deepEqual(lensLines(text), ['for (let i = first; i < steps; i++) {']);
});

test('the other examples: a lens only where they call watch.step', () => {
  for (const name of EXAMPLES) {
    const text = readFileSync(`examples/${name}`, 'utf8');
    if (name === 'fixed_leaves.ts') continue;
    const calls = text.includes('watch.step(');
    assert.equal(findWatchLoops(name, text).length > 0, calls, `${name} ${calls ? 'calls' : 'does not call'} watch.step`);
  }
});

function assertInside(text: string, found: WatchLoopPosition[], what: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const { line, character } of found) {
    assert.ok(Number.isInteger(line) && line >= 0 && line < lines.length, what);
    assert.ok(Number.isInteger(character) && character >= 0 && character <= lines[line].length, what);
  }
}

const WATCHED = `import * as tl from 'tracelens';
import { watch as w } from 'tracelens';
for (let e = 0; e < 3; e++) {
  for (const b of batches) { await w.step(e, { loss: b }); }
}
function report(i) { tl.watch.step(i, {}); }
do { report(i); } while (tl.watch.step(i++, {}));
`;

test('every prefix of the examples and of a watched file (cut every 17 characters) gives positions inside the text', () => {
  let cuts = 0;
  for (const source of [WATCHED, ...EXAMPLES.map((f) => readFileSync(`examples/${f}`, 'utf8'))]) {
    for (let end = 0; end <= source.length; end += 17, cuts++) {
      const text = source.slice(0, end);
      assertInside(text, findWatchLoops('cut.ts', text), `cut at ${end}`);
    }
  }
  assert.ok(cuts > 500);
});

test('random deletions and stray brackets give positions inside the text', () => {
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const junk = ['(', ')', '{', '}', '[', ',', '"', '`', '/*', '*/', '=>', 'for (', 'while', 'do', 'watch.step(', '.', '\n'];
  for (let i = 0; i < 300; i++) {
    let text = WATCHED;
    for (let k = 0; k < 3; k++) {
      const at = random(text.length + 1);
      text = random(2) === 0 ? text.slice(0, at) + text.slice(at + random(30))
        : text.slice(0, at) + junk[random(junk.length)] + text.slice(at);
    }
    for (const name of ['edit.ts', 'edit.js']) assertInside(text, findWatchLoops(name, text), `edit ${i} as ${name}: ${text}`);
  }
});

test('half-typed code still finds the loop that is there', () => {
  assert.deepEqual(lensLines(`${IMPORT}for (let i = 0; i < 3; i++) {\n  await watch.step(i, {`), ['for (let i = 0; i < 3; i++) {']);
  assert.deepEqual(lensLines(`${IMPORT}while (true) {\n  watch.step(`), ['while (true) {']);
  assert.deepEqual(lensLines(`${IMPORT}for (let i = 0; i < 3; i++) {\n  await watch.`), []);
});
