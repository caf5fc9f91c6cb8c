import type { ProgressState } from '../src/experiments/progress.js';
import { runCurvesSpec } from '../src/reports/chart-specs.js';
import { batchLossSpec, batchPoints, chart, streamChart } from './charts.js';
import { duration, fill, h, num, pct } from './dom.js';

/** The live part of a training view: progress bar, time left, batch loss and epoch curves. */
export class LiveView {
  readonly el = h('section', { class: 'live-view' });
  private readonly bar = h('progress', { max: 1, value: 0 });
  private readonly text = h('div', { class: 'progress-text' });
  private readonly logs = h('div', { class: 'epoch-logs' });
  private readonly batches = h('div', { class: 'chart batch-chart' });
  private readonly curves = h('div', { class: 'chart curves-chart' });

  /** `curves`: also draw the epoch curves (a page that draws them elsewhere passes false). */
  constructor(
    private readonly label: string,
    private readonly curves_ = true,
  ) {
    fill(
      this.el,
      h('div', { class: 'progress' }, this.bar, this.text),
      this.logs,
      this.batches,
      this.curves,
    );
  }

  update(s: ProgressState | null, finishedNote = ''): void {
    if (!s) {
      fill(this.text, 'Waiting for the first batch (loading data, building the model)…');
      return;
    }
    this.bar.value = s.done;
    const epochNow = Math.min(s.epochs, s.epoch + 1);
    fill(
      this.text,
      h('strong', null, `${(100 * s.done).toFixed(1)}%`),
      ` · epoch ${epochNow} / ${s.epochs}`,
      s.ended ? '' : ` · batch ${Math.max(0, s.batch + 1)} / ${s.steps}`,
      s.ended ? ` · done${finishedNote}` : ` · ${duration(s.secondsLeft)} left`,
    );
    const keys = Object.keys(s.history);
    const epochs = s.history['loss']?.length ?? 0;
    fill(
      this.logs,
      epochs === 0
        ? null
        : h(
            'table',
            { class: 'epochs' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', null, 'epoch'),
                keys.map((k) => h('th', null, k)),
              ),
            ),
            h(
              'tbody',
              null,
              Array.from({ length: epochs }, (_, i) =>
                h(
                  'tr',
                  { class: 'epoch-row' },
                  h('td', { class: 'num' }, i + 1),
                  keys.map((k) => {
                    const v = s.history[k]![i];
                    return h('td', { class: 'num' }, /acc/.test(k) ? pct(v) : num(v));
                  }),
                ),
              ),
            ),
          ),
    );
    if (s.batches.length > 1) {
      void streamChart(this.batches, batchLossSpec(), 'batches', batchPoints(s.batches, s.steps));
    }
    if (epochs > 0 && this.curves_) {
      void chart(
        this.curves,
        runCurvesSpec(
          { label: this.label, group: this.label, history: s.history },
          { width: 300, height: 200 },
        ),
      );
    }
  }
}
