// Python's `difflib.ndiff` (CPython 3.11), which JAX uses to show how two nodes' metadata differ in
// a pytree structure error. Ported line for line so the `?` marker lines land where JAX puts them.

type Opcode = ['replace' | 'delete' | 'insert' | 'equal', number, number, number, number];
type Match = [number, number, number];

class SequenceMatcher<T> {
  private a: readonly T[] = [];
  private b: readonly T[] = [];
  private b2j = new Map<T, number[]>();
  private bjunk = new Set<T>();
  private matchingBlocks: Match[] | null = null;
  private opcodes: Opcode[] | null = null;
  private fullbcount: Map<T, number> | null = null;

  constructor(private readonly isjunk: ((x: T) => boolean) | null, a: readonly T[] = [], b: readonly T[] = []) {
    this.setSeqs(a, b);
  }

  setSeqs(a: readonly T[], b: readonly T[]): void { this.setSeq1(a); this.setSeq2(b); }
  setSeq1(a: readonly T[]): void {
    if (a === this.a) return;
    this.a = a;
    this.matchingBlocks = this.opcodes = null;
  }
  setSeq2(b: readonly T[]): void {
    if (b === this.b) return;
    this.b = b;
    this.matchingBlocks = this.opcodes = null;
    this.fullbcount = null;
    this.chainB();
  }

