// `x.toString()` exactly as JAX's `repr(x)`: `Array([1., 2.], dtype=float32)`. A port of the parts
// of NumPy's arrayprint.py that JAX's repr uses (array2string with prefix 'Array(', separator ', ',
// line width 75, threshold 1000, edge items 3, precision 8, floatmode 'maxprec'), with float
// digits as NumPy's Dragon4 prints them: the shortest string that reads back as the same value of
// the array's dtype (float16, float32 or float64).

import type { ShapedArray } from '../core/aval.js';
import { type DType, type TypedArray, isBool, isFloat, roundToFloat16 } from '../core/dtype.js';
import { installFormatter } from '../core/format.js';
import { shapeStr } from '../core/shape.js';

const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 8;

// ---- shortest round-trip digits (Dragon4's "unique" mode) --------------------------------------
interface Digits { digits: string; exp: number }

/** The value as `d.ddd × 10^exp` from a JS exponential string like "1.25e-3". */
function parseExponential(s: string): Digits {
  const [mant, e] = s.split('e');
  return { digits: mant.replace('.', '').replace('-', ''), exp: Number(e) };
}

/** The shortest significant digits of |x| that read back as x in `dtype`. */
function shortestDigits(x: number, dtype: DType): Digits {
  const a = Math.abs(x);
  if (dtype === 'float64') return parseExponential(a.toExponential());
  const roundTrip = dtype === 'float16' ? roundToFloat16 : Math.fround;
  for (let p = 1; p <= 17; p++) {
    const s = a.toExponential(p - 1);
    if (roundTrip(Number(s)) === a) return parseExponential(s);
  }
  return parseExponential(a.toExponential());
}

type Trim = 'k' | '.';
interface FloatStyle { precision: number; minDigits: number; trim: Trim; padLeft: number; padRight?: number; expDigits?: number }

const isNegative = (x: number) => x < 0 || Object.is(x, -0);

function applyTrim(frac: string, minDigits: number, trim: Trim): string {
  let f = frac;
  if (trim === '.') f = f.replace(/0+$/, '');
  if (f.length < minDigits) f = f.padEnd(minDigits, '0');
  return f;
}

/** numpy's dragon4_positional with unique=True, fractional=True. */
function positional(x: number, dtype: DType, st: FloatStyle): string {
  let intPart: string, frac: string;
  if (x === 0) { intPart = '0'; frac = ''; } else {
    const { digits, exp } = shortestDigits(x, dtype);
    if (digits.length - 1 - exp > st.precision) {
      // More fractional digits than the precision allows: round the exact value there.
      [intPart, frac] = Math.abs(x).toFixed(st.precision).split('.');
    } else if (exp >= 0) {
      intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      frac = digits.slice(exp + 1);
    } else {
      intPart = '0';
      frac = '0'.repeat(-exp - 1) + digits;
    }
  }
  frac = applyTrim(frac, st.minDigits, st.trim);
  const sign = isNegative(x) ? '-' : '';
  const left = (sign + intPart).padStart(st.padLeft, ' ');
  return `${left}.${st.padRight !== undefined ? frac.padEnd(st.padRight, ' ') : frac}`;
}

/** numpy's dragon4_scientific with unique=True. */
function scientific(x: number, dtype: DType, st: FloatStyle): string {
  let d: Digits = x === 0 ? { digits: '0', exp: 0 } : shortestDigits(x, dtype);
  // Fewer digits than the precision allows → round there; fewer than minDigits → Dragon4 keeps
  // generating the true digits of the value (not zeros): 0.6666666f32 prints as 6.6666663e-01.
  const fracDigits = d.digits.length - 1;
  if (x !== 0 && fracDigits > st.precision) d = parseExponential(Math.abs(x).toExponential(st.precision));
  else if (x !== 0 && fracDigits < st.minDigits) d = parseExponential(Math.abs(x).toExponential(Math.min(st.minDigits, 100)));
  const frac = applyTrim(d.digits.slice(1), st.minDigits, st.trim);
  const sign = isNegative(x) ? '-' : '';
  const left = (sign + d.digits[0]).padStart(st.padLeft, ' ');
  const expDigits = Math.max(2, st.expDigits ?? 2);
  const expStr = String(Math.abs(d.exp)).padStart(expDigits, '0');
  return `${left}.${frac}e${d.exp < 0 ? '-' : '+'}${expStr}`;
}

