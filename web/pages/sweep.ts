import type { Page } from '../app.js';
import { api, store } from '../api.js';
import { fill, h, link, num, pct } from '../dom.js';

interface Record_ {
  id: string;
  setting: Record<string, string>;
  seed: number;
  status: string;
  testLoss: number | null;
  testAccuracy: number | null;
  bestValAccuracy: number | null;
  bestValEpoch: number | null;
  epochsRun: number;
  stoppedEarly: boolean;
  trainSeconds: number;
}

interface SweepDetail {
  id: string;
  plan: { name?: string; runs?: { id: string }[] } | null;
  results: { axes?: string[]; planned?: number; runs?: Record_[] } | null;
  figures: string[];
}

type Column = {
  title: string;
  value: (r: Record_) => string | number | null;
  show: (r: Record_) => string;
};

/** A sweep: its results table, sortable by any column, each row linked to its run; its figures. */
export const sweepPage: Page = (main, params) => {
  const id = params['id'] ?? '';
  const table = h('div');
  const figures = h('div', { class: 'figures' });
  const overlay = h('a', { class: 'button' }, 'Overlay all its runs');
  fill(
    main,
    h('h1', null, 'Sweep ', h('code', null, id)),
    h('p', null, overlay, ' ', h('a', { href: `/files/${id}/report.md` }, 'report.md')),
    table,
    figures,
  );
  let detail: SweepDetail | null = null;
  let sortBy = -1;
  let descending = false;

  const render = (): void => {
    if (!detail) return;
    const runs = detail.results?.runs ?? [];
    const axes = detail.results?.axes ?? Object.keys(runs[0]?.setting ?? {});
    const cols: Column[] = [
      ...axes.map((a): Column => ({
        title: a,
        value: (r) => {
          const v = r.setting[a] ?? '';
          const n = Number(v);
          return Number.isFinite(n) && v !== '' ? n : v;
        },
        show: (r) => r.setting[a] ?? '',
      })),
      { title: 'seed', value: (r) => r.seed, show: (r) => String(r.seed) },
      { title: 'test accuracy', value: (r) => r.testAccuracy, show: (r) => pct(r.testAccuracy) },
      { title: 'test loss', value: (r) => r.testLoss, show: (r) => num(r.testLoss) },
      {
        title: 'best val accuracy',
        value: (r) => r.bestValAccuracy,
        show: (r) =>
          r.bestValAccuracy === null ? '–' : `${pct(r.bestValAccuracy)} @ ${r.bestValEpoch}`,
      },
      {
        title: 'epochs',
        value: (r) => r.epochsRun,
        show: (r) => `${r.epochsRun}${r.stoppedEarly ? ' (early stop)' : ''}`,
      },
      { title: 'time (s)', value: (r) => r.trainSeconds, show: (r) => r.trainSeconds.toFixed(1) },
      { title: 'status', value: (r) => r.status, show: (r) => r.status },
    ];
    const sorted = [...runs];
    if (sortBy >= 0) {
      const c = cols[sortBy]!;
      sorted.sort((a, b) => {
        const x = c.value(a);
        const y = c.value(b);
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        const cmp =
          typeof x === 'number' && typeof y === 'number'
            ? x - y
            : String(x).localeCompare(String(y));
        return descending ? -cmp : cmp;
      });
    }
    overlay.setAttribute(
      'href',
      link('compare', { ids: runs.map((r) => `${id}/runs/${r.id}`).join(',') }),
    );
    fill(
      table,
      h(
        'p',
        null,
        `${runs.length} of ${detail.results?.planned ?? detail.plan?.runs?.length ?? '?'} runs finished.`,
      ),
      h(
        'table',
        { class: 'sweep sortable' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, 'run'),
            cols.map((c, i) =>
              h(
                'th',
                {
                  class: 'sort',
                  title: 'sort',
                  onclick: () => {
                    descending = sortBy === i ? !descending : false;
                    sortBy = i;
                    render();
                  },
                },
                c.title,
                sortBy === i ? (descending ? ' ▼' : ' ▲') : '',
              ),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          sorted.map((r) =>
            h(
              'tr',
              null,
              h('td', null, h('a', { href: link('run', { id: `${id}/runs/${r.id}` }) }, r.id)),
              cols.map((c) => h('td', { class: 'num' }, c.show(r))),
            ),
          ),
        ),
      ),
    );
    fill(
      figures,
      detail.figures.map((f) => h('figure', null, h('img', { src: `/files/${f}`, alt: f }))),
    );
  };
  const load = async (): Promise<void> => {
    try {
      detail = await api<SweepDetail>(`/api/sweep?id=${encodeURIComponent(id)}`);
      render();
    } catch (e) {
      fill(table, h('p', { class: 'error' }, (e as Error).message));
    }
  };
  void load();
  let sig = '';
  return store.on((what) => {
    if (what !== 'sweeps') return;
    const s = store.sweeps.find((x) => x.id === id);
    const now = s ? `${s.finished}/${s.updatedAt}` : '';
    if (now !== sig) {
      sig = now;
      void load();
    }
  });
};
