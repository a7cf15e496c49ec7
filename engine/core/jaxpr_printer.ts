// Jaxprs as text, character for character as JAX 0.10 prints them (jax/_src/core.py `pp_jaxpr`,
// the per-primitive `pp_eqn_rules` of lax.py and pjit.py, and the layout of pretty_printer.py):
//
//   { lambda a:f32[3]; b:f32[3]. let c:f32[3] = mul b 2.0:f32[] in (c,) }
//
// Variables are named a, b, …, z, ba, bb, … in the order the printer first meets them, through
// nested jaxprs too; a jit equation's inner jaxpr reuses the names of the equation's operands and
// results. Top-level results nothing reads print as `_`. A jaxpr used more than once (or a nested
// one of more than 10 equations) is printed once, first, as `let name = { lambda … } in`.

import { ShapedArray } from './aval.js';
import { type DType, isFloat } from './dtype.js';
import { type Atom, ClosedJaxpr, DropVar, Jaxpr, type JaxprEqn, Literal, Var, installJaxprPrinter } from './jaxpr.js';
import { type Params, primitives } from './primitive.js';


// ---- values as Python's str() shows them ---------------------------------------------------------

/** Python's `repr(float)`: the shortest round-tripping digits, `1e+16`, `1e-05`, `3.0`, `inf`, `-0.0`. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A scalar of `dtype` as `np.asarray(v).item()` prints: `2.0`, `1`, `True`. */
export function pyScalar(v: number | boolean, dtype: DType): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (isFloat(dtype)) return pyFloatRepr(Number(v));
  return String(Number(v));
}

/** A float-valued parameter (`fill_value`, …): printed as Python prints a float. */
export class PyFloat {
  constructor(readonly value: number) {}
  toString(): string { return pyFloatRepr(this.value); }
}
/** A value printed verbatim (an enum member such as `GatherScatterMode.CLIP`). */
export class PyRaw {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}
/** A list (printed `[0, 1]`), where JAX prints a list rather than a tuple. */
export class PyList {
  constructor(readonly items: unknown[]) {}
}

/** Python's `str(v)` for a parameter value; nested values use `repr`. */
export function pyStr(v: unknown, nested = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'string') return nested ? `'${v}'` : v;
  if (v instanceof PyFloat || v instanceof PyRaw) return v.toString();
  if (v instanceof PyList) return `[${v.items.map((x) => pyStr(x, true)).join(', ')}]`;
  if (v instanceof ShapedArray) return v.toString();
  if (globalThis.Array.isArray(v)) {
    const items = v.map((x) => pyStr(x, true));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (typeof v === 'object') {
    const cls = dimensionNumbersClass(v as Record<string, unknown>);
    if (cls) return `${cls}(${Object.entries(v as object).map(([k, x]) => `${k}=${pyStr(x, true)}`).join(', ')})`;
    const s = String(v);
    return s === '[object Object]' ? JSON.stringify(v) : s;
  }
  return String(v);
}

function dimensionNumbersClass(o: Record<string, unknown>): string | null {
  if ('offset_dims' in o && 'start_index_map' in o) return 'GatherDimensionNumbers';
  if ('update_window_dims' in o && 'scatter_dims_to_operand_dims' in o) return 'ScatterDimensionNumbers';
  return null;
}

const GATHER_MODES: Record<string, string> = {
  clip: 'GatherScatterMode.CLIP', fill: 'GatherScatterMode.FILL_OR_DROP', promise_in_bounds: 'GatherScatterMode.PROMISE_IN_BOUNDS',
};

// ---- the printing context -------------------------------------------------------------------------

