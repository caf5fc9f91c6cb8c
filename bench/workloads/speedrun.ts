/**
 * The `speedrun` train preset, timed: a fresh model trained on the 60,000 MNIST training images
 * by the preset's recipe, then scored on the 10,000 test images (seconds, lower is better).
 *
 * Ours runs the command a user types, `mnist-lab train --preset speedrun --seed S`, in a child
 * process with the engine's thread count, and reads the training time (`trainSeconds`: the fit,
 * first step to last) and the test accuracy from its `--json` result. PyTorch
 * (bench/torch_speedrun.py) trains the same recipe, handed over as numbers read from the
 * preset, and times the same span. Each engine runs once (a run is a minute or more); the check
 * is the speedrun's own bar, test accuracy >= 99%, so a fast run that misses it cannot post a time.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getTrainPreset } from '../../src/experiments/train-presets.js';
import { SkipError, type Workload } from '../workload.js';

/** The speedrun's bar: test accuracy on every run. */
export const TARGET_ACCURACY = 0.99;
/** The seed the bench trains with (the README's table has three). */
const SEED = 1;

/** What bench/torch_speedrun.py needs to rebuild the recipe. */
export interface SpeedrunRecipe {
  filters: number[];
  blockConvs: number;
  dropout: number;
  lr: number;
  weightDecay: number;
  warmupEpochs: number;
  alpha: number;
  labelSmoothing: number;
  batchSize: number;
  epochs: number;
}

/** Flags the PyTorch script reproduces; any other flag in the preset is a recipe it cannot run. */
const MODELLED = new Set([
  'dataset',
  'model',
  'filters',
  'block-convs',
  'hidden',
  'dropout',
  'optimizer',
  'lr',
  'weight-decay',
  'lr-schedule',
  'lr-warmup-epochs',
  'lr-alpha',
  'label-smoothing',
  'batch-size',
  'epochs',
]);

/**
 * The speedrun preset as numbers, checked to be a recipe torch_speedrun.py builds: cnn-bn with
 * no hidden Dense layer, AdamW, cosine schedule, on MNIST. Throws naming what differs.
 */
export function speedrunRecipe(flags = getTrainPreset('speedrun').flags): SpeedrunRecipe {
  const unknown = Object.keys(flags).filter((k) => !MODELLED.has(k));
  if (unknown.length > 0) {
    throw new Error(`bench/torch_speedrun.py does not model --${unknown.join(', --')}`);
  }
  const want: Record<string, string> = {
    dataset: 'mnist',
    model: 'cnn-bn',
    hidden: 'none',
    optimizer: 'adamw',
    'lr-schedule': 'cosine',
  };
  for (const [k, v] of Object.entries(want)) {
    if ((flags[k] ?? (k === 'dataset' ? 'mnist' : undefined)) !== v) {
      throw new Error(`bench/torch_speedrun.py models --${k} ${v}, the preset has ${flags[k]}`);
    }
  }
  const num = (k: string, fallback?: number): number => {
    const v = flags[k] === undefined ? fallback : Number(flags[k]);
    if (v === undefined || !Number.isFinite(v)) throw new Error(`speedrun preset: --${k} missing`);
    return v;
  };
  return {
    filters: (flags['filters'] ?? '32,64').split(',').map(Number),
    blockConvs: num('block-convs', 2),
    dropout: num('dropout', 0),
    lr: num('lr'),
    weightDecay: num('weight-decay', 0.004),
    warmupEpochs: num('lr-warmup-epochs', 0),
    alpha: num('lr-alpha', 0),
    labelSmoothing: num('label-smoothing', 0),
    batchSize: num('batch-size'),
    epochs: num('epochs'),
  };
}

/**
 * Useful FLOP of one training sample of the recipe's network (2 per multiply-add, forward, the
 * weight gradient, and the input gradient of every layer but the first), as epoch.ts counts.
 */
export function speedrunFlopsPerSample(r: SpeedrunRecipe): number {
  let size = 28;
  let channels = 1;
  let total = 0;
  let first = true;
  for (const filters of r.filters) {
    for (let i = 0; i < r.blockConvs; i++) {
      total += 2 * size * size * filters * 9 * channels * (first ? 2 : 3);
      channels = filters;
      first = false;
    }
    size = Math.floor(size / 2);
  }
  return total + 2 * size * size * channels * 10 * 3;
}

const CLI = fileURLToPath(new URL('../../../bin/mnist-lab.js', import.meta.url));

export function speedrunWorkloads(): Workload[] {
  const recipe = speedrunRecipe();
  return [
    {
      id: 'speedrun',
      title:
        `train --preset speedrun (${recipe.epochs} epoch${recipe.epochs === 1 ? '' : 's'} of cnn-bn ${recipe.filters.join('-')}, ` +
        `AdamW, cosine, batch ${recipe.batchSize}) on 60000 MNIST images, seed ${SEED}: training time; ` +
        `check: test accuracy >= ${TARGET_ACCURACY * 100}%`,
      unit: 's',
      lowerIsBetter: true,
      flops: recipe.epochs * 60_000 * speedrunFlopsPerSample(recipe),
      value: (ms) => ms / 1000,
      once: {
        check: (accuracy) =>
          accuracy >= TARGET_ACCURACY
            ? undefined
            : `test accuracy ${(accuracy * 100).toFixed(2)}% < ${TARGET_ACCURACY * 100}%`,
      },
      ours(backend) {
        if (backend.name !== 'native') {
          throw new SkipError('the speedrun runs on the native backend only (minutes elsewhere)');
        }
        const threads = backend.getNumThreads();
        return {
          async run() {
            const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-speedrun-'));
            try {
              const { stdout } = await promisify(execFile)(
                process.execPath,
                [
                  CLI,
                  'train',
                  '--preset',
                  'speedrun',
                  '--seed',
                  String(SEED),
                  '--backend',
                  'native',
                  '--json',
                  '--out',
                  join(dir, 'run'),
                ],
                {
                  env: { ...process.env, MNIST_LAB_NUM_THREADS: String(threads) },
                  maxBuffer: 1 << 24,
                  timeout: 30 * 60_000,
                },
              );
              const r = JSON.parse(stdout) as {
                trainSeconds: number;
                test: { accuracy: number };
              };
              return { ms: r.trainSeconds * 1000, accuracy: r.test.accuracy };
            } finally {
              await rm(dir, { recursive: true, force: true });
            }
          },
        };
      },
      torch: {
        script: 'torch_speedrun.py',
        spec: { id: 'speedrun', recipe: recipe as unknown as Record<string, unknown>, seed: SEED },
      },
    },
  ];
}
