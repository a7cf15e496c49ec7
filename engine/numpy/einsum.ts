// einsum: parses the subscripts, then lowers like jnp.einsum — per operand, diagonals of repeated
// labels (an iota mask and a sum) and sums over labels used nowhere else; then pairwise
// dot_generals, left to right (jnp picks the order with opt_einsum; the result is the same); then
// one transpose into the output order.

import type { Array } from '../core/array.js';
import { shapeStr } from '../core/shape.js';
import * as lax from '../lax/index.js';
import type { ArrayLike } from './coerce.js';
import { contractionOperands, contractionResult, preferred } from './linalg.js';

interface Spec { inputs: string[][]; output: string[] }

/** Splits "ij,jk->ik" (with optional "..." and implicit output) into label lists; ellipsis dims get labels "…0", "…1", …. */
function parseSubscripts(subscripts: string, ranks: number[]): Spec {
  const compact = subscripts.replace(/\s+/g, '');
  const [lhs, rhs] = compact.includes('->') ? compact.split('->') : [compact, null];
  const terms = lhs.split(',');
  if (terms.length !== ranks.length) {
    throw new TypeError(`einsum: the subscripts name ${terms.length} operand(s) but ${ranks.length} were given ('${subscripts}').`);
  }
  let ellipsisRank = 0;
  const inputs = terms.map((term, k) => {
    const labels = parseTerm(term, subscripts);
    const dots = labels.indexOf('...');
    if (dots < 0) {
      if (labels.length !== ranks[k]) {
        throw new TypeError(`einsum: operand ${k} has rank ${ranks[k]} but its subscripts '${term}' name ${labels.length} dimension(s).`);
      }
      return labels;
    }
    const n = ranks[k] - (labels.length - 1);
    if (n < 0) throw new TypeError(`einsum: operand ${k} has rank ${ranks[k]}, fewer than the subscripts '${term}' name.`);
    ellipsisRank = Math.max(ellipsisRank, n);
    // Ellipsis dims are right-aligned across operands, as in broadcasting.
    const ell = [...globalThis.Array(n).keys()].map((i) => `…${ellipsisRankPlaceholder(i, n)}`);
    return [...labels.slice(0, dots), ...ell, ...labels.slice(dots + 1)];
  });
  // Resolve right-aligned ellipsis labels now that the largest ellipsis rank is known.
  const fixed = inputs.map((labels) => labels.map((l) => (l.startsWith('…') ? resolveEllipsis(l, ellipsisRank) : l)));
  const ellLabels = [...globalThis.Array(ellipsisRank).keys()].map((i) => `…${i}`);
  let output: string[];
  if (rhs === null) {
    const counts = new Map<string, number>();
    for (const labels of fixed) for (const l of labels) if (!l.startsWith('…')) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...ellLabels, ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  } else {
    const labels = parseTerm(rhs, subscripts);
    const dots = labels.indexOf('...');
    output = dots < 0 ? labels : [...labels.slice(0, dots), ...ellLabels, ...labels.slice(dots + 1)];
    const known = new Set(fixed.flat());
    for (const l of output) {
      if (!known.has(l) && !l.startsWith('…')) throw new TypeError(`einsum: output subscript '${l}' does not appear in the inputs ('${subscripts}').`);
    }
    if (new Set(output).size !== output.length) throw new TypeError(`einsum: output subscripts repeat a label ('${subscripts}').`);
  }
  return { inputs: fixed, output };
}

function parseTerm(term: string, subscripts: string): string[] {
  const labels: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (labels.includes('...')) throw new TypeError(`einsum: an operand may have only one ellipsis ('${subscripts}').`);
      labels.push('...'); i += 2;
    } else if (/[a-zA-Z]/.test(term[i])) labels.push(term[i]);
    else throw new TypeError(`einsum: invalid subscript character '${term[i]}' in '${subscripts}'; use letters and '...'.`);
  }
  return labels;
}

// Ellipsis label "…i" counts from the right inside an operand; store it as "…r<k>" (k from the right).
const ellipsisRankPlaceholder = (i: number, n: number) => `r${n - 1 - i}`;
const resolveEllipsis = (label: string, total: number) => `…${total - 1 - Number(label.slice(2))}`;

/**
 * Takes the diagonal of repeated labels and sums labels no one else needs, for one operand: one
 * iota mask per repeated label, then one reduce_sum over the earlier repeats and the unused labels
 * (jnp keeps the last occurrence of a repeated label).
 */
