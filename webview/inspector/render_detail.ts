// The detail of the selected leaf, under the tree: where it is, every statistic of its summary,
// its histogram, and for a 2-D leaf its heatmap with a legend.

import '@vscode-elements/elements/dist/vscode-button/index.js';

import type { LeafSummary } from '../protocol/inspector.js';
import { heatmap, heatmapLegend, histogram } from './charts.js';
import { h } from './dom.js';
import { formatArrayType, formatStat, formatValueStat } from './format.js';

export interface LeafDetail {
  tree: string;
  leaf: LeafSummary;
  /** The same leaf in the grads tree, for a param. */
  grad?: LeafSummary;
  fixed: boolean;
}

export function renderDetail(detail: LeafDetail, copyPath: (path: string) => void): HTMLElement {
  const { leaf } = detail;
  const copy = h('vscode-button', { class: 'copy-path', secondary: '', title: 'Copy the key path to the clipboard' }, 'Copy key path');
  copy.addEventListener('click', () => copyPath(leaf.path));
  const valueStat = (x: number | null) => (x === null ? '\u2014' : formatValueStat(x, leaf.dtype));
  const stat = (x: number | null) => (x === null ? '\u2014' : formatStat(x));
  const fact = (label: string, value: string, cls = '') =>
    [h('dt', {}, label), h('dd', cls ? { class: cls } : {}, value)];
  const nonFinite = leaf.nanCount + leaf.posInfCount + leaf.negInfCount;
  return h('section', { class: 'detail', 'aria-label': `Leaf ${detail.tree}${leaf.path}` },
    h('header', { class: 'detail-title' },
      h('h2', {}, h('span', { class: 'tree-name' }, detail.tree), h('span', { class: 'path' }, leaf.path)),
      h('span', { class: 'type' }, formatArrayType(leaf.dtype, leaf.shape)),
      detail.fixed && h('span', { class: 'badge fixed' }, 'fixed'),
      h('span', { class: 'spacer' }),
      copy),
    h('dl', { class: 'facts' },
      ...fact('Values', leaf.count.toLocaleString('en-US')),
      ...fact('Mean', valueStat(leaf.mean)),
      ...fact('Std', stat(leaf.std)),
      ...fact('Min', valueStat(leaf.min)),
      ...fact('Max', valueStat(leaf.max)),
      ...fact('L2 norm', formatStat(leaf.norm)),
      ...(detail.grad ? fact('Grad norm', formatStat(detail.grad.norm)) : []),
      ...fact('NaN', String(leaf.nanCount), leaf.nanCount > 0 ? 'alarm' : ''),
      ...fact('+inf / \u2212inf', `${leaf.posInfCount} / ${leaf.negInfCount}`, leaf.posInfCount + leaf.negInfCount > 0 ? 'alarm' : ''),
      ...fact('Zeros', String(leaf.zeroCount))),
    h('div', { class: 'charts' },
      h('figure', {},
        h('figcaption', {}, nonFinite > 0 ? `Histogram of the ${(leaf.count - nonFinite).toLocaleString('en-US')} finite values` : 'Histogram'),
        leaf.histogram.counts.length > 0 ? histogram(leaf.histogram) : h('p', { class: 'none' }, 'No finite values.')),
      leaf.heatmap && h('figure', {},
        h('figcaption', {}, leaf.heatmap.rows < leaf.shape[0] || leaf.heatmap.cols < leaf.shape[1]
          ? `Heatmap, block means on a ${leaf.heatmap.rows}\u00d7${leaf.heatmap.cols} grid`
          : 'Heatmap'),
        heatmap(leaf.heatmap, leaf.shape),
        heatmapLegend(leaf.heatmap))));
}