/** JAX's `_encode_digits_alphabetic`: 0 → a, 25 → z, 26 → ba, 27 → bb, … */
function varName(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** Names given so far (JAX's JaxprPpContext): one namespace for a jaxpr and every jaxpr inside it. */
export class PpContext {
  readonly varNames = new Map<Var, string>();
  readonly sharedJaxprs = new Map<Jaxpr, string>();
  readonly sharedNames = new Set<string>();
  private next = 0;

  name(v: Var): string {
    let n = this.varNames.get(v);
    if (n === undefined) {
      do n = varName(this.next++); while (this.sharedNames.has(n));
      this.varNames.set(v, n);
    }
    return n;
  }

  /** Names `forVars` like `likeVars` (an inner jaxpr's binders like the operands of its equation). */
  suggestSameNames(forVars: readonly Atom[], likeVars: readonly Atom[]): void {
    if (forVars.length !== likeVars.length) return;
    const used = new Set<Var>();
    forVars.forEach((f, i) => {
      const like = likeVars[i];
      if (like instanceof Var && !used.has(like) && f instanceof Var && !this.varNames.has(f)) {
        used.add(like);
        this.varNames.set(f, like instanceof DropVar ? '_' : this.name(like));
      }
    });
  }
}

// ---- documents for jaxprs -------------------------------------------------------------------------

function ppAtom(a: Atom, ctx: PpContext): string {
  if (a instanceof Literal) return `${pyScalar(a.value, a.aval.dtype)}:${a.aval.strShort()}`;
  if (a instanceof DropVar) return '_';
  return ctx.name(a);
}

function ppVars(vs: readonly Atom[], ctx: PpContext, opts: { separator?: string; printShapes?: boolean } = {}): Doc {
  const items = vs.map((v) => text(opts.printShapes ? `${ppAtom(v, ctx)}:${v.aval.strShort()}` : ppAtom(v, ctx)));
  return nest(2, group(join(concat([text(opts.separator ?? ''), group(brk())]), items)));
}

function ppJaxprSkeleton(jaxpr: Jaxpr, ctx: PpContext): Doc {
  const constvars = ppVars(jaxpr.constvars, ctx, { printShapes: true });
  const invars = ppVars(jaxpr.invars, ctx, { printShapes: true });
  const eqns = join(brk('; '), jaxpr.eqns.map((e) => ppEqn(e, ctx)));
  const outvars = concat([text('('), ppVars(jaxpr.outvars, ctx, { separator: ',' }), text(jaxpr.outvars.length !== 1 ? ')' : ',)')]);
  return group(concat([nest(2, concat([
    text('{ '), text('lambda '), constvars, text('; '), invars, text('. '), text('let'),
    nest(2, concat([brk(), eqns])), brk(), text('in '), outvars,
  ])), text(' }')]));
}

function ppJaxpr(jaxpr: Jaxpr, ctx: PpContext): Doc {
  const shared = ctx.sharedJaxprs.get(jaxpr);
  if (shared !== undefined) return text(shared);
  return ppJaxprSkeleton(jaxpr, ctx);
}

function ppJaxprs(jaxprs: Jaxpr[], ctx: PpContext): Doc {
  return group(concat([
    nest(2, concat([text('('), brk(''), join(brk(), jaxprs.map((j) => ppJaxpr(j, ctx)))])),
    brk(''), text(')'),
  ]));
}

const asJaxpr = (v: unknown): Jaxpr | null => (v instanceof Jaxpr ? v : v instanceof ClosedJaxpr ? v.jaxpr : null);

function ppKvPair(k: string, v: unknown, ctx: PpContext): Doc {
  let pv: Doc;
  const j = asJaxpr(v);
  if (globalThis.Array.isArray(v) && v.every((x) => asJaxpr(x) !== null)) pv = ppJaxprs(v.map((x) => asJaxpr(x)!), ctx);
  else if (j) pv = ppJaxpr(j, ctx);
  else pv = text(pyStr(v));
  return concat([text(`${k}=`), pv]);
}

function ppKvPairs(pairs: [string, unknown][], ctx: PpContext): Doc {
  if (pairs.length === 0) return nil();
  return group(concat([
    nest(2, concat([text('['), brk(''), join(brk(), pairs.map(([k, v]) => ppKvPair(k, v, ctx)))])),
    brk(''), text(']'),
  ]));
}

/** JAX's `_pp_eqn`: `outs = prim[params] ins`, naming the results before anything inside the params. */
function ppEqnWith(eqn: JaxprEqn, ctx: PpContext, params: [string, unknown][]): Doc {
  const lhs = ppVars(eqn.outBinders, ctx, { printShapes: true });
  const rhs = [text(eqn.primitive.name), ppKvPairs(params, ctx), concat([text(' '), ppVars(eqn.inputs, ctx)])];
  return eqn.outBinders.length > 0 ? concat([lhs, text(' = '), ...rhs]) : concat(rhs);
}

function ppEqn(eqn: JaxprEqn, ctx: PpContext): Doc {
  const rule = EQN_RULES[eqn.primitive.name];
  if (rule) return rule(eqn, ctx);
  return ppEqnWith(eqn, ctx, printedParams(eqn));
}

// ---- which params each primitive shows (JAX's pp_eqn_rules and params JAX has that we don't keep) --

type ParamRule = (p: Params, eqn: JaxprEqn) => Params;
const drop = (p: Params, ...keys: string[]): Params => {
  const q = { ...p };
  for (const k of keys) delete q[k];
  return q;
};
const dropIfNull = (p: Params, ...keys: string[]): Params => {
  const q = { ...p };
  for (const k of keys) if (q[k] === null || q[k] === undefined) delete q[k];
  return q;
};
const withDefaults = (p: Params, defaults: Params): Params => ({ ...defaults, ...p });

const UNARY_WITH_ACCURACY = ['exp', 'exp2', 'log', 'expm1', 'log1p', 'tanh', 'logistic', 'sin', 'cos', 'tan', 'sqrt', 'rsqrt', 'cbrt'];
const SCATTER_COMBINERS: Record<string, string> = { 'scatter-add': 'add', 'scatter-mul': 'mul', 'scatter-min': 'min', 'scatter-max': 'max', 'scatter-sub': 'sub' };

const PARAM_RULES: Record<string, ParamRule> = {
  ...Object.fromEntries(UNARY_WITH_ACCURACY.map((n) => [n, (p: Params) => dropIfNull(p, 'accuracy')])),
  mul: (p) => dropIfNull(p, 'out_dtype'),
  convert_element_type: (p) => drop(p, 'sharding'),
  broadcast_in_dim: (p) => {
    const q = drop(p, 'shape', 'sharding');
    if ((q.broadcast_dimensions as number[] | undefined)?.length === 0) delete q.broadcast_dimensions;
    return q;
  },
  dot_general: (p) => {
    const q = dropIfNull(drop(p, 'out_sharding'), 'precision', 'preferred_element_type');
    const [[lc, rc], [lb, rb]] = p.dimension_numbers as number[][][];
    q.dimension_numbers = [[new PyList(lc), new PyList(rc)], [new PyList(lb), new PyList(rb)]];
    return q;
  },
  reshape: (p) => withDefaults(p, { dimensions: null, sharding: null }),
  iota: (p) => withDefaults(p, { sharding: null }),
  reduce_sum: (p) => withDefaults(p, { out_sharding: null }),
  gather: (p, eqn) => {
    const q = withDefaults(p, { fill_value: null, indices_are_sorted: false, unique_indices: false });
    q.mode = new PyRaw(GATHER_MODES[q.mode as string] ?? String(q.mode));
    const dtype = eqn.inputs[0].aval.dtype;
    // jnp resolves a 'fill' gather's default fill value before binding; ours is null for "the default".
    if (p.mode === 'fill' && (q.fill_value === null || q.fill_value === undefined)) q.fill_value = defaultFillValue(dtype);
    if (dtype === 'bool' && typeof q.fill_value === 'number') q.fill_value = q.fill_value !== 0;
    if (typeof q.fill_value === 'number' && isFloat(dtype)) q.fill_value = new PyFloat(q.fill_value);
    return q;
  },
};
for (const name of ['scatter', ...Object.keys(SCATTER_COMBINERS)]) {
  PARAM_RULES[name] = (p, eqn) => {
    const q = withDefaults(p, { indices_are_sorted: false, unique_indices: false, update_consts: [] });
    q.mode = new PyRaw(GATHER_MODES[q.mode as string] ?? String(q.mode));
    if (!(q.update_jaxpr instanceof Jaxpr)) q.update_jaxpr = combinerJaxpr(name, eqn.inputs[0].aval.dtype);
    return q;
  };
}

/** JAX's fill value of an out-of-bounds 'fill' gather: NaN, the int minimum, the uint maximum, True. */
function defaultFillValue(dtype: DType): number | boolean {
  switch (dtype) {
    case 'int32': return -2147483648;
    case 'uint32': return 4294967295;
    case 'bool': return true;
    default: return NaN;
  }
}

/** The scalar combiner jaxpr JAX keeps in a scatter's `update_jaxpr` (None for a plain scatter). */
function combinerJaxpr(scatterName: string, dtype: DType): Jaxpr | null {
  const prim = primitives.get(SCATTER_COMBINERS[scatterName] ?? '');
  if (!prim) return null;
  const s = new ShapedArray([], dtype);
  const a = new Var(s), b = new Var(s), out = new Var(s);
  return new Jaxpr([], [a, b], [{ primitive: prim, inputs: [a, b], params: {}, outBinders: [out] }], [out]);
}

/** The params an equation prints, sorted by name, as `_pp_eqn` does. */
function printedParams(eqn: JaxprEqn): [string, unknown][] {
  const rule = PARAM_RULES[eqn.primitive.name];
  const p = rule ? rule(eqn.params, eqn) : eqn.params;
  return Object.keys(p).filter((k) => p[k] !== undefined).sort().map((k) => [k, p[k]]);
}

type EqnRule = (eqn: JaxprEqn, ctx: PpContext) => Doc;
function ppNameFirst(eqn: JaxprEqn, ctx: PpContext): Doc {
  const p = { ...eqn.params };
  const name = p.name;
  delete p.name;
  return ppEqnWith(eqn, ctx, [['name', name], ...Object.keys(p).filter((k) => p[k] !== undefined).sort().map((k): [string, unknown] => [k, p[k]])]);
}
const EQN_RULES: Record<string, EqnRule> = {
  // custom_jvp_call / custom_vjp_call: name first, the other params sorted (JAX's custom pp rules).
  custom_jvp_call: (eqn, ctx) => ppNameFirst(eqn, ctx),
  custom_vjp_call: (eqn, ctx) => ppNameFirst(eqn, ctx),
  // pjit's rule: trivial params hidden, name first, and the inner jaxpr named like the equation.
  jit(eqn, ctx) {
    const p = { ...eqn.params };
    delete p.inline;
    if (!(p.donated_invars as boolean[] | undefined)?.some(Boolean)) delete p.donated_invars;
    if (!p.keep_unused) delete p.keep_unused;
    const inner = asJaxpr(p.jaxpr);
    if (inner && !ctx.sharedJaxprs.has(inner)) {
      ctx.suggestSameNames(inner.invars, eqn.inputs);
      ctx.suggestSameNames(inner.outvars, eqn.outBinders);
    }
    const name = p.name;
    delete p.name;
    const rest = Object.keys(p).filter((k) => p[k] !== undefined).sort().map((k): [string, unknown] => [k, p[k]]);
    return ppEqnWith(eqn, ctx, [['name', name], ...rest]);
  },
};

// ---- the top level --------------------------------------------------------------------------------

/** Results of top-level equations that nothing reads print as `_` (JAX's `_dropvars`). */
function dropvars(jaxpr: Jaxpr): Map<Var, string> {
  const names = new Map<Var, string>();
  const used = new Set<Var>(jaxpr.outvars.filter((a): a is Var => a instanceof Var));
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i];
    for (const v of e.outBinders) if (!used.has(v)) names.set(v, '_');
    for (const a of e.inputs) if (a instanceof Var) used.add(a);
  }
  return names;
}

