import { Command } from 'commander';
import { defaultSpec, type TrainSpec } from '../../src/experiments/model-spec.js';
import { getActivation } from '../../src/activations/index.js';
import { getLoss } from '../../src/losses/index.js';
import { getOptimizer } from '../../src/optimizers/index.js';
import { setBackend } from '../../src/kernels/registry.js';
import {
  readRunConfig,
  trainRun,
  TrainInterruptedError,
} from '../../node/experiments/train-run.js';
import {
  fraction,
  hiddenSizes,
  nonNegativeInt,
  oneOf,
  positiveInt,
  positiveNumber,
} from '../parse.js';

interface TrainFlags {
  model: 'mlp' | 'cnn';
  hidden?: number[];
  activation: string;
  dropout: number;
  batchnorm: boolean;
  optimizer: string;
  lr?: number;
  momentum?: number;
  loss: string;
  epochs: number;
  batchSize?: number;
  validationSplit: number;
  earlyStopping?: number;
  seed: number;
  backend?: string;
  dataset: 'mnist' | 'fashion-mnist';
  dataDir?: string;
  out?: string;
  trainSamples?: number;
  testSamples?: number;
  verify: boolean;
  download: boolean;
}

/** The `train` flags, shared with `sweep`. */
export function addTrainOptions(cmd: Command): Command {
  return cmd
    .option('--model <kind>', 'mlp or cnn', oneOf('--model', ['mlp', 'cnn'] as const), 'mlp')
    .option(
      '--hidden <sizes>',
      "hidden Dense sizes, comma-separated, or 'none' (default 512; cnn: 64)",
      hiddenSizes('--hidden'),
    )
    .option('--activation <name>', 'hidden activation', 'relu')
    .option('--dropout <rate>', 'dropout after each hidden layer', fraction('--dropout'), 0)
    .option('--batchnorm', 'BatchNormalization after each hidden Dense', false)
    .option('--optimizer <name>', 'sgd, rmsprop, adam, adagrad or adadelta', 'adam')
    .option(
      '--lr <rate>',
      "learning rate (default: the optimizer's Keras default)",
      positiveNumber('--lr'),
    )
    .option('--momentum <m>', 'momentum for sgd / rmsprop', fraction('--momentum'))
    .option(
      '--loss <name>',
      'categorical_crossentropy, sparse_categorical_crossentropy, ...',
      'categorical_crossentropy',
    )
    .option('--epochs <n>', 'epochs', positiveInt('--epochs'), 5)
    .option('--batch-size <n>', 'batch size (default 128; cnn: 64)', positiveInt('--batch-size'))
    .option(
      '--validation-split <f>',
      'hold out the last fraction of the training set',
      fraction('--validation-split'),
      0,
    )
    .option(
      '--early-stopping <patience>',
      'stop when val_loss has not improved for this many epochs',
      nonNegativeInt('--early-stopping'),
    )
    .option('--seed <n>', 'global random seed', nonNegativeInt('--seed'), 42)
    .option(
      '--backend <name>',
      'native, wasm or js (default: native when built; env MNIST_LAB_BACKEND)',
    )
    .option(
      '--dataset <name>',
      'mnist or fashion-mnist',
      oneOf('--dataset', ['mnist', 'fashion-mnist'] as const),
      'mnist',
    )
    .option('--data-dir <dir>', 'folder holding the IDX files')
    .option(
      '--train-samples <n>',
      'train on the first N images only',
      positiveInt('--train-samples'),
    )
    .option('--test-samples <n>', 'test on the first N images only', positiveInt('--test-samples'))
    .option('--no-download', 'never download the dataset; fail if no local copy exists')
    .option('--no-verify', "skip the data files' SHA-256 check (intentionally different data)");
}

/** Data-loading options from the flags. */
export function dataOptions(flags: Pick<TrainFlags, 'dataDir' | 'verify' | 'download'>) {
  return {
    ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
    ...(flags.verify === false ? { verify: false } : {}),
    ...(flags.download === false ? { download: false } : {}),
  };
}

/** Flags `train --resume` accepts: the rest come from the run's config.json. */
const RESUME_FLAGS = new Set([
  'resume',
  'verbose',
  'dataDir',
  'verify',
  'download',
  'checkpointEvery',
]);

