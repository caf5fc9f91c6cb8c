import { resolve } from 'node:path';
import { Command } from 'commander';
import { perClassTable } from '../../src/reports/evaluation.js';
import { loadDataset } from '../../node/data/load-dataset.js';
import { loadModel } from '../../node/models/index.js';
import { scoreModel, writeEvaluation } from '../../node/reports/evaluation-report.js';
import { oneOf, positiveInt } from '../parse.js';
import { runDataset } from '../run-data.js';
import { modelDir } from '../run-model.js';

interface EvaluateFlags {
  run: string;
  dataset?: string;
  split: 'test' | 'train';
  samples?: number;
  out?: string;
  dataDir?: string;
  download: boolean;
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description(
      'Evaluate a trained model: loss, accuracy, per-class precision / recall / F1, a confusion-matrix heatmap and the most confidently wrong images (evaluation.json, confusion-matrix.svg/.png, misclassified.svg/.png, report.md)',
    )
    .requiredOption('--run <dir>', 'a run folder written by `mnist-lab train`, or a model folder')
    .option(
      '--dataset <name>',
      "mnist or fashion-mnist (default: the run's)",
      oneOf('--dataset', ['mnist', 'fashion-mnist'] as const),
    )
    .option(
      '--split <split>',
      'test or train',
      oneOf('--split', ['test', 'train'] as const),
      'test',
    )
    .option('--samples <n>', 'evaluate the first N images only', positiveInt('--samples'))
    .option('--out <dir>', 'where to write the files (default: the run folder)')
    .option('--data-dir <dir>', 'folder holding the IDX files')
    .option('--no-download', 'never download the dataset')
    .action(async (flags: EvaluateFlags) => {
      const dir = await modelDir(flags.run);
      const spec = await runDataset(dir, flags.dataset);
      const model = await loadModel(dir);
      const ds = await loadDataset(spec.id, {
        ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
        download: flags.download,
      });
      const split = flags.split === 'train' ? ds.train : ds.test;
      const n = Math.min(flags.samples ?? Infinity, split.images.shape[0]);
      const [, h, w] = split.images.shape;
      const images = {
        data: split.images.data.subarray(0, n * h * w),
        shape: [n, h, w] as [number, number, number],
      };
      const e = scoreModel(
        model,
        images,
        split.labels.data.subarray(0, n),
        spec.classNames.length,
        {
          dataset: spec.id,
          split: flags.split,
          classNames: spec.classNames,
        },
      );
      // A run folder gets the files beside its model/ folder, where train writes them.
      const out = resolve(flags.out ?? (/^[a-z]+:\/\//i.test(dir) ? '.' : flags.run));
      await writeEvaluation(out, e, images);
      console.log(
        `${spec.id} ${flags.split}, ${n} images: ${e.loss === null ? '' : `loss ${e.loss.toFixed(4)}   `}accuracy ${(100 * e.accuracy).toFixed(2)}%`,
      );
      console.log('');
      console.log(perClassTable(e));
      console.log('');
      console.log(
        `Wrote evaluation.json, confusion-matrix.svg/.png, misclassified.svg/.png and report.md to ${out}`,
      );
    });
}