// ---- element formatters (NumPy's FloatingFormat, IntegerFormat, BoolFormat) ---------------------
type ElementFormat = (x: number) => string;

/** Decimal digits of precision of each float dtype (np.finfo(d).precision). */
const FINFO_PRECISION: Partial<Record<DType, number>> = { float16: 3, float32: 6, float64: 15 };

function floatingFormat(data: number[], dtype: DType): ElementFormat {
  const finite = data.filter(Number.isFinite);
  const absNonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (absNonZero.length) {
    const maxVal = Math.max(...absNonZero), minVal = Math.min(...absNonZero);
    const cutoff = 10 ** Math.min(8, FINFO_PRECISION[dtype] ?? 6);
    expFormat = maxVal >= cutoff || minVal < 0.0001 || maxVal / minVal > 1000;
  }
  let style: FloatStyle;
  if (finite.length === 0) {
    style = { precision: PRECISION, minDigits: 0, trim: '.', padLeft: 0, padRight: 0 };
  } else if (expFormat) {
    const first = { precision: PRECISION, minDigits: 0, trim: '.' as Trim, padLeft: 0 };
    const strs = finite.map((v) => scientific(v, dtype, first));
    const parts = strs.map((s) => { const [m, e] = s.split('e'); const [i, f] = m.split('.'); return { i, f, e }; });
    const expSize = Math.max(...parts.map((p) => p.e.length)) - 1;
    const precision = Math.max(...parts.map((p) => p.f.length));
    style = { precision, minDigits: precision, trim: 'k', padLeft: Math.max(...parts.map((p) => p.i.length)), expDigits: expSize };
    style.padRight = expSize + 2 + precision;
  } else {
    const first = { precision: PRECISION, minDigits: 0, trim: '.' as Trim, padLeft: 0 };
    const parts = finite.map((v) => positional(v, dtype, first).split('.'));
    style = {
      precision: PRECISION, minDigits: 0, trim: '.',
      padLeft: Math.max(...parts.map((p) => p[0].length)), padRight: Math.max(...parts.map((p) => p[1].length)),
    };
  }
  if (finite.length !== data.length) {
    // Room for nan / inf / -inf in the same column.
    const negInf = data.some((v) => v === -Infinity) ? 1 : 0;
    const offset = (style.padRight ?? 0) + 1;
    style.padLeft = Math.max(style.padLeft, 3 - offset, 3 + negInf - offset);
  }
  return (x) => {
    if (!Number.isFinite(x)) {
      const ret = Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
      return ' '.repeat(Math.max(0, style.padLeft + (style.padRight ?? 0) + 1 - ret.length)) + ret;
    }
    return expFormat ? scientific(x, dtype, style) : positional(x, dtype, style);
  };
}

function integerFormat(data: number[]): ElementFormat {
  const width = data.length ? Math.max(String(Math.max(...data)).length, String(Math.min(...data)).length) : 0;
  return (x) => String(x).padStart(width, ' ');
}

function boolFormat(scalar: boolean): ElementFormat {
  const t = scalar ? 'True' : ' True';
  return (x) => (x ? t : 'False');
}

// ---- layout (NumPy's _formatArray) -------------------------------------------------------------
/** The indices shown along an axis of length n: all, or the edge items when summarizing. */
const shownIndices = (n: number, summarize: boolean): number[] =>
  summarize && n > 2 * EDGE_ITEMS
    ? [...Array(EDGE_ITEMS).keys(), ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)]
    : [...Array(n).keys()];

