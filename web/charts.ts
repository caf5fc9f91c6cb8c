import embed, { type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';

const views = new WeakMap<HTMLElement, { key: string; result: Promise<Result> }>();

/**
 * Draws a Vega-Lite spec into `el` with vega-embed, unless the same spec is already there (live
 * pages call this on every update).
 */
export function chart(el: HTMLElement, spec: TopLevelSpec): Promise<Result> {
  const key = JSON.stringify(spec);
  const old = views.get(el);
  if (old?.key === key) return old.result;
  const result = embed(el, spec, { actions: false, renderer: 'svg' });
  views.set(el, { key, result });
  void old?.result.then((r) => r.finalize());
  return result;
}

/** Per-batch training loss against the step, for runs in progress. */
export function batchLossSpec(
  points: { step: number; loss: number }[],
  steps: number,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Training loss per batch (running mean over the epoch)', fontSize: 13 },
    width: 480,
    height: 200,
    data: { values: points.map((p) => ({ ...p, epoch: p.step / steps })) },
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