  private chainB(): void {
    const b = this.b;
    const b2j = this.b2j = new Map();
    b.forEach((elt, i) => {
      let idx = b2j.get(elt);
      if (!idx) b2j.set(elt, idx = []);
      idx.push(i);
    });
    const junk = this.bjunk = new Set();
    if (this.isjunk) {
      for (const elt of b2j.keys()) if (this.isjunk(elt)) junk.add(elt);
      for (const elt of junk) b2j.delete(elt);
    }
    // autojunk: elements more frequent than 1% of a sequence of 200 or more are "popular".
    const n = b.length;
    if (n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      const popular: T[] = [];
      for (const [elt, idxs] of b2j) if (idxs.length > ntest) popular.push(elt);
      for (const elt of popular) b2j.delete(elt);
    }
  }

  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): Match {
    const { a, b, b2j, bjunk } = this;
    let besti = alo, bestj = blo, bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const newj2len = new Map<number, number>();
      for (const j of b2j.get(a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        newj2len.set(j, k);
        if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
      }
      j2len = newj2len;
    }
    while (besti > alo && bestj > blo && !bjunk.has(b[bestj - 1]) && a[besti - 1] === b[bestj - 1]) {
      besti--; bestj--; bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && !bjunk.has(b[bestj + bestsize]) &&
           a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    while (besti > alo && bestj > blo && bjunk.has(b[bestj - 1]) && a[besti - 1] === b[bestj - 1]) {
      besti--; bestj--; bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && bjunk.has(b[bestj + bestsize]) &&
           a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return [besti, bestj, bestsize];
  }

  getMatchingBlocks(): Match[] {
    if (this.matchingBlocks) return this.matchingBlocks;
    const la = this.a.length, lb = this.b.length;
    const queue: [number, number, number, number][] = [[0, la, 0, lb]];
    const blocks: Match[] = [];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const [i, j, k] = x;
      if (k) {
        blocks.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    blocks.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
    let i1 = 0, j1 = 0, k1 = 0;
    const nonAdjacent: Match[] = [];
    for (const [i2, j2, k2] of blocks) {
      if (i1 + k1 === i2 && j1 + k1 === j2) k1 += k2;
      else {
        if (k1) nonAdjacent.push([i1, j1, k1]);
        i1 = i2; j1 = j2; k1 = k2;
      }
    }
    if (k1) nonAdjacent.push([i1, j1, k1]);
    nonAdjacent.push([la, lb, 0]);
    return this.matchingBlocks = nonAdjacent;
  }

  getOpcodes(): Opcode[] {
    if (this.opcodes) return this.opcodes;
    let i = 0, j = 0;
    const answer: Opcode[] = [];
    for (const [ai, bj, size] of this.getMatchingBlocks()) {
      const tag = i < ai && j < bj ? 'replace' : i < ai ? 'delete' : j < bj ? 'insert' : '';
      if (tag) answer.push([tag, i, ai, j, bj]);
      i = ai + size; j = bj + size;
      if (size) answer.push(['equal', ai, i, bj, j]);
    }
    return this.opcodes = answer;
  }

  ratio(): number {
    const matches = this.getMatchingBlocks().reduce((s, m) => s + m[2], 0);
    return calculateRatio(matches, this.a.length + this.b.length);
  }

  quickRatio(): number {
    if (!this.fullbcount) {
      this.fullbcount = new Map();
      for (const elt of this.b) this.fullbcount.set(elt, (this.fullbcount.get(elt) ?? 0) + 1);
    }
    const avail = new Map<T, number>();
    let matches = 0;
    for (const elt of this.a) {
      const numb = avail.has(elt) ? avail.get(elt)! : this.fullbcount.get(elt) ?? 0;
      avail.set(elt, numb - 1);
      if (numb > 0) matches++;
    }
    return calculateRatio(matches, this.a.length + this.b.length);
  }

  realQuickRatio(): number {
    const la = this.a.length, lb = this.b.length;
    return calculateRatio(Math.min(la, lb), la + lb);
  }
}

const calculateRatio = (matches: number, length: number): number => (length ? (2.0 * matches) / length : 1.0);

/** difflib.IS_CHARACTER_JUNK: spaces and tabs. */
const isCharacterJunk = (ch: string): boolean => ch === ' ' || ch === '\t';

const isSpace = (c: string): boolean => /^\s$/u.test(c);

function keepOriginalWs(s: string[], tags: string): string {
  const tagChars = globalThis.Array.from(tags);
  const n = Math.min(s.length, tagChars.length);
  let out = '';
  for (let i = 0; i < n; i++) out += tagChars[i] === ' ' && isSpace(s[i]) ? s[i] : tagChars[i];
  return out;
}

const rstrip = (s: string): string => s.replace(/\s+$/u, '');

/** `difflib.ndiff(a, b)` with no line junk and IS_CHARACTER_JUNK: the lines of a delta. */
export function ndiff(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  const dump = (tag: string, x: readonly string[], lo: number, hi: number): void => {
    for (let i = lo; i < hi; i++) out.push(`${tag} ${x[i]}`);
  };
  const plainReplace = (alo: number, ahi: number, blo: number, bhi: number): void => {
    if (bhi - blo < ahi - alo) { dump('+', b, blo, bhi); dump('-', a, alo, ahi); } else { dump('-', a, alo, ahi); dump('+', b, blo, bhi); }
  };
  const chars = new Map<string, string[]>();
  const codePoints = (s: string): string[] => {
    let c = chars.get(s);
    if (!c) chars.set(s, c = globalThis.Array.from(s));
    return c;
  };
  const fancyHelper = (alo: number, ahi: number, blo: number, bhi: number): void => {
    if (alo < ahi) {
      if (blo < bhi) fancyReplace(alo, ahi, blo, bhi);
      else dump('-', a, alo, ahi);
    } else if (blo < bhi) dump('+', b, blo, bhi);
  };
  const fancyReplace = (alo: number, ahi: number, blo: number, bhi: number): void => {
    let bestRatio = 0.74;
    const cutoff = 0.75;
    const cruncher = new SequenceMatcher<string>(isCharacterJunk);
    let eqi: number | null = null, eqj: number | null = null;
    let besti = -1, bestj = -1;
    for (let j = blo; j < bhi; j++) {
      const bj = b[j];
      cruncher.setSeq2(codePoints(bj));
      for (let i = alo; i < ahi; i++) {
        const ai = a[i];
        if (ai === bj) {
          if (eqi === null) { eqi = i; eqj = j; }
          continue;
        }
        cruncher.setSeq1(codePoints(ai));
        if (cruncher.realQuickRatio() > bestRatio && cruncher.quickRatio() > bestRatio && cruncher.ratio() > bestRatio) {
          bestRatio = cruncher.ratio(); besti = i; bestj = j;
        }
      }
    }
    if (bestRatio < cutoff) {
      if (eqi === null) { plainReplace(alo, ahi, blo, bhi); return; }
      besti = eqi; bestj = eqj!; bestRatio = 1.0;
    } else {
      eqi = null;
    }
    fancyHelper(alo, besti, blo, bestj);
    const aelt = a[besti], belt = b[bestj];
    if (eqi === null) {
      let atags = '', btags = '';
      cruncher.setSeqs(codePoints(aelt), codePoints(belt));
      for (const [tag, ai1, ai2, bj1, bj2] of cruncher.getOpcodes()) {
        const la = ai2 - ai1, lb = bj2 - bj1;
        if (tag === 'replace') { atags += '^'.repeat(la); btags += '^'.repeat(lb); }
        else if (tag === 'delete') atags += '-'.repeat(la);
        else if (tag === 'insert') btags += '+'.repeat(lb);
        else { atags += ' '.repeat(la); btags += ' '.repeat(lb); }
      }
      atags = rstrip(keepOriginalWs(codePoints(aelt), atags));
      btags = rstrip(keepOriginalWs(codePoints(belt), btags));
      out.push('- ' + aelt);
      if (atags) out.push(`? ${atags}\n`);
      out.push('+ ' + belt);
      if (btags) out.push(`? ${btags}\n`);
    } else {
      out.push('  ' + aelt);
    }
    fancyHelper(besti + 1, ahi, bestj + 1, bhi);
  };

  const lines = new SequenceMatcher<string>(null, a, b);
  for (const [tag, alo, ahi, blo, bhi] of lines.getOpcodes()) {
    if (tag === 'replace') fancyReplace(alo, ahi, blo, bhi);
    else if (tag === 'delete') dump('-', a, alo, ahi);
    else if (tag === 'insert') dump('+', b, blo, bhi);
    else dump(' ', a, alo, ahi);
  }
  return out;
}

/** Python's `str.splitlines()` (no line ends kept). */
export function splitlines(s: string): string[] {
  if (s === '') return [];
  const parts = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `textwrap.indent(text, prefix)`: prefixes every line that is not blank. */
export function indent(text: string, prefix: string): string {
  return text.split(/(?<=\n)/).map((line) => (line.trim() ? prefix + line : line)).join('');
}
