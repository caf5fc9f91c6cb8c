import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { toMnistForm } from '../../src/data/mnist-form.js';
import { parseIdx } from '../../src/data/idx.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { topK } from '../../src/reports/evaluation.js';
import { loadDataset } from '../../node/data/load-dataset.js';
import { readImage } from '../../node/data/read-image.js';
import { loadModel } from '../../node/models/index.js';
import { regularFileSize } from '../../node/models/safe-read.js';
import { oneOf, positiveInt, UsageError } from '../parse.js';
import { runDataset } from '../run-data.js';
import { modelDir } from '../run-model.js';

interface PredictFlags {
  run: string;
  idx?: string;
  dataset?: 'test' | 'train';
  index?: number;
  top: number;
  json: boolean;
  dataDir?: string;
  download: boolean;
}

const nonNegativeInt =
  (flag: string) =>
  (value: string): number => {
    if (!/^\s*\d+\s*$/.test(value))
      throw new Error(`${flag} takes a whole number >= 0, got '${value}'.`);
    return Number(value);
  };

export function predictCommand(): Command {
  return new Command('predict')
    .description(
      'Classify images with a trained model: PNG or JPEG files (turned into MNIST form: grayscale, inverted when the background is light, cropped, fitted into 20x20, centred by centre of mass), images of an IDX file, or a dataset image',
    )
    .argument('[image...]', 'PNG or JPEG files')
    .requiredOption('--run <dir>', 'a run folder written by `mnist-lab train`, or a model folder')
    .option('--idx <file>', 'an IDX images file (plain or .gz), e.g. t10k-images-idx3-ubyte')
    .option(
      '--dataset <split>',
      "a split of the run's dataset: test or train",
      oneOf('--dataset', ['test', 'train'] as const),
    )
    .option(
      '--index <n>',
      'with --idx or --dataset: the image to classify (default: with --idx, all)',
      nonNegativeInt('--index'),
    )
    .option('--top <k>', 'classes to show per image', positiveInt('--top'), 3)
    .option('--json', 'print JSON for scripts', false)
    .option('--data-dir <dir>', 'with --dataset: folder holding the IDX files')
    .option('--no-download', 'with --dataset: never download the dataset')
    .action(async (images: string[], flags: PredictFlags) => {
      const sources =
        (images.length > 0 ? 1 : 0) +
        (flags.idx !== undefined ? 1 : 0) +
        (flags.dataset !== undefined ? 1 : 0);
      if (sources !== 1)
        throw new Error(
          'give image files, or --idx FILE, or --dataset test --index N (one of them).',
        );
      if (flags.dataset !== undefined && flags.index === undefined)
        throw new UsageError('--dataset needs --index N.');
      if (flags.index !== undefined && images.length > 0)
        throw new UsageError('--index goes with --idx or --dataset, not image files.');
      const dir = await modelDir(flags.run);
      const spec = await runDataset(dir);
      const model = await loadModel(dir, { compile: false });
      const [h, w] = spec.imageShape;

      // Every input as 784 values in [0, 1], with a name to print.
      const inputs: { source: string; pixels: Float32Array }[] = [];
      const fromBytes = (data: Uint8Array, i: number, source: string): void => {
        const pixels = new Float32Array(h * w);
        for (let p = 0; p < h * w; p++) pixels[p] = data[i * h * w + p]! / 255;
        inputs.push({ source, pixels });
      };
      if (images.length > 0) {
        for (const file of images) {
          const img = await readImage(file);
          inputs.push({ source: file, pixels: toMnistForm(img) });
        }
      } else {
        let data: Uint8Array;
        let count: number;
        let label: string;
        if (flags.idx !== undefined) {
          const file = resolve(flags.idx);
          await regularFileSize(file); // a FIFO or device is named, never read
          const idx = parseIdx(new Uint8Array(await readFile(file)), file, 3);
          if (idx.shape[1] !== h || idx.shape[2] !== w)
            throw new Error(
              `${file}: images are ${idx.shape[1]}x${idx.shape[2]}, the model takes ${h}x${w}.`,
            );
          [data, count, label] = [idx.data, idx.shape[0]!, flags.idx];
        } else {
          const ds = await loadDataset(spec.id, {
            ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
            download: flags.download,
          });
          const split = flags.dataset === 'train' ? ds.train : ds.test;
          [data, count, label] = [
            split.images.data,
            split.images.shape[0],
            `${spec.id} ${flags.dataset}`,
          ];
        }
        const which =
          flags.index !== undefined ? [flags.index] : Array.from({ length: count }, (_, i) => i);
        for (const i of which) {
          if (i >= count)
            throw new Error(`--index ${i}: ${label} has ${count} images (0..${count - 1}).`);
          fromBytes(data, i, `${label}[${i}]`);
        }
      }

      const n = inputs.length;
      const flat = new Float32Array(n * h * w);
      inputs.forEach((x, i) => flat.set(x.pixels, i * h * w));
      const shape = model.inputs[0]?.shape ?? [null, h * w];
      const x = new Tensor(flat, shape.length === 4 ? [n, h, w, 1] : [n, h * w]);
      const probs = model.predict(x, { batchSize: 256 }).values;
      const k = probs.length / n;
      const results = inputs.map((inp, i) => ({
        source: inp.source,
        top: topK(probs.subarray(i * k, (i + 1) * k), Math.min(flags.top, k)).map((t) => ({
          class: spec.classNames[t.index] ?? String(t.index),
          index: t.index,
          probability: t.probability,
        })),
      }));
      if (flags.json) {
        console.log(JSON.stringify(results, null, 2));
        return;
      }
      const width = Math.max(...results.map((r) => r.source.length));
      for (const r of results) {
        console.log(
          `${r.source.padEnd(width)}  ${r.top.map((t) => `${t.class} ${(100 * t.probability).toFixed(2).padStart(6)}%`).join('   ')}`,
        );
      }
    });
}