function* jaxprsInParams(params: Params): Generator<Jaxpr> {
  for (const v of Object.values(params)) {
    for (const x of globalThis.Array.isArray(v) ? v : [v]) {
      const j = asJaxpr(x);
      if (j) yield j;
    }
  }
}

/** JAX's `pp_toplevel_jaxpr`: shared jaxprs first (`let f = { … } in`), then the jaxpr. */
export function printJaxpr(top: Jaxpr, width = 80): string {
  const ctx = new PpContext();
  for (const [v, n] of dropvars(top)) ctx.varNames.set(v, n);

  const names = new Map<Jaxpr, string>();
  const counts = new Map<Jaxpr, number>();
  const queue: Jaxpr[] = [top];
  while (queue.length > 0) {
    const j = queue.shift()!;
    counts.set(j, (counts.get(j) ?? 0) + (j !== top && j.eqns.length > 10 ? 2 : 1));
    for (const e of j.eqns) {
      const name = e.params.name;
      if (typeof name !== 'string') { queue.push(...jaxprsInParams(e.params)); continue; }
      const stripped = name.replace(/^[<>]+|[<>]+$/g, '');
      for (const sub of jaxprsInParams(e.params)) {
        queue.push(sub);
        if (!names.has(sub)) names.set(sub, stripped);
      }
    }
  }
  const nameCounts = new Map<string, number>();
  const bump = (n: string) => nameCounts.set(n, (nameCounts.get(n) ?? 0) + 1);
  const shared: [string, Jaxpr][] = [];
  for (const [j, c] of counts) {
    if (c === 1) continue;
    let name = names.get(j) ?? 'jaxpr';
    const count = nameCounts.get(name) ?? 0;
    if (count > 0) {
      bump(name);
      name += String(count);
      bump(name);
    } else {
      bump(name);
    }
    ctx.sharedNames.add(name);
    ctx.sharedJaxprs.set(j, name);
    shared.push([name, j]);
  }

  const docs: Doc[] = shared.map(([name, j]) => concat([text('let '), text(name), text(' = '), ppJaxprSkeleton(j, ctx), text(' in'), brk()]));
  docs.push(ppJaxpr(top, ctx));
  return format(concat(docs), width);
}

