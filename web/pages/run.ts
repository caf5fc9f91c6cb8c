import type { Page } from '../app.js';
import { api, store, type RunSummary } from '../api.js';
import { foldProgress } from '../../src/experiments/progress.js';
import { runCurvesSpec } from '../../src/reports/chart-specs.js';
import { chart } from '../charts.js';
import { fill, h, link, num, pct, when } from '../dom.js';
import { LiveView } from '../live.js';
import { stateBadge } from './runs.js';

interface RunDetail extends RunSummary {
  history: { history?: Record<string, number[]>; epochSeconds?: number[] } | null;
  metrics: {
    test?: { loss: number; accuracy: number };
    trainSeconds?: number;
    error?: string;
    stoppedEpoch?: number | null;
  } | null;
  evaluation: Record<string, unknown> | null;
  files: string[];
}

const fileUrl = (id: string, f: string): string =>
  `/files/${id.split('/').map(encodeURIComponent).join('/')}/${f}`;

/** One run: settings, live progress and stop button while it trains, curves, figures, model. */
export const runPage: Page = (main, params) => {
  const id = params['id'] ?? '';
  const head = h('div', { class: 'run-head' });
  const live = new LiveView(id, false);
  const liveBox = h('div');
  const curves = h('div', { class: 'chart' });
  const results = h('div');
  const settings = h('div');
  const figures = h('div', { class: 'figures' });
  const model = h('div', { class: 'figures' });
  fill(
    main,
    h('h1', null, 'Run ', h('code', null, id)),
    head,
    liveBox,
    h(
      'div',
      { class: 'cols' },
      h('div', null, h('h2', null, 'Results'), results),
      h('div', null, h('h2', null, 'Settings'), settings),
    ),
    h('h2', null, 'Curves'),
    curves,
    figures,
    model,
  );

  let detail: RunDetail | null = null;
  // One request at a time; a change seen meanwhile asks for one more when it returns.
  let loading: Promise<void> | null = null;
  let again = false;
  const load = async (): Promise<void> => {
    if (loading) {
      again = true;
      return;
    }
    loading = (async () => {
      try {
        detail = await api<RunDetail>(`/api/run?id=${encodeURIComponent(id)}`);
        render();
      } catch (e) {
        fill(head, h('p', { class: 'error' }, (e as Error).message));
      }
    })();
    await loading;
    loading = null;
    if (again) {
      again = false;
      await load();
    }
  };

  const render = (): void => {
    if (!detail) return;
    const d = detail;
    const job = store.jobs.find(
      (j) =>
        j.kind === 'train' && j.folder === id && (j.state === 'running' || j.state === 'stopping'),
    );
    const stop = job
      ? h(
          'button',
          {
            class: 'stop',
            disabled: job.state === 'stopping',
            onclick: () => {
              void api('/api/jobs/train/stop', { method: 'POST', body: '{}' }).catch((e: Error) =>
                alert(e.message),
              );
            },
          },
          job.state === 'stopping' ? 'Stopping…' : 'Stop training',
        )
      : null;
    fill(
      head,
      stateBadge(d),
      d.reason ? h('span', { class: 'reason' }, ` ${d.reason}`) : null,
      ` started ${when(d.startedAt)} `,
      stop,
      d.hasModel
        ? h('a', { class: 'button', href: link('draw', { id }) }, 'Draw a digit for this model')
        : null,
    );
    const events = store.progressOf(id);
    const state = events ? foldProgress(events) : null;
    if (d.state === 'running' || (state && !state.ended)) {
      liveBox.replaceChildren(live.el);
      live.update(state);
    } else if (state && state.batches.length > 1) {
      liveBox.replaceChildren(live.el);
      live.update(state);
    } else liveBox.replaceChildren();

    const history = d.history?.history ?? state?.history ?? {};
    if (Object.keys(history).length > 0 && (history['loss']?.length ?? 0) > 0) {
      void chart(curves, runCurvesSpec({ label: id.split('/').pop()!, group: id, history }));
    } else fill(curves, h('p', { class: 'empty' }, 'No finished epoch yet.'));

    const m = d.metrics;
    fill(
      results,
      h(
        'table',
        { class: 'kv' },
        h(
          'tr',
          null,
          h('th', null, 'test accuracy'),
          h('td', { class: 'num test-accuracy' }, pct(m?.test?.accuracy)),
        ),
        h('tr', null, h('th', null, 'test loss'), h('td', { class: 'num' }, num(m?.test?.loss))),
        h(
          'tr',
          null,
          h('th', null, 'epochs'),
          h('td', { class: 'num' }, `${d.epochsDone}${d.epochs !== null ? ` / ${d.epochs}` : ''}`),
        ),
        h(
          'tr',
          null,
          h('th', null, 'training time'),
          h(
            'td',
            { class: 'num' },
            m?.trainSeconds !== undefined ? `${m.trainSeconds.toFixed(1)} s` : '–',
          ),
        ),
        m?.stoppedEpoch
          ? h(
              'tr',
              null,
              h('th', null, 'early stopping'),
              h('td', null, `after epoch ${m.stoppedEpoch}`),
            )
          : null,
        m?.error
          ? h('tr', null, h('th', null, 'error'), h('td', { class: 'error' }, m.error))
          : null,
      ),
    );
    fill(
      settings,
      h(
        'table',
        { class: 'kv' },
        Object.entries(d.config ?? {}).map(([k, v]) =>
          h(
            'tr',
            null,
            h('th', null, k),
            h('td', null, Array.isArray(v) ? v.join(', ') || 'none' : String(v)),
          ),
        ),
      ),
    );
    const figs: [string, string][] = [
      ['confusion-matrix', 'Confusion matrix'],
      ['misclassified', 'Misclassified test images'],
    ];
    fill(
      figures,
      figs
        .filter(([f]) => d.files.includes(`${f}.svg`) || d.files.includes(`${f}.png`))
        .map(([f, title]) =>
          h(
            'figure',
            null,
            h('img', {
              src: fileUrl(id, d.files.includes(`${f}.svg`) ? `${f}.svg` : `${f}.png`),
              alt: title,
            }),
            h('figcaption', null, title),
          ),
        ),
      d.files.includes('report.md')
        ? h('p', null, h('a', { href: fileUrl(id, 'report.md') }, 'report.md'))
        : null,
    );
    if (d.hasModel && !model.querySelector('img')) {
      fill(
        model,
        h(
          'figure',
          null,
          h('img', {
            class: 'diagram',
            src: `/api/model-diagram?id=${encodeURIComponent(id)}`,
            alt: 'model diagram',
          }),
          h('figcaption', null, 'The model (as plot-model draws it)'),
        ),
      );
    }
  };

  void store.loadProgress(id).catch(() => {});
  void load();
  let lastState = '';
  return store.on((what, which) => {
    if (what === 'progress' && which === id) render();
    if (what === 'jobs') render();
    if (what === 'runs') {
      const r = store.runs.find((x) => x.id === id);
      const sig = r ? `${r.state}/${r.epochsDone}/${r.updatedAt}/${r.hasModel}` : '';
      if (sig !== lastState) {
        lastState = sig;
        void load();
      }
    }
  });
};