/** Checks flag combinations and names, and fills the model's defaults. */
export function specFromFlags(flags: TrainFlags): TrainSpec {
  const base = defaultSpec(flags.model);
  getActivation(flags.activation);
  getLoss(flags.loss);
  const opt = flags.optimizer.toLowerCase();
  getOptimizer(opt);
  if (flags.momentum !== undefined && !['sgd', 'rmsprop'].includes(opt)) {
    throw new Error(`--momentum applies to sgd and rmsprop, not ${flags.optimizer}.`);
  }
  if (flags.earlyStopping !== undefined && flags.validationSplit === 0) {
    throw new Error('--early-stopping watches val_loss: add --validation-split (e.g. 0.1).');
  }
  return {
    ...base,
    hidden: flags.hidden ?? base.hidden,
    activation: flags.activation,
    dropout: flags.dropout,
    batchnorm: flags.batchnorm,
    optimizer: opt,
    ...(flags.lr !== undefined ? { lr: flags.lr } : {}),
    ...(flags.momentum !== undefined ? { momentum: flags.momentum } : {}),
    loss: flags.loss,
    epochs: flags.epochs,
    batchSize: flags.batchSize ?? base.batchSize,
    validationSplit: flags.validationSplit,
    ...(flags.earlyStopping !== undefined ? { earlyStopping: flags.earlyStopping } : {}),
    seed: flags.seed,
    dataset: flags.dataset,
  };
}

export function trainCommand(): Command {
  return addTrainOptions(
    new Command('train').description(
      'Train a model on MNIST (default: the seed notebook MLP, 784-512-10, Adam, 5 epochs)',
    ),
  )
    .option('--out <dir>', 'run folder (default ./runs/<id>, a new one)')
    .option('--resume <dir>', 'continue an interrupted run from its last checkpoint')
    .option('--overwrite', 'replace the run --out holds', false)
    .option(
      '--checkpoint-every <n>',
      'checkpoint every N epochs (train --resume continues from the last)',
      positiveInt('--checkpoint-every'),
      1,
    )
    .option(
      '--verbose <level>',
      '0 silent, 1 progress bar, 2 one line per epoch',
      oneOf('--verbose', ['0', '1', '2'] as const),
      '1',
    )
    .action(async function (
      this: Command,
      flags: TrainFlags & {
        verbose: string;
        resume?: string;
        overwrite: boolean;
        checkpointEvery: number;
      },
    ) {
      // Every flag combination is checked here, before any data loads.
      if (flags.resume !== undefined) {
        const extra = Object.keys(flags).filter(
          (k) => this.getOptionValueSource(k) === 'cli' && !RESUME_FLAGS.has(k),
        );
        if (extra.length > 0) {
          const opt = this.options.find((o) => o.attributeName() === extra[0]);
          throw new Error(
            `train --resume takes the run's settings from its config.json; drop ${opt?.long ?? extra[0]}.`,
          );
        }
      }
      if (flags.overwrite && flags.out === undefined) {
        throw new Error('--overwrite replaces the run in --out: add --out DIR.');
      }
      const resumed = flags.resume !== undefined ? await readRunConfig(flags.resume) : undefined;
      const backend = resumed ? resumed.backend : flags.backend;
      if (backend !== undefined) setBackend(backend);
      const spec = resumed ? resumed.spec : specFromFlags(flags);
      const trainSamples = resumed ? resumed.trainSamples : flags.trainSamples;
      const testSamples = resumed ? resumed.testSamples : flags.testSamples;
      const outDir = flags.resume ?? flags.out;
      try {
        await trainRun(spec, {
          ...(outDir !== undefined ? { outDir } : {}),
          ...(resumed ? { resume: true } : {}),
          ...(flags.overwrite ? { overwrite: true } : {}),
          checkpointEvery: flags.checkpointEvery,
          handleSignals: true,
          data: dataOptions(flags),
          ...(trainSamples !== undefined ? { trainSamples } : {}),
          ...(testSamples !== undefined ? { testSamples } : {}),
          verbose: Number(flags.verbose) as 0 | 1 | 2,
        });
      } catch (e) {
        if (!(e instanceof TrainInterruptedError)) throw e;
        console.error(e.message);
        process.exitCode = 130;
      }
    });
}
