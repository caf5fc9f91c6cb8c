import type { Page } from '../app.js';
import { api } from '../api.js';
import { overlaySpec, type RunCurves } from '../../src/reports/chart-specs.js';
import { chart } from '../charts.js';
import { fill, h, link } from '../dom.js';

/** Several runs' curves overlaid, one figure per metric (the sweep report's overlays). */
export const comparePage: Page = (main, params) => {
  const ids = (params['ids'] ?? '').split(',').filter((s) => s !== '');
  const box = h('div', { class: 'figures' });
  fill(
    main,
    h('h1', null, `Compare ${ids.length} run${ids.length === 1 ? '' : 's'}`),
    h(
      'ul',
      null,
      ids.map((id) => h('li', null, h('a', { href: link('run', { id }) }, id))),
    ),
    box,
  );
  void (async () => {
    const runs: RunCurves[] = [];
    for (const id of ids) {
      try {
        const d = await api<{ history: { history?: Record<string, number[]> } | null }>(
          `/api/run?id=${encodeURIComponent(id)}`,
        );
        const history = d.history?.history;
        if (history)
          runs.push({ label: id.split('/').pop()!, group: id.split('/').pop()!, history });
      } catch (e) {
        box.append(h('p', { class: 'error' }, `${id}: ${(e as Error).message}`));
      }
    }
    if (runs.length === 0) {
      box.append(h('p', { class: 'empty' }, 'None of these runs has finished an epoch.'));
      return;
    }
    for (const metric of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      if (!runs.some((r) => r.history[metric])) continue;
      const el = h('div', { class: 'chart' });
      box.append(el);
      void chart(el, overlaySpec(runs, metric, { width: 420, height: 260 }));
    }
  })();
  return () => {};
};