installJaxprPrinter((j) => printJaxpr(j));

// ---- the layout engine ----------------------------------------------------------------------------
// A Wadler-style document and JAX's layout of it (jax/_src/pretty_printer.py): a group is printed
// flat (its breaks as their text) when the group alone fits in the rest of the line; otherwise its
// breaks become newlines indented by the enclosing nests.

type Doc =
  | { kind: 'nil' }
  | { kind: 'text'; text: string }
  | { kind: 'concat'; children: Doc[] }
  | { kind: 'brk'; text: string }
  | { kind: 'group'; child: Doc }
  | { kind: 'nest'; n: number; child: Doc };

const nil = (): Doc => ({ kind: 'nil' });
const text = (s: string): Doc => ({ kind: 'text', text: s });
const concat = (children: Doc[]): Doc => ({ kind: 'concat', children });
const brk = (s = ' '): Doc => ({ kind: 'brk', text: s });
const group = (child: Doc): Doc => ({ kind: 'group', child });
const nest = (n: number, child: Doc): Doc => ({ kind: 'nest', n, child });

/** `docs` separated by `sep`. */
function join(sep: Doc, docs: Doc[]): Doc {
  if (docs.length === 0) return nil();
  if (docs.length === 1) return docs[0];
  const xs: Doc[] = [docs[0]];
  for (const d of docs.slice(1)) xs.push(sep, d);
  return concat(xs);
}