function extendLine(s: string, line: string, word: string, width: number, nextLinePrefix: string): [string, string] {
  const needsWrap = line.length + word.length > width && line.length > nextLinePrefix.length;
  if (needsWrap) { s += line.trimEnd() + '\n'; line = nextLinePrefix; }
  return [s, line + word];
}

function layout(shape: readonly number[], element: (index: number[]) => string, lineWidth: number,
  nextLinePrefix: string, separator: string, summarize: boolean): string {
  const summaryInsert = '...';
  const recurse = (index: number[], hangingIndent: string, currWidth: number): string => {
    const axis = index.length;
    const axesLeft = shape.length - axis;
    if (axesLeft === 0) return element(index);
    const nextHanging = hangingIndent + ' ';
    const nextWidth = currWidth - 1;
    const n = shape[axis];
    const showSummary = summarize && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(separator.trimEnd().length, 1);
      let line = hangingIndent;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLine(s, line, recurse([...index, i], nextHanging, nextWidth), elemWidth, hangingIndent);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, summaryInsert, elemWidth, hangingIndent);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLine(s, line, recurse([...index, n - i], nextHanging, nextWidth), elemWidth, hangingIndent);
        line += separator;
      }
      [s, line] = extendLine(s, line, recurse([...index, n - 1], nextHanging, nextWidth), elemWidth, hangingIndent);
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + recurse([...index, i], nextHanging, nextWidth) + lineSep;
      if (showSummary) s += hangingIndent + summaryInsert + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + recurse([...index, n - i], nextHanging, nextWidth) + lineSep;
      s += hangingIndent + recurse([...index, n - 1], nextHanging, nextWidth);
    }
    return '[' + s.slice(hangingIndent.length) + ']';
  };
  return recurse([], nextLinePrefix, lineWidth);
}

/** np.array2string(values, prefix, suffix=',', separator=', ') for a non-empty array. */
export function array2string(host: TypedArray, shape: readonly number[], dtype: DType, prefix: string): string {
  const size = host.length;
  const summarize = size > THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
  const at = (index: readonly number[]) => index.reduce((off, i, d) => off + i * strides[d], 0);
  // The formatter's column widths come from the elements that will be shown.
  const shownValues: number[] = [];
  const collect = (index: number[]) => {
    if (index.length === shape.length) { shownValues.push(host[at(index)]); return; }
    for (const i of shownIndices(shape[index.length], summarize)) collect([...index, i]);
  };
  collect([]);
  const format = isBool(dtype) ? boolFormat(shape.length === 0)
    : isFloat(dtype) ? floatingFormat(shownValues, dtype)
      : integerFormat(shownValues);
  return layout(shape, (index) => format(host[at(index)]), LINE_WIDTH - 1, ' ' + ' '.repeat(prefix.length), ', ', summarize);
}

/** JAX's Array.__repr__. `host` is null when the values live only on a device. */
export function formatArray(aval: ShapedArray, host: TypedArray | null, platform: string): string {
  const prefix = 'Array(';
  const dtypeStr = `dtype=${aval.dtype}${aval.weakType ? ', weak_type=True' : ''}`;
  if (aval.size === 0) return `${prefix}[], shape=${shapeStr(aval.shape)}, ${dtypeStr})`;
  if (!host) return `${prefix}<not yet read from ${platform}: await x.data()>, shape=${shapeStr(aval.shape)}, ${dtypeStr})`;
  const s = array2string(host, aval.shape, aval.dtype, prefix);
  const lastLineLen = s.length - s.lastIndexOf('\n') + 1;
  // JAX puts the dtype after the closing bracket, indented by the prefix width when the line is full.
  const sep = lastLineLen + dtypeStr.length + 2 > LINE_WIDTH ? ' '.repeat(prefix.length) : ' ';
  return `${prefix}${s},${sep}${dtypeStr})`;
}

installFormatter(formatArray);
