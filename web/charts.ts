import embed, { type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../src/reports/chart-specs.js';

const views = new WeakMap<HTMLElement, { key: string; result: Promise<Result> }>();

/**
 * Draws a Vega-Lite spec into `el` with vega-embed, unless the same spec is already there (live
 * pages call this on every update).
 */
export function chart(el: HTMLElement, spec: ChartSpec | TopLevelSpec): Promise<Result> {
  const key = JSON.stringify(spec);
  const old = views.get(el);
  if (old?.key === key) return old.result;
  const result = embed(el, spec as TopLevelSpec, { actions: false, renderer: 'svg' });
  views.set(el, { key, result });
  void old?.result.then((r) => r.finalize());
  return result;
}

const streams = new WeakMap<HTMLElement, { key: string; result: Promise<Result> }>();

/**
 * A chart whose data (the named data set `name`) changes often: embedded once, then only its
 * values are swapped, which costs the page far less than drawing it anew.
 */
export async function streamChart(
  el: HTMLElement,
  spec: TopLevelSpec,
  name: string,
  values: object[],
): Promise<void> {
  const key = JSON.stringify(spec);
  let s = streams.get(el);
  if (!s || s.key !== key) {
    void s?.result.then((r) => r.finalize());
    s = {
      key,
      result: embed(el, { ...spec, data: { name, values } } as TopLevelSpec, {
        actions: false,
        renderer: 'svg',
      }),
    };
    streams.set(el, s);
    return void (await s.result);
  }
  const { view } = await s.result;
  await view.data(name, values).runAsync();
}

/** Per-batch training loss against the epoch, for runs in progress (data: `batchPoints`). */
export function batchLossSpec(): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Training loss per batch (running mean over the epoch)', fontSize: 13 },
    width: 480,
    height: 200,
    data: { name: 'batches' },
    mark: { type: 'line', strokeWidth: 1.5, color: '#4c78a8' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', title: null, scale: { zero: false } },
      tooltip: [
        { field: 'step', type: 'quantitative', title: 'batch' },
        { field: 'loss', type: 'quantitative', format: '.4~g' },
      ],
    },
  };
}

/** The 'batches' values of batchLossSpec: each reported batch at its fractional epoch. */
export function batchPoints(
  points: { step: number; loss: number }[],
  steps: number,
): { step: number; loss: number; epoch: number }[] {
  return points.map((p) => ({ ...p, epoch: p.step / steps }));
}
