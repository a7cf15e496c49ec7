// How a leaf's numbers read in the inspector: three significant digits, a true minus sign, and
// the array type the way jaxprs write it (`f32[3,2]`). An integer leaf's values are exact: an Adam
// step count of 4314 rounded to "4310" would read as a different step.

import { formatArrayType, formatNumber } from '../grad_check/format.js';
import type { LeafSummary } from '../protocol/inspector.js';

export { formatArrayType };

const integerDtypes = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);

export function isIntegerDtype(dtype: string): boolean {
  return integerDtypes.has(dtype);
}

export function formatStat(x: number): string {
  return formatNumber(x).replace('-', '\u2212');
}

/**
 * A value statistic of a leaf (mean, min, max): exact when the leaf is integer-typed and the value
 * is a whole number (min and max always are; a mean may not be, and then reads like a float's).
 */
export function formatValueStat(x: number, dtype: string): string {
  if (isIntegerDtype(dtype) && Number.isInteger(x)) return String(x).replace('-', '\u2212');
  return formatStat(x);
}

/** `μ 0.012 ± 0.31  [−0.9, 1.2]`, Treescope's one-line summary; says so when nothing is finite. */
export function formatSummaryLine(leaf: LeafSummary): string {
  if (leaf.count === 0) return 'empty';
  if (leaf.mean === null || leaf.std === null || leaf.min === null || leaf.max === null) return 'no finite values';
  const value = (x: number) => formatValueStat(x, leaf.dtype);
  return `\u03bc ${value(leaf.mean)} \u00b1 ${formatStat(leaf.std)}  [${value(leaf.min)}, ${value(leaf.max)}]`;
}

/** The leaf's non-zero counts of NaN, ±inf and zeros, as badges read them. */
export function countBadges(leaf: LeafSummary): { kind: 'nan' | 'inf' | 'zero'; text: string; title: string }[] {
  const badges: { kind: 'nan' | 'inf' | 'zero'; text: string; title: string }[] = [];
  if (leaf.nanCount > 0) badges.push({ kind: 'nan', text: `NaN ${leaf.nanCount}`, title: `${leaf.nanCount} NaN values` });
  const infinities = leaf.posInfCount + leaf.negInfCount;
  if (infinities > 0) {
    badges.push({ kind: 'inf', text: `inf ${infinities}`, title: `${leaf.posInfCount} +inf, ${leaf.negInfCount} \u2212inf` });
  }
  if (leaf.zeroCount > 0) badges.push({ kind: 'zero', text: `zero ${leaf.zeroCount}`, title: `${leaf.zeroCount} of ${leaf.count} values are zero` });
  return badges;
}
