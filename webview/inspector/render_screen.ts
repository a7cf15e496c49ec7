// The inspector's page: the toolbar (run, step selector), the trees, and the selected leaf's
// detail; or, before any run, what to do to see something.

import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';

import type { InspectorSnapshot, StepChoice } from '../protocol/inspector.js';
import { h } from './dom.js';

export function renderEmpty(): HTMLElement {
  return h('main', { class: 'empty' },
    h('h1', {}, 'Pytree inspector'),
    h('p', {}, 'No training run is being watched.'),
    h('p', {}, 'Run a training script with ', h('strong', {}, 'Tracelens: Run & watch'),
      ': its params, their gradients and the optimiser state appear here at every recorded step, each leaf with its type, ',
      'mean \u00b1 std, range, NaN/inf/zero counts, histogram and, for matrices, a heatmap.'));
}

/** The steps a user can pick, 'latest' first, then the most recent first. */
export function stepOptions(snapshot: InspectorSnapshot): { value: string; label: string }[] {
  const steps = [...new Set(snapshot.availableSteps)].sort((a, b) => b - a);
  const latest = Math.max(snapshot.step, ...steps);
  return [{ value: 'latest', label: `latest (step ${latest})` }, ...steps.map((s) => ({ value: String(s), label: `step ${s}` }))];
}

export function renderToolbar(snapshot: InspectorSnapshot, choice: StepChoice, selectStep: (step: StepChoice) => void): HTMLElement {
  const select = h('vscode-single-select', { class: 'step-select', 'aria-label': 'Step' }) as HTMLElement & { value: string };
  for (const option of stepOptions(snapshot)) {
    const selected = option.value === String(choice);
    select.append(h('vscode-option', { value: option.value, ...(selected ? { selected: '' } : {}) }, option.label));
  }
  select.addEventListener('change', () => {
    const value = select.value;
    selectStep(value === 'latest' ? 'latest' : Number(value));
  });
  return h('header', { class: 'toolbar' },
    h('h1', {}, 'Pytree inspector'),
    h('span', { class: 'run', title: 'Training run' }, snapshot.run),
    h('span', { class: 'spacer' }),
    h('label', { class: 'step-label' }, 'Step'),
    select,
    h('span', { class: 'shown-step', role: 'status' }, `showing step ${snapshot.step}`));
}
