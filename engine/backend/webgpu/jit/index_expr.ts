// Symbolic u32 index arithmetic for fused kernels, as tinygrad's symbolic layer: loop variables,
// constants, sums with integer coefficients, and division / modulo by constants. Every expression
// knows an exclusive upper bound, which is what lets `(o·N + r) / N` simplify to `o` when r < N —
// the reason a fused broadcast usually costs no index arithmetic at all.
//
// Expressions are immutable values; the constructors below simplify as they build, so a kernel's
// index math is in normal form by the time codegen renders it.

export type Idx =
  | { readonly k: 'var'; readonly name: string; readonly bound: number }
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'sum'; readonly terms: readonly Term[]; readonly offset: number }
  | { readonly k: 'div'; readonly a: Idx; readonly by: number }
  | { readonly k: 'mod'; readonly a: Idx; readonly by: number };

/** `coeff · expr`, where expr is a var, div or mod (never a sum or a constant). */
export interface Term { readonly x: Idx; readonly coeff: number }

export const idxVar = (name: string, bound: number): Idx => ({ k: 'var', name, bound });
export const idxConst = (value: number): Idx => ({ k: 'const', value });
export const ZERO = idxConst(0);

/** One more than the largest value the expression can take (index values are never negative). */
export function bound(e: Idx): number {
  switch (e.k) {
    case 'var': return e.bound;
    case 'const': return e.value + 1;
    case 'sum': return e.terms.reduce((s, t) => s + t.coeff * (bound(t.x) - 1), e.offset) + 1;
    case 'div': return Math.floor((bound(e.a) - 1) / e.by) + 1;
    case 'mod': return Math.min(e.by, bound(e.a));
  }
}

const key = (e: Idx): string => render(e);

/** An expression as a list of terms plus a constant. */
function asSum(e: Idx): { terms: Term[]; offset: number } {
  if (e.k === 'const') return { terms: [], offset: e.value };
  if (e.k === 'sum') return { terms: [...e.terms], offset: e.offset };
  return { terms: [{ x: e, coeff: 1 }], offset: 0 };
}

function fromSum(terms: Term[], offset: number): Idx {
  // Merge equal expressions, drop zero coefficients.
  const merged = new Map<string, Term>();
  for (const t of terms) {
    const k = key(t.x);
    const prev = merged.get(k);
    merged.set(k, { x: t.x, coeff: (prev?.coeff ?? 0) + t.coeff });
  }
  const kept = [...merged.values()].filter((t) => t.coeff !== 0);
  if (kept.length === 0) return idxConst(offset);
  if (kept.length === 1 && kept[0].coeff === 1 && offset === 0) return kept[0].x;
  return { k: 'sum', terms: kept, offset };
}

export function add(...xs: Idx[]): Idx {
  const terms: Term[] = [];
  let offset = 0;
  for (const x of xs) {
    const s = asSum(x);
    terms.push(...s.terms);
    offset += s.offset;
  }
  return fromSum(terms, offset);
}

export function mul(a: Idx, c: number): Idx {
  if (c === 0) return ZERO;
  if (c === 1) return a;
  const s = asSum(a);
  return fromSum(s.terms.map((t) => ({ x: t.x, coeff: t.coeff * c })), s.offset * c);
}

export function div(a: Idx, c: number): Idx {
  if (c === 1) return a;
  if (bound(a) <= c) return ZERO;
  if (a.k === 'const') return idxConst(Math.floor(a.value / c));
  if (a.k === 'div') return div(a.a, a.by * c);
  if (a.k === 'sum') {
    // Terms whose coefficients c divides pass through; if the rest stays below c, it contributes nothing.
    const whole = a.terms.filter((t) => t.coeff % c === 0);
    const rest = a.terms.filter((t) => t.coeff % c !== 0);
    const restOffset = a.offset % c;
    const restBound = rest.reduce((s, t) => s + t.coeff * (bound(t.x) - 1), restOffset) + 1;
    if (restBound <= c) {
      return fromSum(whole.map((t) => ({ x: t.x, coeff: t.coeff / c })), Math.floor(a.offset / c));
    }
  }
  return { k: 'div', a, by: c };
}

export function mod(a: Idx, c: number): Idx {
  if (c === 1) return ZERO;
  if (bound(a) <= c) return a;
  if (a.k === 'const') return idxConst(a.value % c);
  if (a.k === 'sum') {
    // Multiples of c vanish.
    const rest = a.terms.filter((t) => t.coeff % c !== 0);
    const reduced = fromSum(rest, a.offset % c);
    if (bound(reduced) <= c) return reduced;
    return { k: 'mod', a: reduced, by: c };
  }
  if (a.k === 'mod' && a.by % c === 0) return mod(a.a, c);
  return { k: 'mod', a, by: c };
}

/** Row-major coordinates of a linear index in `shape` (size-1 dims are 0). */
export function unravel(linear: Idx, shape: readonly number[]): Idx[] {
  // An empty array has no elements to index (its kernels never run): keep the expressions finite.
  if (shape.includes(0)) return shape.map(() => ZERO);
  const coords: Idx[] = new Array(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = shape[d] === 1 ? ZERO : mod(div(linear, stride), shape[d]);
    stride *= shape[d];
  }
  return coords;
}

/** The row-major linear index of coordinates in `shape`. */
export function ravel(coords: readonly Idx[], shape: readonly number[]): Idx {
  if (shape.includes(0)) return ZERO;
  let stride = shape.reduce((a, b) => a * b, 1);
  return add(...shape.map((n, d) => mul(coords[d], (stride /= n))));
}

/** WGSL source of an index expression (u32 arithmetic). */
export function render(e: Idx): string {
  switch (e.k) {
    case 'var': return e.name;
    case 'const': return `${e.value}u`;
    case 'sum': {
      const parts = e.terms.map((t) => (t.coeff === 1 ? renderAtom(t.x) : `${renderAtom(t.x)} * ${t.coeff}u`));
      if (e.offset !== 0) parts.push(`${e.offset}u`);
      return parts.join(' + ');
    }
    case 'div': return `${renderAtom(e.a)} / ${e.by}u`;
    case 'mod': return `${renderAtom(e.a)} % ${e.by}u`;
  }
}

function renderAtom(e: Idx): string {
  return e.k === 'var' || e.k === 'const' ? render(e) : `(${render(e)})`;
}
