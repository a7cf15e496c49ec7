// The layout rule of the jaxpr printer against JAX's own (C++) pretty printer: random documents
// of texts, breaks, groups and nests, laid out at several widths (test/golden/jaxprs/layout.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ppDoc, type Doc } from '../../engine/core/jaxpr_printer.js';

type Encoded = ['text', string] | ['brk', string] | ['concat', Encoded[]] | ['group', Encoded] | ['nest', number, Encoded];
const golden = JSON.parse(readFileSync(new URL('../golden/jaxprs/layout.json', import.meta.url), 'utf8')) as {
  docs: { doc: Encoded; layouts: Record<string, string> }[];
};

function build(e: Encoded): Doc {
  switch (e[0]) {
    case 'text': return ppDoc.text(e[1]);
    case 'brk': return ppDoc.brk(e[1]);
    case 'concat': return ppDoc.concat(e[1].map(build));
    case 'group': return ppDoc.group(build(e[1]));
    case 'nest': return ppDoc.nest(e[1], build(e[2]));
  }
}

test('documents lay out exactly as JAX lays them out, at every width', () => {
  assert.ok(golden.docs.length >= 100);
  for (const [i, { doc, layouts }] of golden.docs.entries()) {
    for (const [width, want] of Object.entries(layouts)) {
      assert.equal(ppDoc.format(build(doc), Number(width)), want, `document ${i} at width ${width}: ${JSON.stringify(doc)}`);
    }
  }
});