function preprocess(x: Array, labels: string[], keep: Set<string>): [Array, string[]] {
  let a = x;
  const sumAxes: number[] = [];
  for (const label of new Set(labels)) {
    const positions = labels.map((l, i) => (l === label ? i : -1)).filter((i) => i >= 0);
    if (positions.length < 2) continue;
    const last = positions[positions.length - 1];
    const n = a.shape[last];
    if (positions.some((p) => a.shape[p] !== n)) {
      throw new TypeError(`einsum: dimensions labelled '${label}' have different sizes ${shapeStr(positions.map((p) => a.shape[p]))}.`);
    }
    let mask: Array | null = null;
    for (const p of positions.slice(0, -1)) {
      const eq = lax.eq(lax.broadcastedIota('int32', a.shape, p), lax.broadcastedIota('int32', a.shape, last));
      mask = mask ? lax.bitwiseAnd(mask, eq) : eq;
    }
    a = lax.select(mask!, a, lax.fullLike(a, 0));
    sumAxes.push(...positions.slice(0, -1));
  }
  labels.forEach((l, i) => { if (!keep.has(l) && !sumAxes.includes(i) && labels.lastIndexOf(l) === i) sumAxes.push(i); });
  if (sumAxes.length === 0) return [a, [...labels]];
  sumAxes.sort((p, q) => p - q);
  return [lax.reduceSum(a, sumAxes), labels.filter((_, i) => !sumAxes.includes(i))];
}

/**
 * Einstein summation: `np.einsum('ij,jk->ik', a, b)`. Labels are letters; '...' stands for
 * broadcast-free leading dims; without '->' the output is the labels used once, sorted.
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): Array {
  if (typeof subscripts !== 'string') throw new TypeError('einsum: the first argument must be a subscripts string like "ij,jk->ik".');
  if (operands.length === 0) throw new TypeError('einsum: needs at least one operand.');
  const { operands: xs, out, weak } = contractionOperands('einsum', operands);
  const spec = parseSubscripts(subscripts, xs.map((x) => x.ndim));

  const sizes = new Map<string, number>();
  spec.inputs.forEach((labels, k) => labels.forEach((l, i) => {
    const n = xs[k].shape[i];
    const seen = sizes.get(l);
    if (seen !== undefined && seen !== n && n !== 1 && seen !== 1) {
      throw new TypeError(`einsum: size of label '${l.startsWith('…') ? '...' : l}' is ${seen} in one operand and ${n} in operand ${k}; they must match.`);
    }
    sizes.set(l, seen === undefined || seen === 1 ? n : seen);
  }));

  const needed = (except: number[]): Set<string> => {
    const s = new Set(spec.output);
    spec.inputs.forEach((labels, k) => { if (!except.includes(k)) labels.forEach((l) => s.add(l)); });
    return s;
  };

  let [acc, accLabels] = preprocess(xs[0], spec.inputs[0], needed([0]));
  for (let k = 1; k < xs.length; k++) {
    const done = [...globalThis.Array(k + 1).keys()];
    const later = needed(done);
    const [b, bLabels] = preprocess(xs[k], spec.inputs[k], new Set([...later, ...accLabels]));
    // Labels only the accumulator has, and no later operand or the output needs, are summed first.
    const accOnly = accLabels.map((l, i) => (!bLabels.includes(l) && !later.has(l) ? i : -1)).filter((i) => i >= 0);
    if (accOnly.length) {
      acc = lax.reduceSum(acc, accOnly);
      accLabels = accLabels.filter((_, i) => !accOnly.includes(i));
    }
    const shared = accLabels.filter((l) => bLabels.includes(l));
    const batch = shared.filter((l) => later.has(l));
    const contract = shared.filter((l) => !later.has(l));
    // Size-1 broadcast dims (from '...') must match exactly for dot_general: broadcast them first.
    const fit = (arr: Array, ls: string[]) => {
      const target = ls.map((l, i) => (shared.includes(l) ? sizes.get(l)! : arr.shape[i]));
      return target.some((n, i) => n !== arr.shape[i]) ? lax.broadcastInDim(arr, target, ls.map((_, i) => i)) : arr;
    };
    const a2 = fit(acc, accLabels), b2 = fit(b, bLabels);
    acc = lax.dotGeneral(a2, b2, [
      [contract.map((l) => accLabels.indexOf(l)), contract.map((l) => bLabels.indexOf(l))],
      [batch.map((l) => accLabels.indexOf(l)), batch.map((l) => bLabels.indexOf(l))],
    ], preferred(out));
    accLabels = [...batch, ...accLabels.filter((l) => !shared.includes(l)), ...bLabels.filter((l) => !shared.includes(l))];
  }
  const perm = spec.output.map((l) => accLabels.indexOf(l));
  return contractionResult(lax.transpose(acc, perm), out, weak);
}