const enum Mode { Break, Flat }
interface State { indent: number; mode: Mode; doc: Doc }

/** Whether `doc` printed flat fits in `width` columns (only the group itself is measured, as in JAX). */
function fits(doc: Doc, width: number): boolean {
  const agenda: Doc[] = [doc];
  while (width >= 0 && agenda.length > 0) {
    const d = agenda.pop()!;
    switch (d.kind) {
      case 'nil': break;
      case 'text': width -= d.text.length; break;
      case 'brk': width -= d.text.length; break;
      case 'concat': for (let i = d.children.length - 1; i >= 0; i--) agenda.push(d.children[i]); break;
      case 'group': case 'nest': agenda.push(d.child); break;
    }
  }
  return width >= 0;
}

/** Lays `doc` out in `width` columns. */
function format(doc: Doc, width = 80): string {
  const lines: string[] = [];
  let line = '';
  let k = 0;
  const agenda: State[] = [{ indent: 0, mode: Mode.Break, doc }];
  while (agenda.length > 0) {
    const { indent, mode, doc: d } = agenda.pop()!;
    switch (d.kind) {
      case 'nil': break;
      case 'text': line += d.text; k += d.text.length; break;
      case 'concat':
        for (let i = d.children.length - 1; i >= 0; i--) agenda.push({ indent, mode, doc: d.children[i] });
        break;
      case 'brk':
        if (mode === Mode.Break) {
          lines.push(line);
          line = ' '.repeat(indent);
          k = indent;
        } else {
          line += d.text;
          k += d.text.length;
        }
        break;
      case 'nest': agenda.push({ indent: indent + d.n, mode, doc: d.child }); break;
      case 'group':
        agenda.push({ indent, mode: fits(d.child, width - k) ? Mode.Flat : Mode.Break, doc: d.child });
        break;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** @internal The document constructors and layout, for tests against JAX's own formatter. */
export const ppDoc = { nil, text, concat, brk, group, nest, format };
export type { Doc };
