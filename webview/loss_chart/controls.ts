// The toolbar above the chart: the series shown, smoothing, x axis, log y, Fit and Export CSV.
// @vscode-elements has no slider, so smoothing is a native range input styled from the theme,
// paired with its value.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';

import { maxSmoothing, type ChartSettings, type XAxisMode } from '../protocol/loss_chart.js';

export interface ControlActions {
  series(name: string): void;
  smoothing(weight: number): void;
  xAxis(mode: XAxisMode): void;
  logY(on: boolean): void;
  fit(): void;
  exportCsv(): void;
}

interface Checkable extends HTMLElement {
  checked: boolean;
  value: string;
  disabled: boolean;
}

function el<T extends HTMLElement = HTMLElement>(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): T {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node as T;
}

interface Select extends HTMLElement {
  value: string;
  disabled: boolean;
}

export class Controls {
  readonly element: HTMLElement;
  private readonly seriesSelect: Select;
  /** The names the selector's options were built from, to rebuild them only when they change. */
  private seriesOptions = '';
  private readonly slider: HTMLInputElement;
  private readonly sliderValue: HTMLOutputElement;
  private readonly radios: Checkable[];
  private readonly logCheckbox: Checkable;
  private readonly fitButton: Checkable;
  private readonly exportButton: Checkable;

  constructor(actions: ControlActions) {
    this.seriesSelect = el<Select>('vscode-single-select', { class: 'series-select', id: 'series', 'aria-label': 'Series' });
    this.seriesSelect.addEventListener('change', () => {
      if (this.seriesSelect.value) actions.series(this.seriesSelect.value);
    });

    this.slider = el<HTMLInputElement>('input', {
      type: 'range', class: 'smoothing', id: 'smoothing', min: '0', max: String(maxSmoothing), step: '0.001',
      'aria-label': 'Smoothing',
    });
    this.sliderValue = el<HTMLOutputElement>('output', { class: 'smoothing-value', for: 'smoothing' });
    this.slider.addEventListener('input', () => {
      const weight = Math.min(maxSmoothing, Math.max(0, Number(this.slider.value)));
      this.sliderValue.textContent = weight.toFixed(3);
      actions.smoothing(weight);
    });

    this.radios = (['step', 'relative'] as const).map((mode) => {
      const radio = el<Checkable>('vscode-radio', { name: 'x-axis', value: mode, class: `x-${mode}` },
        mode === 'step' ? 'Step' : 'Relative time');
      radio.addEventListener('change', () => {
        if (radio.checked) actions.xAxis(mode);
      });
      return radio;
    });
    this.logCheckbox = el<Checkable>('vscode-checkbox', { class: 'log-y' }, 'Log scale');
    this.logCheckbox.addEventListener('change', () => actions.logY(this.logCheckbox.checked));
    this.fitButton = el<Checkable>('vscode-button', { class: 'fit', secondary: '', title: 'Fit the axes to the data and follow it as it streams' }, 'Fit');
    this.fitButton.addEventListener('click', () => {
      if (!this.fitButton.disabled) actions.fit();
    });
    this.exportButton = el<Checkable>('vscode-button', { class: 'export', secondary: '', title: 'Save every point as CSV' }, 'Export CSV');
    this.exportButton.addEventListener('click', () => {
      if (!this.exportButton.disabled) actions.exportCsv();
    });

    // Each control stays with its label when a narrow panel wraps the toolbar.
    const group = (...children: (Node | string)[]) => el('span', { class: 'control-group' }, ...children);
    this.element = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart settings' },
      group(el('label', { class: 'control', for: 'series' }, 'Series'), this.seriesSelect),
      group(el('label', { class: 'control', for: 'smoothing' }, 'Smoothing'), this.slider, this.sliderValue),
      group(el('span', { class: 'control-label' }, 'X axis'),
        el('vscode-radio-group', { class: 'x-axis-mode', 'aria-label': 'X axis' }, ...this.radios)),
      this.logCheckbox,
      el('span', { class: 'spacer' }),
      group(this.fitButton, this.exportButton));
  }

  /** `names`: every series logged, in arrival order; `shown`: the one the chart draws. */
  update(settings: ChartSettings, hasData: boolean, names: readonly string[], shown: string | null): void {
    this.updateSeries(names, shown);
    // Writing the slider only when it differs keeps a drag from being fought by its own echo.
    if (Number(this.slider.value) !== settings.smoothing) this.slider.value = String(settings.smoothing);
    this.sliderValue.textContent = settings.smoothing.toFixed(3);
    for (const radio of this.radios) radio.checked = radio.value === settings.xAxis;
    this.logCheckbox.checked = settings.logY;
    this.fitButton.disabled = settings.xDomain === null;
    this.exportButton.disabled = !hasData;
  }

  private updateSeries(names: readonly string[], shown: string | null): void {
    const key = JSON.stringify(names);
    if (key !== this.seriesOptions) {
      this.seriesOptions = key;
      this.seriesSelect.replaceChildren(...names.map((name) =>
        el('vscode-option', { value: name, ...(name === shown ? { selected: '' } : {}) }, name)));
    } else if (shown !== null && this.seriesSelect.value !== shown) {
      // The shown series changed without the user, e.g. 'loss' arrived after another series.
      this.seriesSelect.value = shown;
    }
    this.seriesSelect.disabled = names.length === 0;
  }
}
