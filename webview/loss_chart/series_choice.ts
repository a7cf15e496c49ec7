// Which series the chart draws: one at a time, for every run, as TensorBoard gives each scalar tag
// its own card. Drawing 'loss', 'grad norm' and 'learning rate' on one linear axis hides the small
// ones and squashes the loss under the large ones.

/** The series to chart: 'loss' is what a user watches a training run for. */
const preferredSeries = 'loss';

/**
 * The series shown, given every name logged so far (in arrival order) and the user's choice: the
 * choice while some run has logged it, else 'loss' when present, else the first name to arrive.
 * A choice no run has logged (yet) is kept in the settings, so it applies again once it arrives.
 */
export function shownSeries(names: readonly string[], chosen: string | null): string | null {
  if (chosen !== null && names.includes(chosen)) return chosen;
  if (names.includes(preferredSeries)) return preferredSeries;
  return names[0] ?? null;
}
