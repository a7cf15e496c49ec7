// What the loss chart has not been sent yet. The feed remembers how far each run's series and
// markers were sent; `take` posts the rest, gathered into few messages (a run logging thousands of
// values a second costs the view a handful of posts). A view whose page restarts after being
// hidden restored everything sent before from its own saved state, so it goes on from there; a
// view that is created anew has what its saved state holds, if anything (`restart`). Pure, for the
// Node tests.
import type { HostToWebview as ChartMessage, LossChartState, RunInfo, ScalarPoint } from '../../webview/protocol/loss_chart.js';
import type { WatchModel } from './watch_model.js';

/** Points per 'append' message: a view that starts late is sent a long run in parts. */
export const APPEND_CHUNK = 10_000;

interface Sent {
  /** Points sent, by series. */
  points: Map<string, number>;
  markers: number;
}

export class ChartFeed {
  private sent = new Map<string, Sent>();
  private runsSent = '';

  constructor(private readonly model: WatchModel) {}

  /**
   * The view was created anew, with the state its page saved (its page restores it) or none: it is
   * sent what that state lacks.
   */
  restart(saved: LossChartState | undefined): void {
    this.sent = new Map();
    this.runsSent = '';
    if (!saved) return;
    for (const run of this.model.runs) {
      const sent = this.sentOf(run.id);
      for (const series of saved.series) {
        if (series.run === run.id) sent.points.set(series.series, Math.min(series.steps.length, run.seriesLength(series.series)));
      }
      sent.markers = Math.min(saved.markers.filter((m) => m.run === run.id).length, run.markers.length);
    }
  }

  /** The messages that bring the view up to date: the runs (so points have their run), the points, the markers. */
  take(): ChartMessage[] {
    const messages: ChartMessage[] = [];
    const runs: RunInfo[] = this.model.runs.map((r) => r.info);
    const runsKey = JSON.stringify(runs);
    // Sent even when empty, on every restart: it tells a view restored after a window reload that
    // the runs it kept are over (the view keeps them, marked stopped).
    if (runsKey !== this.runsSent) {
      messages.push({ type: 'runs', runs });
      this.runsSent = runsKey;
    }
    let points: ScalarPoint[] = [];
    for (const run of this.model.runs) {
      const sent = this.sentOf(run.id);
      for (const series of run.seriesNames()) {
        const from = sent.points.get(series) ?? 0;
        const length = run.seriesLength(series);
        if (length === from) continue;
        for (const point of run.chartPoints(series, from)) {
          points.push(point);
          if (points.length === APPEND_CHUNK) {
            messages.push({ type: 'append', points });
            points = [];
          }
        }
        sent.points.set(series, length);
      }
    }
    if (points.length > 0) messages.push({ type: 'append', points });
    for (const run of this.model.runs) {
      const sent = this.sentOf(run.id);
      for (const m of run.markers.slice(sent.markers)) messages.push({ type: 'marker', run: run.id, step: m.step, label: m.label });
      sent.markers = run.markers.length;
    }
    return messages;
  }

  private sentOf(run: string): Sent {
    let sent = this.sent.get(run);
    if (!sent) this.sent.set(run, (sent = { points: new Map(), markers: 0 }));
    return sent;
  }
}
