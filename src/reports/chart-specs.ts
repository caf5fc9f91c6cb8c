import type { TopLevelSpec } from 'vega-lite';

/**
 * Vega-Lite specs for training curves: plain JSON, so the browser page can hand them to vega-embed
 * and the CLI can render them to SVG / PNG through the same description.
 *
 * Run labels and group names only ever appear as data values, never as field names: a Vega-Lite
 * field name with '.' or '[' is a nested-field path, which a label like 'lr=1.5e-3' would break.
 */

/**
 * A Vega-Lite spec, as JSON (cast to vega-lite's `TopLevelSpec` to read its fields). Typed
 * loosely on purpose: the package carries Vega-Lite bundled, so its types are not installed.
 */
export interface ChartSpec {
  $schema?: string;
  [key: string]: unknown;
}

/** A spec checked against Vega-Lite's types here, handed out as JSON. */
export function asJson(spec: TopLevelSpec): ChartSpec {
  return spec as unknown as ChartSpec;
}

export interface RunCurves {
  /** Run label, e.g. 'hidden=256 seed=42'. Unique per run. */
  label: string;
  /** The setting the run belongs to, e.g. 'hidden=256' (repeats of one setting share it). */
  group: string;
  history: Record<string, number[]>;
}

export interface RunCurvesOptions {
  /** Figure title (default the run label). */
  title?: string;
  /** Width of each panel in pixels (default 320). */
  width?: number;
  /** Height of each panel in pixels (default 240). */
  height?: number;
}

export interface OverlayOptions {
  /** Figure title (default `metricTitle(metric)`). */
  title?: string;
  /** Legend title, e.g. 'hidden'; entries then drop a shared 'hidden=' prefix. */
  groupTitle?: string;
  /** Plot width in pixels (default 480). */
  width?: number;
  /** Plot height in pixels (default 300). */
  height?: number;
}

/** Train and validation keep these colours in every figure (Tableau 10's first two). */
export const seriesColors = { train: '#4c78a8', validation: '#f58518' } as const;

/** Validation dashed, so the two lines stay apart in greyscale prints too. */
const SERIES_DASHES = { train: [1, 0], validation: [6, 3] };

/** A panel of an hconcat figure. */
type Panel = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

/** Up to this many epochs, lines also mark each epoch with a point. */
const POINTS_UP_TO_EPOCHS = 20;

const WORDS: Record<string, string> = {
  acc: 'accuracy',
  lr: 'learning rate',
  mse: 'MSE',
  mae: 'MAE',
  mape: 'MAPE',
  auc: 'AUC',
};

