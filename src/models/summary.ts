// Keras 3's model.summary(): a table drawn the way its `rich` console renders it without
// colour (heavy header box, a rule between rows), then the parameter counts and sizes.
import type { Layer } from '../layers/layer.js';
import { formatKerasShape, isShapeList, type LayerShape } from '../layers/layer-shape.js';
import type { Variable } from '../tensor/variable.js';

export type PrintFn = (line: string) => void;

/** What the summary needs to know about a model. */
export interface SummarySource {
  name: string;
  /** True for the 3-column layout (Sequential, subclassed, or a chain-shaped functional model). */
  sequentialLike: boolean;
  rows: SummaryRow[];
  trainable: readonly Variable[];
  nonTrainable: readonly Variable[];
}

export interface SummaryRow {
  layer: Layer;
  /** Output shape(s), or undefined when unknown ('?'). */
  outputShape: LayerShape | undefined;
  /** For the 4-column layout: 'dense[0][0]', ... */
  connectedTo?: string[];
}

type Justify = 'left' | 'right';

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's '{:.2f}'.format for the dyadic values byte sizes produce. */
function fixed2(x: number): string {
  const scaled = x * 100;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    return (roundHalfEven(scaled) / 100).toFixed(2);
  }
  return x.toFixed(2);
}

/** Keras's readable_memory_size: 1024-based units with two decimals. */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${fixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${fixed2(size)} PB`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function memoryOf(vs: readonly Variable[]): number {
  return vs.reduce((n, v) => n + v.size * (v.dtype === 'float64' ? 8 : 4), 0);
}

/**
 * Column widths as rich computes them for Keras's fixed-width columns: Keras asks for
 * int(position * lineLength) steps; rich adds one space of padding each side and, since that
 * overflows the table width, takes the excess off the columns evenly (its ratio_reduce).
 */
export function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  const wanted: number[] = [];
  let current = 0;
  for (const p of positions) {
    const width = Math.trunc(p * lineLength) - current;
    if (width < 4) throw new Error('Insufficient console width to print summary.');
    wanted.push(width + 2);
    current += width;
  }
  const budget = lineLength - (positions.length + 1);
  let widths = wanted;
  const total = widths.reduce((a, b) => a + b, 0);
  if (total > budget) {
    let remaining = total - budget;
    let ratioLeft = widths.length;
    widths = widths.map((w) => {
      const cut = Math.min(w, roundHalfEven(remaining / ratioLeft));
      remaining -= cut;
      ratioLeft -= 1;
      return w - cut;
    });
  } else if (total < budget) {
    // rich widens an expanding table's columns in proportion to their widths.
    let extra = budget - total;
    let weight = total;
    widths = widths.map((w) => {
      const add = Math.ceil((extra * w) / weight);
      extra -= add;
      weight -= w;
      return w + add;
    });
  }
  return widths;
}

/** Splits text into lines of at most `width` at spaces; over-long words end in '…'. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const w = word.length > width ? `${word.slice(0, Math.max(0, width - 1))}…` : word;
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  lines.push(line);
  return lines;
}

function renderRow(
  cells: readonly string[],
  widths: readonly number[],
  justify: readonly Justify[],
  edge: string,
): string[] {
  const wrapped = cells.map((c, i) => wrap(c, widths[i]! - 2));
  const height = Math.max(...wrapped.map((w) => w.length));
  const out: string[] = [];
  for (let r = 0; r < height; r++) {
    const parts = wrapped.map((w, i) => {
      const text = w[r] ?? '';
      const inner = widths[i]! - 2;
      return ` ${justify[i] === 'right' ? text.padStart(inner) : text.padEnd(inner)} `;
    });
    out.push(`${edge}${parts.join(edge)}${edge}`);
  }
  return out;
}

function rule(
  widths: readonly number[],
  left: string,
  fill: string,
  mid: string,
  right: string,
): string {
  return `${left}${widths.map((w) => fill.repeat(w)).join(mid)}${right}`;
}

/** A layer's shape as summary() prints it: (None, 784), a list for several, '?' when unknown. */
export function formatLayerShape(shape: LayerShape | undefined): string {
  if (shape === undefined) return '?';
  if (isShapeList(shape)) return `[${shape.map((s) => formatKerasShape(s)).join(', ')}]`;
  return formatKerasShape(shape);
}

/**
 * Keras's default line length: 88 for the 3-column layout and 108 for the 4-column one, capped
 * (as Keras does through shutil) at the terminal width minus 4, which is 76 off a terminal.
 */
export function defaultLineLength(sequentialLike: boolean): number {
  const proc = (
    globalThis as {
      process?: { env?: Record<string, string | undefined>; stdout?: { columns?: number } };
    }
  ).process;
  const columns = Number(proc?.env?.['COLUMNS']) || proc?.stdout?.columns || 80;
  return Math.min(sequentialLike ? 88 : 108, columns - 4);
}

/** The summary's lines. */
export function summaryLines(
  source: SummarySource,
  lineLength?: number,
  positions?: readonly number[],
): string[] {
  const seq = source.sequentialLike;
  const length = lineLength ?? defaultLineLength(seq);
  const pos = positions ?? (seq ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  const header = seq
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  if (pos.length !== header.length) {
    throw new Error(`summary(): positions needs ${header.length} entries, got ${pos.length}.`);
  }
  const justify: Justify[] = seq ? ['left', 'left', 'right'] : ['left', 'left', 'right', 'left'];
  const widths = columnWidths(length, pos);

  const lines = [`Model: "${source.name}"`];
  lines.push(rule(widths, '┏', '━', '┳', '┓'));
  lines.push(...renderRow(header, widths, justify, '┃'));
  lines.push(rule(widths, '┡', '━', '╇', '┩'));
  source.rows.forEach((row, i) => {
    if (i > 0) lines.push(rule(widths, '├', '─', '┼', '┤'));
    const params = row.layer.built ? formatCount(row.layer.countParams()) : '0 (unbuilt)';
    const cells = [
      `${row.layer.name} (${row.layer.className})`,
      formatLayerShape(row.outputShape),
      params,
    ];
    if (!seq)
      cells.push(row.connectedTo && row.connectedTo.length > 0 ? row.connectedTo.join(', ') : '-');
    lines.push(...renderRow(cells, widths, justify, '│'));
  });
  lines.push(rule(widths, '└', '─', '┴', '┘'));

  const trainable = source.trainable.reduce((n, v) => n + v.size, 0);
  const nonTrainable = source.nonTrainable.reduce((n, v) => n + v.size, 0);
  const trainableBytes = memoryOf(source.trainable);
  const nonTrainableBytes = memoryOf(source.nonTrainable);
  lines.push(
    ` Total params: ${formatCount(trainable + nonTrainable)} (${readableMemorySize(trainableBytes + nonTrainableBytes)})`,
    ` Trainable params: ${formatCount(trainable)} (${readableMemorySize(trainableBytes)})`,
    ` Non-trainable params: ${formatCount(nonTrainable)} (${readableMemorySize(nonTrainableBytes)})`,
  );
  return lines;
}
