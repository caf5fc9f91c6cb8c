import { Command } from 'commander';
import { defaultSpec, type TrainSpec } from '../../src/experiments/model-spec.js';
import { getActivation } from '../../src/activations/index.js';
import { getLoss } from '../../src/losses/index.js';
import { getOptimizer } from '../../src/optimizers/index.js';
import { setBackend } from '../../src/kernels/registry.js';
import { trainRun } from '../../node/experiments/train-run.js';
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
    .option('--backend <name>', 'native or js (default: native when built; env MNIST_LAB_BACKEND)')
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
    .option('--test-samples <n>', 'test on the first N images only', positiveInt('--test-samples'));
}

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
    .option('--out <dir>', 'run folder (default ./runs/<id>)')
    .option(
      '--verbose <level>',
      '0 silent, 1 progress bar, 2 one line per epoch',
      oneOf('--verbose', ['0', '1', '2'] as const),
      '1',
    )
    .option('--json', 'print the result as one JSON object on stdout, and nothing else', false)
    .action(async (flags: TrainFlags & { verbose: string; json: boolean }, cmd: Command) => {
      if (flags.backend !== undefined) setBackend(flags.backend);
      const spec = specFromFlags(flags);
      // --json keeps stdout for the result: no progress bar unless asked for (it goes to stdout).
      const explicit = cmd.getOptionValueSource('verbose') === 'cli';
      const verbose = flags.json && !explicit ? 0 : (Number(flags.verbose) as 0 | 1 | 2);
      const result = await trainRun(spec, {
        ...(flags.out !== undefined ? { outDir: flags.out } : {}),
        ...(flags.dataDir !== undefined ? { data: { dataDir: flags.dataDir } } : {}),
        ...(flags.trainSamples !== undefined ? { trainSamples: flags.trainSamples } : {}),
        ...(flags.testSamples !== undefined ? { testSamples: flags.testSamples } : {}),
        verbose,
        ...(verbose === 0 || flags.json ? { print: () => {} } : {}),
      });
      if (flags.json) console.log(JSON.stringify(result));
    });
}
