// A classifier's evaluation from its predicted probabilities: accuracy, confusion matrix,
// per-class precision / recall / F1, the most confidently wrong samples, and the figures'
// Vega-Lite spec. Browser-safe, so the web page can draw the same from evaluation.json.
import type { TopLevelSpec } from 'vega-lite';
import { asJson, type ChartSpec } from './chart-specs.js';
import { markdownTable } from './markdown-table.js';

export interface ClassScores {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  /** Samples of this class. */
  support: number;
}

export interface Misclassified {
  /** Index of the sample in the evaluated set. */
  index: number;
  label: number;
  predicted: number;
  /** Probability the model gave the wrong class. */
  confidence: number;
}

/** What evaluation.json holds. */
export interface Evaluation {
  dataset: string;
  split: string;
  samples: number;
  loss: number | null;
  accuracy: number;
  classNames: string[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  perClass: ClassScores[];
  macroF1: number;
  /** Most confidently wrong first. */
  misclassified: Misclassified[];
}

/** Top-k classes of one probability row, most probable first. */
export function topK(
  probs: ArrayLike<number>,
  k: number,
): { index: number; probability: number }[] {
  return Array.from(probs, (p, index) => ({ index, probability: p }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}

/**
 * Scores `probs` ([n, classes] row-major) against integer `labels`. `loss` is passed through
 * (the model's own compiled loss, when it has one); `worst` caps the misclassified list.
 */
export function evaluateClassifier(
  probs: Float32Array,
  labels: ArrayLike<number>,
  classNames: readonly string[],
  info: { dataset: string; split: string; loss: number | null; worst?: number },
): Evaluation {
  const k = classNames.length;
  const n = labels.length;
  if (probs.length !== n * k) {
    throw new Error(
      `evaluateClassifier: ${probs.length} probabilities for ${n} samples of ${k} classes.`,
    );
  }
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const wrong: Misclassified[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * k, (i + 1) * k);
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
    const label = labels[i]!;
    confusion[label]![best]!++;
    if (best === label) correct++;
    else wrong.push({ index: i, label, predicted: best, confidence: row[best]! });
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  const perClass = classNames.map((className, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { className, precision, recall, f1, support };
  });
  return {
    dataset: info.dataset,
    split: info.split,
    samples: n,
    loss: info.loss,
    accuracy: n ? correct / n : 0,
    classNames: [...classNames],
    confusion,
    perClass,
    macroF1: perClass.reduce((a, s) => a + s.f1, 0) / k,
    misclassified: wrong.slice(0, info.worst ?? 32),
  };
}

/** The per-class table, markdown. */
export function perClassTable(e: Evaluation): string {
  const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
  return markdownTable(
    ['class', 'precision', 'recall', 'F1', 'support'],
    [
      ...e.perClass.map((s) => [
        s.className,
        pct(s.precision),
        pct(s.recall),
        pct(s.f1),
        String(s.support),
      ]),
      [
        'macro avg',
        pct(e.perClass.reduce((a, s) => a + s.precision, 0) / e.perClass.length),
        pct(e.perClass.reduce((a, s) => a + s.recall, 0) / e.perClass.length),
        pct(e.macroF1),
        String(e.samples),
      ],
    ],
    ['left', 'right', 'right', 'right', 'right'],
  );
}

/** A confusion-matrix heatmap: true class down, predicted across, counts in the cells. */
export function confusionMatrixSpec(e: Evaluation): ChartSpec {
  const values = e.confusion.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((count, p) => ({
      truth: e.classNames[t],
      predicted: e.classNames[p],
      count,
      share: count / total,
    }));
  });
  const order = e.classNames;
  const side = Math.max(240, 36 * order.length);
  return asJson({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Confusion matrix (${e.dataset} ${e.split}, ${e.samples} samples)`,
      subtitle: `accuracy ${(100 * e.accuracy).toFixed(2)}%; colour: share of the true class`,
    },
    data: { values },
    width: side,
    height: side,
    encoding: {
      x: {
        field: 'predicted',
        type: 'ordinal',
        sort: order,
        title: 'predicted',
        axis: { labelAngle: 0 },
      },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true class' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'share',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, 1] },
            title: 'share',
            legend: { format: '.0%' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec);
}

/**
 * A grid of 28x28 grey images (uint8, white ink on black as MNIST stores them) drawn dark on
 * light, with a caption under each; plain SVG so it renders the same in a page and to PNG.
 */
export function imageGridSvg(
  images: readonly Uint8Array[],
  captions: readonly string[],
  options: { columns?: number; scale?: number; title?: string; side?: number } = {},
): string {
  const side = options.side ?? 28;
  const scale = options.scale ?? 3;
  const cols = Math.max(1, Math.min(options.columns ?? 8, images.length));
  const rows = Math.ceil(images.length / cols);
  const pad = 10;
  const captionH = 30;
  const titleH = options.title ? 28 : 0;
  const cellW = side * scale + pad;
  const cellH = side * scale + captionH + pad;
  const width = cols * cellW + pad;
  const height = titleH + rows * cellH + pad;
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans" shape-rendering="crispEdges">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title)
    parts.push(
      `<text x="${pad}" y="20" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
    );
  images.forEach((img, i) => {
    const x0 = pad + (i % cols) * cellW;
    const y0 = titleH + pad + Math.floor(i / cols) * cellH;
    parts.push(
      `<rect x="${x0 - 1}" y="${y0 - 1}" width="${side * scale + 2}" height="${side * scale + 2}" fill="#ffffff" stroke="#c8c8c8"/>`,
    );
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = img[y * side + x]!;
        if (v < 8) continue;
        const g = 255 - v;
        parts.push(
          `<rect x="${x0 + x * scale}" y="${y0 + y * scale}" width="${scale}" height="${scale}" fill="rgb(${g},${g},${g})"/>`,
        );
      }
    }
    const [line1, line2] = (captions[i] ?? '').split('\n');
    parts.push(
      `<text x="${x0 + (side * scale) / 2}" y="${y0 + side * scale + 13}" font-size="11" text-anchor="middle">${esc(line1 ?? '')}</text>`,
    );
    if (line2)
      parts.push(
        `<text x="${x0 + (side * scale) / 2}" y="${y0 + side * scale + 26}" font-size="11" text-anchor="middle" fill="#b22222">${esc(line2)}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** report.md: the figures and the numbers, readable at a glance. */
export function evaluationMarkdown(e: Evaluation, heading = 'Evaluation'): string {
  return [
    `# ${heading}`,
    '',
    `${e.dataset} ${e.split} set, ${e.samples} samples: ${e.loss === null ? '' : `loss ${e.loss.toFixed(4)}, `}accuracy **${(100 * e.accuracy).toFixed(2)}%**, macro F1 ${(100 * e.macroF1).toFixed(2)}%.`,
    '',
    '## Per class',
    '',
    perClassTable(e),
    '',
    '## Confusion matrix',
    '',
    '![Confusion matrix](confusion-matrix.svg)',
    '',
    '## Most confidently wrong',
    '',
    e.misclassified.length
      ? '![Misclassified test images](misclassified.svg)'
      : 'None: every sample was classified correctly.',
    '',
  ].join('\n');
}
