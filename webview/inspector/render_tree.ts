// The trees of a snapshot as one `vscode-tree`: a root per tree (params, grads, optimiser state),
// branches from the key paths, and per leaf Treescope's one-line summary (type, then mean ± std
// and range, then NaN/inf/zero counts when there are any), the grad norm beside each param, a
// 'fixed' badge on frozen params, a sparkline of the leaf's norm over steps, and a 'Copy key path'
// action on every node below a root.

import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';

import type { InspectorSnapshot, LeafSummary, TreeSnapshot } from '../protocol/inspector.js';
import { sparkline } from './charts.js';
import { h } from './dom.js';
import { countBadges, formatArrayType, formatStat, formatSummaryLine } from './format.js';
import { buildTree, leavesUnder, type TreeNode } from './tree_model.js';

export interface TreeActions {
  selectLeaf(tree: string, path: string): void;
  copyPath(path: string): void;
}

export interface TreeViewState {
  selected: { tree: string; path: string } | null;
  /** Node ids that are open; null before the user has opened or closed anything. */
  open: ReadonlySet<string> | null;
}

/** Below this many leaves every branch starts open; above, only the roots. */
const EXPAND_ALL_UP_TO = 40;

/** The tree holding the trainable parameters: named 'params', else the first one. */
export function paramsTree(snapshot: InspectorSnapshot): TreeSnapshot | undefined {
  return snapshot.trees.find((t) => t.name === 'params') ?? snapshot.trees[0];
}

interface LeafContext {
  snapshot: InspectorSnapshot;
  tree: TreeSnapshot;
  isParams: boolean;
  grads: Map<string, LeafSummary>;
  fixed: ReadonlySet<string>;
}

export function renderTrees(snapshot: InspectorSnapshot, view: TreeViewState, actions: TreeActions): HTMLElement {
  const tree = h('vscode-tree', { class: 'pytree', 'indent-guides': 'always', 'aria-label': 'Pytrees' });
  const params = paramsTree(snapshot);
  const gradsTree = snapshot.trees.find((t) => t.name === 'grads');
  const grads = new Map((gradsTree?.leaves ?? []).map((leaf) => [leaf.path, leaf]));
  const fixed = new Set(snapshot.fixedPaths);
  const totalLeaves = snapshot.trees.reduce((n, t) => n + t.leaves.length, 0);
  const isOpen = (id: string, depth: number) =>
    view.open ? view.open.has(id) : depth === 0 || totalLeaves <= EXPAND_ALL_UP_TO;

  const item = (node: TreeNode, context: LeafContext, depth: number): HTMLElement => {
    // Not `data-path`: the tree item keeps its own position there.
    const el = h('vscode-tree-item', { 'data-id': node.id, 'data-tree': context.tree.name, 'data-keystr': node.path });
    if (node.kind === 'branch') {
      el.append(
        h('span', { class: depth === 0 ? 'node-label root-label' : 'node-label' }, h('span', { class: 'key' }, node.label)),
        h('span', { slot: 'description', class: 'node-description' }, branchDescription(node, context, depth)),
        ...node.children.map((child) => item(child, context, depth + 1)));
      if (isOpen(node.id, depth)) el.setAttribute('open', '');
    } else {
      el.classList.add('leaf');
      el.append(...leafParts(node.label, node.leaf, context, depth === 0));
      if (view.selected?.tree === context.tree.name && view.selected.path === node.path) el.setAttribute('selected', '');
    }
    // The root is the whole tree: its key path is empty, so there is nothing to copy.
    if (depth > 0) el.append(copyButton(node.path, actions));
    return el;
  };

  for (const t of snapshot.trees) {
    tree.append(item(buildTree(t), { snapshot, tree: t, isParams: t === params, grads, fixed }, 0));
  }
  // The event's detail differs between @vscode-elements versions (and its typings); the items'
  // `selected` property does not. (The attribute is reflected only after the event.)
  tree.addEventListener('vsc-tree-select', () => {
    const leaves = Array.from(tree.querySelectorAll<HTMLElement & { selected: boolean }>('vscode-tree-item.leaf'));
    const selected = leaves.find((el) => el.selected);
    if (selected) actions.selectLeaf(selected.dataset.tree ?? '', selected.dataset.keystr ?? '');
  });
  return tree;
}

function branchDescription(node: TreeNode, context: LeafContext, depth: number): string {
  const leaves = leavesUnder(node);
  const values = leaves.reduce((n, leaf) => n + leaf.count, 0);
  const parts = [`${leaves.length} ${leaves.length === 1 ? 'leaf' : 'leaves'}`, `${values.toLocaleString('en-US')} values`];
  if (depth === 0 && context.isParams && context.fixed.size > 0) {
    parts.push(`${leaves.filter((leaf) => context.fixed.has(leaf.path)).length} fixed`);
  }
  return parts.join(' \u00b7 ');
}

function leafParts(label: string, leaf: LeafSummary, context: LeafContext, isRoot: boolean): HTMLElement[] {
  const { snapshot, isParams } = context;
  const fixed = isParams && context.fixed.has(leaf.path);
  const grad = isParams ? context.grads.get(leaf.path) : undefined;
  const history = isParams ? snapshot.normHistory[leaf.path] : undefined;
  const badges = countBadges(leaf).map((b) => h('span', { class: `badge count ${b.kind}`, title: b.title }, b.text));
  const summary = formatSummaryLine(leaf);
  return [
    h('span', { class: isRoot ? 'node-label root-label' : 'node-label' },
      h('span', { class: 'key' }, label),
      h('span', { class: 'type' }, formatArrayType(leaf.dtype, leaf.shape))),
    h('span', { slot: 'description', class: 'node-description' },
      // A narrow panel cuts the summary short (with an ellipsis); the tooltip keeps all of it.
      h('span', { class: 'stats', title: summary }, summary),
      ...badges,
      fixed && h('span', { class: 'badge fixed', title: 'Frozen: the optimiser leaves this parameter unchanged' }, 'fixed')),
    h('span', { slot: 'decoration', class: 'node-decoration' },
      grad && h('span', { class: 'grad-norm', title: `L2 norm of the gradient of ${leaf.path}` }, `\u2207 ${formatStat(grad.norm)}`),
      history && history.length > 0
        ? sparkline(history, snapshot.step)
        // An empty column of the sparkline's width keeps the grad norms of all params in line.
        : isParams && h('span', { class: 'sparkline-slot', 'aria-hidden': 'true' })),
  ];
}

function copyButton(path: string, actions: TreeActions): HTMLElement {
  const button = h('vscode-toolbar-button', { slot: 'actions', class: 'copy-path', label: `Copy key path ${path}`, title: `Copy key path ${path}` }, 'Copy path');
  button.addEventListener('click', (event) => {
    // The row would otherwise take the click too, and select or fold the node.
    event.stopPropagation();
    actions.copyPath(path);
  });
  return button;
}