function words(base: string): string {
  return base
    .split('_')
    .filter((w) => w !== '')
    .map((w) => WORDS[w] ?? w)
    .join(' ');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Human title for a history key: 'val_accuracy' -> 'Validation accuracy', 'loss' -> 'Training loss'. */
export function metricTitle(key: string): string {
  if (key.startsWith('val_')) return `Validation ${words(key.slice(4))}`;
  // Schedules are not measured on the training data.
  if (key === 'lr' || key === 'learning_rate') return 'Learning rate';
  return `Training ${words(key)}`;
}

/** Accuracy-like values in [0, 1] read better as percentages. */
function isFraction(base: string, values: readonly number[]): boolean {
  return /acc/.test(base) && values.every((v) => !Number.isFinite(v) || (v >= 0 && v <= 1));
}

interface Point {
  epoch: number;
  value: number;
}

/** Epochs numbered from 1; NaN and infinities (a diverged run) dropped rather than plotted. */
function points(values: readonly number[] | undefined): Point[] {
  const out: Point[] = [];
  values?.forEach((value, i) => {
    if (Number.isFinite(value)) out.push({ epoch: i + 1, value });
  });
  return out;
}

function epochCount(history: Record<string, number[]>, keys: readonly string[]): number {
  return Math.max(0, ...keys.map((k) => history[k]?.length ?? 0));
}

function epochAxis(epochs: number, width: number) {
  // A few pixels of padding keep points off the axes, but under half an epoch so no epoch-0 tick.
  const padding = epochs <= POINTS_UP_TO_EPOCHS ? Math.min(8, (0.4 * width) / epochs) : 0;
  return {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'Epoch',
    // Epochs count from 1, not 0; a lone epoch sits mid-plot.
    scale: { domain: epochs > 1 ? [1, epochs] : [0.5, 1.5], nice: false, zero: false, padding },
    axis: { format: 'd', tickMinStep: 1 },
  };
}

function valueAxis(fraction: boolean) {
  return {
    field: 'value',
    type: 'quantitative' as const,
    title: null,
    // Late accuracies sit within a point or two of each other: a zero baseline would flatten them.
    scale: { zero: false },
    axis: { format: fraction ? '.3~%' : '.3~g' },
  };
}

function lineMark(epochs: number, pointSize: number) {
  return {
    type: 'line' as const,
    strokeWidth: 2,
    ...(epochs <= POINTS_UP_TO_EPOCHS ? { point: { filled: true, size: pointSize } } : {}),
  };
}

/** Base metrics a history records, loss first, accuracy second, the rest as recorded. */
function baseMetrics(history: Record<string, number[]>): string[] {
  const bases: string[] = [];
  for (const key of Object.keys(history)) {
    const base = key.startsWith('val_') ? key.slice(4) : key;
    if (!bases.includes(base)) bases.push(base);
  }
  const rank = (b: string) => (b === 'loss' ? 0 : /acc/.test(b) ? 1 : 2);
  return bases.sort((a, b) => rank(a) - rank(b));
}

/**
 * One figure per run: side-by-side panels (loss, then accuracy, then any other recorded metric),
 * each with a 'train' line and a 'validation' line when val_* was recorded.
 */
export function runCurvesSpec(run: RunCurves, options: RunCurvesOptions = {}): ChartSpec {
  const width = options.width ?? 320;
  const bases = baseMetrics(run.history);
  if (bases.length === 0) throw new Error(`run '${run.label}' recorded no history`);
  const keys = Object.keys(run.history);
  const epochs = epochCount(run.history, keys);
  // No 'validation' legend entry for a run trained without validation data.
  const series = (['train', 'validation'] as const).filter((s) =>
    keys.some((k) => k.startsWith('val_') === (s === 'validation')),
  );
  const panels = bases.map((base): Panel => {
    const train = run.history[base];
    const val = run.history[`val_${base}`];
    const values = [
      ...points(train).map((p) => ({ ...p, series: 'train' })),
      ...points(val).map((p) => ({ ...p, series: 'validation' })),
    ];
    return {
      title: capitalise(words(base)),
      width,
      height: options.height ?? 240,
      data: { values },
      mark: lineMark(epochs, 40),
      encoding: {
        x: epochAxis(epochs, width),
        y: valueAxis(isFraction(base, [...(train ?? []), ...(val ?? [])])),
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          // Explicit colours, so train and validation look the same in every figure.
          scale: { domain: series, range: series.map((s) => seriesColors[s]) },
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: series, range: series.map((s) => SERIES_DASHES[s]) },
        },
        tooltip: [
          { field: 'series', type: 'nominal' },
          { field: 'epoch', type: 'quantitative' },
          { field: 'value', type: 'quantitative', format: '.4~g' },
        ],
      },
    };
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? run.label, fontSize: 15, anchor: 'middle' },
    hconcat: panels,
    spacing: 28,
    config: {
      // Short dashed strokes in the legend, matching the lines (a circle cannot show the dash).
      legend: {
        orient: 'top',
        labelFontSize: 12,
        symbolType: 'stroke',
        symbolSize: 500,
        symbolStrokeWidth: 2,
      },
      title: { fontSize: 13 },
    },
  };
  return asJson(spec);
}

/**
 * One metric across runs: a line per run, coloured by group in the order groups first appear,
 * repeats of a group in the same colour.
 */
export function overlaySpec(
  runs: readonly RunCurves[],
  metric: string,
  options: OverlayOptions = {},
): ChartSpec {
  if (!runs.some((r) => r.history[metric] !== undefined)) {
    const recorded = [...new Set(runs.flatMap((r) => Object.keys(r.history)))];
    throw new Error(
      `no run recorded '${metric}'; recorded keys: ${recorded.length > 0 ? recorded.join(', ') : '(none)'}`,
    );
  }
  const labels = new Set<string>();
  for (const r of runs) {
    if (labels.has(r.label)) throw new Error(`two runs share the label '${r.label}'`);
    labels.add(r.label);
  }
  const { groupTitle } = options;
  // 'hidden: 256, 512' reads better than 'hidden: hidden=256, hidden=512'.
  const prefix = `${groupTitle}=`;
  const strip =
    groupTitle !== undefined && runs.every((r) => r.group.startsWith(prefix) && r.group !== prefix);
  const shown = (group: string) => (strip ? group.slice(prefix.length) : group);
  const groups = [...new Set(runs.map((r) => shown(r.group)))];
  const values = runs.flatMap((r) =>
    points(r.history[metric]).map((p) => ({ ...p, run: r.label, group: shown(r.group) })),
  );
  const base = metric.startsWith('val_') ? metric.slice(4) : metric;
  const plotted = values.map((v) => v.value);
  const fraction = isFraction(base, plotted);
  const width = options.width ?? 480;
  const epochs = Math.max(...runs.map((r) => epochCount(r.history, [metric])));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title ?? metricTitle(metric), fontSize: 15 },
    width,
    height: options.height ?? 300,
    data: { values },
    mark: { ...lineMark(epochs, 24), opacity: 0.9 },
    encoding: {
      x: epochAxis(epochs, width),
      y: valueAxis(fraction),
      color: {
        field: 'group',
        type: 'nominal',
        title: groupTitle ?? null,
        // An explicit domain keeps first-seen order: '64, 128, 1024', not the string sort.
        scale: { domain: groups, scheme: groups.length > 10 ? 'tableau20' : 'tableau10' },
        sort: null,
      },
      detail: { field: 'run', type: 'nominal' },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'value', type: 'quantitative', format: '.4~g' },
      ],
    },
    config: { legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 0, titleLimit: 0 } },
  };
  return asJson(spec);
}
