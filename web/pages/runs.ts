import type { Page } from '../app.js';
import { store, type RunSummary } from '../api.js';
import { fill, h, link, pct, when } from '../dom.js';

export function describe(config: Record<string, unknown> | null): string {
  if (!config) return '–';
  const hidden = Array.isArray(config['hidden'])
    ? (config['hidden'] as number[]).join('-') || 'no hidden'
    : '';
  return [config['model'], hidden, config['optimizer'], config['dataset']]
    .filter((x) => x !== undefined && x !== '')
    .join(' · ');
}

export function stateBadge(r: Pick<RunSummary, 'state' | 'reason'>): HTMLElement {
  return h('span', { class: `badge ${r.state}`, title: r.reason ?? '' }, r.state);
}

/** Every run and sweep under --dir; new ones appear as they are written. */
export const runsPage: Page = (main) => {
  const selected = new Set<string>();
  const runsBox = h('div');
  const sweepsBox = h('div');
  const compare = h('a', { class: 'button', href: '#/compare' }, 'Overlay the selected runs');
  const updateCompare = (): void => {
    compare.setAttribute('href', link('compare', { ids: [...selected].join(',') }));
    compare.classList.toggle('disabled', selected.size < 1);
  };
  fill(
    main,
    h('h1', null, 'Runs'),
    h('p', { class: 'hint' }, 'Tick runs to overlay their curves. ', compare),
    runsBox,
    h('h1', null, 'Sweeps'),
    sweepsBox,
  );
  const render = (): void => {
    const runs = [...store.runs].sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    if (runs.length === 0) {
      fill(
        runsBox,
        h(
          'p',
          { class: 'empty' },
          'No runs yet. Start one on the ',
          h('a', { href: '#/start' }, 'Train'),
          ' page, or run `npx mnist-lab train` in this folder.',
        ),
      );
    } else {
      fill(
        runsBox,
        h(
          'table',
          { class: 'runs' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['', 'run', 'state', 'model', 'epochs', 'test accuracy', 'started'].map((c) =>
                h('th', null, c),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            runs.map((r) => {
              const box = h('input', { type: 'checkbox', 'aria-label': `select ${r.id}` });
              box.checked = selected.has(r.id);
              box.addEventListener('change', () => {
                if (box.checked) selected.add(r.id);
                else selected.delete(r.id);
                updateCompare();
              });
              return h(
                'tr',
                { 'data-run': r.id },
                h('td', null, box),
                h('td', null, h('a', { href: link('run', { id: r.id }) }, r.id)),
                h('td', null, stateBadge(r)),
                h('td', null, describe(r.config)),
                h(
                  'td',
                  { class: 'num' },
                  `${r.epochsDone}${r.epochs !== null ? ` / ${r.epochs}` : ''}`,
                ),
                h('td', { class: 'num' }, pct(r.testAccuracy)),
                h('td', null, when(r.startedAt)),
              );
            }),
          ),
        ),
      );
    }
    const sweeps = [...store.sweeps].sort((a, b) => b.updatedAt - a.updatedAt);
    fill(
      sweepsBox,
      sweeps.length === 0
        ? h(
            'p',
            { class: 'empty' },
            'No sweeps yet (`npx mnist-lab sweep hidden-size`, or the Train page).',
          )
        : h(
            'table',
            null,
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['sweep', 'name', 'runs finished', 'updated'].map((c) => h('th', null, c)),
              ),
            ),
            h(
              'tbody',
              null,
              sweeps.map((s) =>
                h(
                  'tr',
                  null,
                  h('td', null, h('a', { href: link('sweep', { id: s.id }) }, s.id)),
                  h('td', null, s.name),
                  h('td', { class: 'num' }, `${s.finished} / ${s.runs}`),
                  h('td', null, when(s.updatedAt)),
                ),
              ),
            ),
          ),
    );
    updateCompare();
  };
  render();
  return store.on((what) => {
    if (what === 'runs' || what === 'sweeps') render();
  });
};
