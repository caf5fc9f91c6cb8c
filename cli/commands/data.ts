import { Command } from 'commander';
import { classCounts } from '../../src/data/preprocess.js';
import { loadDataset, type LoadedDataset } from '../../node/data/load-dataset.js';
import { renderSampleGrid } from '../../node/reports/sample-grid.js';
import { writeFileAtomic } from '../../node/fs/write-atomic.js';
import { oneOf, positiveInt, UsageError } from '../parse.js';

interface DataFlags {
  dataset: 'mnist' | 'fashion-mnist';
  dataDir?: string;
  verbose?: boolean;
  samples?: number;
  out?: string;
  download: boolean;
  verify: boolean;
  json: boolean;
}

export function dataCommand(): Command {
  return new Command('data')
    .description('Show a dataset: sizes, shapes, class histogram and where its files came from')
    .option(
      '--dataset <name>',
      'mnist or fashion-mnist',
      oneOf('--dataset', ['mnist', 'fashion-mnist'] as const),
      'mnist',
    )
    .option('--data-dir <dir>', 'folder holding the IDX files (default: env MNIST_LAB_DATA_DIR)')
    .option(
      '--samples <n>',
      'write a grid of the first N training images with their labels',
      positiveInt('--samples'),
    )
    .option('--out <file.png>', 'where --samples writes its PNG', undefined)
    .option('--no-download', 'never download; fail if no local copy exists')
    .option('--no-verify', 'skip the SHA-256 check (for intentionally different data)')
    .option('-v, --verbose', 'report each place looked in')
    .option('--json', 'print the description as one JSON object on stdout', false)
    .action(async (flags: DataFlags) => {
      if (flags.samples !== undefined && flags.out === undefined) {
        throw new UsageError('--samples needs --out FILE.png to say where to write the grid.');
      }
      if (flags.out !== undefined && !flags.out.toLowerCase().endsWith('.png')) {
        throw new UsageError(`--out must name a .png file, got '${flags.out}'.`);
      }
      const ds = await loadDataset(flags.dataset, {
        ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
        download: flags.download,
        verify: flags.verify,
        ...(flags.verbose ? { log: (l: string) => console.error(`  ${l}`) } : {}),
      });
      if (!flags.json) console.log(describeDataset(ds));
      let written: number | null = null;
      if (flags.out !== undefined) {
        const n = flags.samples ?? 10;
        const labels = ds.train.labels.data;
        const captions = Array.from({ length: n }, (_, i) =>
          i < labels.length ? (ds.spec.classNames[labels[i]!] ?? String(labels[i])) : '',
        );
        await writeFileAtomic(flags.out, renderSampleGrid(ds.train.images, n, captions));
        written = Math.min(n, ds.train.labels.data.length);
        if (!flags.json) {
          console.log(`\nWrote ${written} training images with their labels to ${flags.out}`);
        }
      }
      if (flags.json) {
        const k = ds.spec.classNames.length;
        const part = (p: LoadedDataset['train']) => ({
          images: p.images.shape,
          labels: p.labels.shape[0],
          classCounts: classCounts(p.labels.data, k),
        });
        console.log(
          JSON.stringify({
            dataset: ds.spec.id,
            title: ds.spec.title,
            classNames: ds.spec.classNames,
            train: part(ds.train),
            test: part(ds.test),
            sources: ds.sources,
            ...(flags.out !== undefined ? { samples: { file: flags.out, count: written } } : {}),
          }),
        );
      }
    });
}

export function describeDataset(ds: LoadedDataset): string {
  const lines: string[] = [`${ds.spec.title} (${ds.spec.id})`, ''];
  for (const [split, part] of [
    ['train', ds.train],
    ['test', ds.test],
  ] as const) {
    lines.push(
      `${split.padEnd(5)}  images ${part.images.shape.join(' x ')} uint8   labels ${part.labels.shape[0]} uint8`,
    );
  }
  lines.push(
    '',
    'Class counts:',
    `  ${'class'.padEnd(14)}${'train'.padStart(7)}${'test'.padStart(7)}`,
  );
  const k = ds.spec.classNames.length;
  const train = classCounts(ds.train.labels.data, k);
  const test = classCounts(ds.test.labels.data, k);
  const max = Math.max(...train);
  for (let c = 0; c < k; c++) {
    const name =
      `${c} ${c.toString() === ds.spec.classNames[c] ? '' : ds.spec.classNames[c]}`.trim();
    const bar = '#'.repeat(Math.round((30 * train[c]!) / max));
    lines.push(
      `  ${name.padEnd(14)}${String(train[c]).padStart(7)}${String(test[c]).padStart(7)}  ${bar}`,
    );
  }
  lines.push('', 'Files:');
  for (const s of ds.sources) lines.push(`  ${s.file.padEnd(26)} ${s.kind.padEnd(9)} ${s.path}`);
  return lines.join('\n');
}
