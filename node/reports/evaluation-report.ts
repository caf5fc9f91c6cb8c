// Evaluates a classifier on a labelled image set and writes what a run folder shows:
// evaluation.json, confusion-matrix.svg/.png, misclassified.svg/.png and report.md.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Model } from '../../src/models/index.js';
import {
  confusionMatrixSpec,
  evaluateClassifier,
  evaluationMarkdown,
  imageGridSvg,
  type Evaluation,
} from '../../src/reports/evaluation.js';
import { normalize, toCategorical } from '../../src/data/preprocess.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { writeFileAtomic, writeJson } from '../fs/write-atomic.js';
import { renderChart } from './charts.js';
import { svgToPng } from './svg-png.js';

/** The files `writeEvaluation` writes into a folder (the web page reads these names). */
export const EVALUATION_FILES = {
  json: 'evaluation.json',
  confusionSvg: 'confusion-matrix.svg',
  confusionPng: 'confusion-matrix.png',
  misclassifiedSvg: 'misclassified.svg',
  misclassifiedPng: 'misclassified.png',
  report: 'report.md',
} as const;

/** uint8 images [n, h, w] as the model's input: [n, h*w] or [n, h, w, 1], by its input shape. */
export function imagesToInput(
  model: Model,
  data: Uint8Array,
  n: number,
  h: number,
  w: number,
): Tensor {
  const shape = model.inputs[0]?.shape;
  const x = normalize(data.subarray(0, n * h * w));
  if (shape && shape.length === 4) {
    if (shape[1] !== h || shape[2] !== w || shape[3] !== 1) {
      throw new Error(
        `model '${model.name}' takes inputs of shape [${shape.slice(1).join(', ')}], not ${h}x${w} grey images.`,
      );
    }
    return new Tensor(x, [n, h, w, 1]);
  }
  if (shape && shape.length === 2 && shape[1] !== h * w) {
    throw new Error(
      `model '${model.name}' takes ${shape[1]} inputs, not ${h}x${w} = ${h * w} pixels.`,
    );
  }
  return new Tensor(x, [n, h * w]);
}

/** Probabilities and (when the model is compiled) its loss on the set. */
export function scoreModel(
  model: Model,
  images: { data: Uint8Array; shape: readonly [number, number, number] },
  labels: Uint8Array,
  classes: number,
  info: { dataset: string; split: string; worst?: number; classNames: readonly string[] },
): Evaluation {
  const [n, h, w] = images.shape;
  const x = imagesToInput(model, images.data, n, h, w);
  const probs = Float32Array.from(model.predict(x, { batchSize: 256 }).values);
  if (probs.length !== n * classes) {
    throw new Error(
      `model '${model.name}' gives ${probs.length / n} outputs per image, the dataset has ${classes} classes.`,
    );
  }
  let loss: number | null = null;
  const config = model.trainingConfig;
  if (model.compiled && config) {
    const sparse = typeof config.loss === 'string' && /sparse/i.test(config.loss);
    const y = sparse
      ? new Tensor(Int32Array.from(labels.subarray(0, n)), [n])
      : toCategorical(labels.subarray(0, n), classes);
    const r = model.evaluate(x, y, { batchSize: 256, verbose: 0 });
    loss = (Array.isArray(r) ? r[0]! : r).item();
  }
  return evaluateClassifier(probs, labels.subarray(0, n), info.classNames, {
    dataset: info.dataset,
    split: info.split,
    loss,
    worst: info.worst ?? 32,
  });
}

/** Writes the evaluation's files into `dir`; returns their paths. */
export async function writeEvaluation(
  dir: string,
  e: Evaluation,
  images: { data: Uint8Array; shape: readonly [number, number, number] },
  options: { heading?: string } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const [, h, w] = images.shape;
  const { svg, png } = await renderChart(confusionMatrixSpec(e));
  const worst = e.misclassified.slice(0, 24);
  const grid = imageGridSvg(
    worst.map((m) => images.data.subarray(m.index * h * w, (m.index + 1) * h * w)),
    worst.map(
      (m) =>
        `true ${e.classNames[m.label]}\npred ${e.classNames[m.predicted]} ${(100 * m.confidence).toFixed(0)}%`,
    ),
    {
      title: `Most confidently wrong (${e.misclassified.length < 24 ? e.misclassified.length : `24 of ${e.samples - Math.round(e.accuracy * e.samples)}`})`,
      side: h,
      columns: 8,
    },
  );
  const f = EVALUATION_FILES;
  await writeJson(join(dir, f.json), e);
  await writeFileAtomic(join(dir, f.confusionSvg), svg);
  await writeFileAtomic(join(dir, f.confusionPng), png);
  await writeFileAtomic(join(dir, f.misclassifiedSvg), grid);
  await writeFileAtomic(join(dir, f.misclassifiedPng), svgToPng(grid));
  await writeFileAtomic(join(dir, f.report), evaluationMarkdown(e, options.heading));
  return Object.values(f).map((name) => join(dir, name));
}
