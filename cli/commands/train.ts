import { Command } from 'commander';
import {
  augments,
  defaultSpec,
  MNIST_AUGMENT,
  MODEL_KINDS,
  NO_AUGMENT,
  type AugmentSpec,
  type HoldoutSpec,
  type ModelKind,
  type LrScheduleSpec,
  type TrainSpec,
} from '../../src/experiments/model-spec.js';
import { getActivation } from '../../src/activations/index.js';
import { getLoss } from '../../src/losses/index.js';
import { getOptimizer, OPTIMIZER_NAMES } from '../../src/optimizers/index.js';
import { setBackend } from '../../src/kernels/registry.js';
import { BACKEND_NAMES } from '../../node/backend-names.js';
import {
  readRunConfig,
  trainRun,
  TrainInterruptedError,
} from '../../node/experiments/train-run.js';
import {
  getTrainPreset,
  TRAIN_PRESETS,
  type TrainPreset,
} from '../../src/experiments/train-presets.js';
import {
  fraction,
  hiddenSizes,
  holdout,
  intList,
  nonNegativeInt,
  nonNegativeNumber,
  oneOf,
  positiveInt,
  positiveNumber,
  positiveNumberList,
  asUsage,
  UsageError,
} from '../parse.js';

interface TrainFlags {
  model: ModelKind;
  hidden?: number[];
  filters?: number[];
  blockConvs?: number;
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
  holdout?: HoldoutSpec;
  lrSchedule?: LrScheduleSpec['kind'];
  lrDecayRate?: number;
  lrDecayEpochs?: number;
  lrStaircase?: boolean;
  lrAlpha?: number;
  lrWarmupEpochs?: number;
  lrBoundaries?: number[];
  lrValues?: number[];
  reduceLrOnPlateau?: number;
  reduceLrFactor?: number;
  minLr?: number;
  labelSmoothing?: number;
  weightDecay?: number;
  augment?: boolean;
  augmentTranslate?: number;
  augmentRotate?: number;
  augmentZoom?: number;
  augmentFlip?: AugmentSpec['flip'];
  augmentContrast?: number;
  augmentFill?: AugmentSpec['fill'];
}

/** The `train` flags, shared with `sweep`. */
export function addTrainOptions(cmd: Command): Command {
  return cmd
    .option('--model <kind>', 'mlp, cnn or cnn-bn', oneOf('--model', MODEL_KINDS), 'mlp')
    .option(
      '--hidden <sizes>',
      "hidden Dense sizes, comma-separated, or 'none' (default 512; cnn: 64; cnn-bn: 128)",
      hiddenSizes('--hidden'),
    )
    .option(
      '--filters <list>',
      'cnn-bn: filters of each max-pooled conv block, e.g. 32,64,128 (32,64)',
      intList('--filters'),
    )
    .option(
      '--block-convs <n>',
      'cnn-bn: 3x3 convolutions per block (2)',
      positiveInt('--block-convs'),
    )
    .option('--activation <name>', 'hidden activation', 'relu')
    .option('--dropout <rate>', 'dropout after each hidden layer', fraction('--dropout'), 0)
    .option('--batchnorm', 'BatchNormalization after each hidden Dense', false)
    .option('--optimizer <name>', orList(OPTIMIZER_NAMES.map((n) => n.toLowerCase())), 'adam')
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
      '--holdout <first:N|last:N>',
      'hold out the first or last N training images for validation (seed 003: first:10000)',
      holdout('--holdout'),
    )
    .option(
      '--early-stopping <patience>',
      'stop when val_loss has not improved for this many epochs',
      nonNegativeInt('--early-stopping'),
    )
    .option(
      '--lr-schedule <kind>',
      'exponential, cosine or piecewise (per step; --lr is the peak)',
      oneOf('--lr-schedule', ['exponential', 'cosine', 'piecewise'] as const),
    )
    .option(
      '--lr-decay-rate <r>',
      'exponential: factor per --lr-decay-epochs (0.9)',
      positiveNumber('--lr-decay-rate'),
    )
    .option(
      '--lr-decay-epochs <e>',
      'exponential: epochs per factor (1)',
      positiveNumber('--lr-decay-epochs'),
    )
    .option('--lr-staircase', 'exponential: decay in whole periods')
    .option(
      '--lr-alpha <a>',
      'cosine: final rate as a fraction of the peak (0)',
      fraction('--lr-alpha'),
    )
    .option(
      '--lr-warmup-epochs <e>',
      'cosine: linear warm-up from 0 over these epochs (0)',
      nonNegativeNumber('--lr-warmup-epochs'),
    )
    .option(
      '--lr-boundaries <epochs>',
      'piecewise: epochs after which the rate changes, e.g. 3,6',
      intList('--lr-boundaries'),
    )
    .option(
      '--lr-values <rates>',
      'piecewise: one more rate than boundaries, e.g. 0.01,0.001,0.0001',
      positiveNumberList('--lr-values'),
    )
    .option(
      '--reduce-lr-on-plateau <patience>',
      'ReduceLROnPlateau: cut the rate when val_loss (loss without validation) stalls',
      nonNegativeInt('--reduce-lr-on-plateau'),
    )
    .option(
      '--reduce-lr-factor <f>',
      'ReduceLROnPlateau factor (0.1)',
      fraction('--reduce-lr-factor'),
    )
    .option('--min-lr <lr>', 'ReduceLROnPlateau floor (0)', nonNegativeNumber('--min-lr'))
    .option(
      '--label-smoothing <s>',
      'smooth the targets of categorical / binary cross-entropy (0)',
      fraction('--label-smoothing'),
    )
    .option(
      '--weight-decay <wd>',
      "adamw: decoupled weight decay (Keras's 0.004)",
      nonNegativeNumber('--weight-decay'),
    )
    .option(
      '--augment',
      'augment the training images (Keras Random* layers, training only): translate 0.1, rotate 10, zoom 0.1, no flip',
    )
    .option(
      '--augment-translate <f>',
      'RandomTranslation: shift by up to this fraction of the size (0 = off)',
      fraction('--augment-translate'),
    )
    .option(
      '--augment-rotate <degrees>',
      'RandomRotation: turn by up to this many degrees either way (0 = off)',
      fraction('--augment-rotate', 0, 180),
    )
    .option(
      '--augment-zoom <f>',
      'RandomZoom: zoom in or out by up to this fraction (0 = off)',
      fraction('--augment-zoom'),
    )
    .option(
      '--augment-flip <mode>',
      'RandomFlip: horizontal, vertical, horizontal_and_vertical or none (never for digits)',
      oneOf('--augment-flip', [
        'none',
        'horizontal',
        'vertical',
        'horizontal_and_vertical',
      ] as const),
    )
    .option(
      '--augment-contrast <f>',
      'RandomContrast: scale contrast by 1 +- up to this fraction (0 = off)',
      fraction('--augment-contrast'),
    )
    .option(
      '--augment-fill <mode>',
      "fill_mode of the warps: constant (black, default), reflect (Keras's default), wrap or nearest",
      oneOf('--augment-fill', ['constant', 'reflect', 'wrap', 'nearest'] as const),
    )
    .option('--seed <n>', 'global random seed', nonNegativeInt('--seed'), 42)
    .option(
      '--backend <name>',
      `${BACKEND_NAMES.join(', ')} (default: native when built; env MNIST_LAB_BACKEND)`,
      oneOf('--backend', BACKEND_NAMES),
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
  'json',
  'dataDir',
  'verify',
  'download',
  'checkpointEvery',
]);

/** The --lr-schedule flags as a schedule spec; each parameter flag needs its schedule. */
function scheduleFromFlags(flags: TrainFlags): LrScheduleSpec | undefined {
  const owners: [unknown, string, LrScheduleSpec['kind']][] = [
    [flags.lrDecayRate, '--lr-decay-rate', 'exponential'],
    [flags.lrDecayEpochs, '--lr-decay-epochs', 'exponential'],
    [flags.lrStaircase, '--lr-staircase', 'exponential'],
    [flags.lrAlpha, '--lr-alpha', 'cosine'],
    [flags.lrWarmupEpochs, '--lr-warmup-epochs', 'cosine'],
    [flags.lrBoundaries, '--lr-boundaries', 'piecewise'],
    [flags.lrValues, '--lr-values', 'piecewise'],
  ];
  for (const [value, flag, kind] of owners) {
    if (value !== undefined && flags.lrSchedule !== kind) {
      throw new UsageError(`${flag} applies to --lr-schedule ${kind}.`);
    }
  }
  switch (flags.lrSchedule) {
    case undefined:
      return undefined;
    case 'exponential':
      return {
        kind: 'exponential',
        decayRate: flags.lrDecayRate ?? 0.9,
        decayEpochs: flags.lrDecayEpochs ?? 1,
        staircase: flags.lrStaircase ?? false,
      };
    case 'cosine': {
      const warmupEpochs = flags.lrWarmupEpochs ?? 0;
      if (warmupEpochs >= flags.epochs) {
        throw new UsageError(
          `--lr-warmup-epochs (${warmupEpochs}) must be below --epochs (${flags.epochs}).`,
        );
      }
      return { kind: 'cosine', alpha: flags.lrAlpha ?? 0, warmupEpochs };
    }
    case 'piecewise': {
      const b = flags.lrBoundaries;
      const v = flags.lrValues;
      if (!b || !v) {
        throw new UsageError(
          '--lr-schedule piecewise needs --lr-boundaries (epochs) and --lr-values (rates), e.g. 3,6 and 0.01,0.001,0.0001.',
        );
      }
      if (v.length !== b.length + 1) {
        throw new UsageError(
          `--lr-values needs one more rate than --lr-boundaries has epochs: got ${v.length} and ${b.length}.`,
        );
      }
      if (b.some((e, i) => i > 0 && e <= b[i - 1]!)) {
        throw new UsageError(`--lr-boundaries must increase, got ${b.join(',')}.`);
      }
      if (flags.lr !== undefined) {
        throw new UsageError(
          '--lr-schedule piecewise takes its rates from --lr-values: drop --lr.',
        );
      }
      return { kind: 'piecewise', boundaries: b, values: v };
    }
  }
}

/**
 * The augmentation of the flags: --augment's MNIST defaults, each overridden by its own flag;
 * without --augment, only the transforms named by a flag. Undefined when nothing augments.
 */
function augmentFromFlags(flags: TrainFlags): AugmentSpec | undefined {
  const a: AugmentSpec = { ...(flags.augment ? MNIST_AUGMENT : NO_AUGMENT) };
  if (flags.augmentTranslate !== undefined) a.translate = flags.augmentTranslate;
  if (flags.augmentRotate !== undefined) a.rotate = flags.augmentRotate;
  if (flags.augmentZoom !== undefined) a.zoom = flags.augmentZoom;
  if (flags.augmentFlip !== undefined) a.flip = flags.augmentFlip;
  if (flags.augmentContrast !== undefined) a.contrast = flags.augmentContrast;
  if (flags.augmentFill !== undefined) a.fill = flags.augmentFill;
  if (!augments(a)) {
    if (flags.augmentFill !== undefined) {
      throw new UsageError('--augment-fill applies to --augment or one of its transforms.');
    }
    return undefined;
  }
  return a;
}

/** 'a, b or c'. */
function orList(names: readonly string[], last = 'or'): string {
  return names.length < 2
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} ${last} ${names.at(-1)}`;
}

/** Checks flag combinations and names, and fills the model's defaults. */
export function specFromFlags(flags: TrainFlags): TrainSpec {
  const base = defaultSpec(flags.model);
  asUsage(() => getActivation(flags.activation));
  asUsage(() => getLoss(flags.loss));
  const opt = flags.optimizer.toLowerCase();
  const optimizer = asUsage(() => getOptimizer(opt));
  if (flags.momentum !== undefined && !('momentum' in optimizer.getConfig())) {
    const withMomentum = OPTIMIZER_NAMES.filter((n) => 'momentum' in getOptimizer(n).getConfig());
    throw new UsageError(
      `--momentum applies to ${orList(
        withMomentum.map((n) => n.toLowerCase()),
        'and',
      )}, not ${flags.optimizer}.`,
    );
  }
  if (flags.holdout !== undefined && flags.validationSplit > 0) {
    throw new UsageError('--holdout and --validation-split both pick validation images: give one.');
  }
  const validates = flags.validationSplit > 0 || flags.holdout !== undefined;
  if (flags.earlyStopping !== undefined && !validates) {
    throw new UsageError(
      '--early-stopping watches val_loss: add --validation-split (e.g. 0.1) or --holdout (e.g. last:10000).',
    );
  }
  const lrSchedule = scheduleFromFlags(flags);
  if (flags.reduceLrOnPlateau === undefined) {
    for (const [set, flag] of [
      [flags.reduceLrFactor, '--reduce-lr-factor'],
      [flags.minLr, '--min-lr'],
    ] as const) {
      if (set !== undefined) throw new UsageError(`${flag} applies to --reduce-lr-on-plateau.`);
    }
  } else if (lrSchedule) {
    // Keras cannot set a scheduled rate either.
    throw new UsageError('--reduce-lr-on-plateau and --lr-schedule both steer the rate: give one.');
  } else if (flags.reduceLrFactor === 0) {
    throw new UsageError('--reduce-lr-factor must be above 0.');
  }
  if (flags.labelSmoothing !== undefined && flags.labelSmoothing > 0) {
    const key = flags.loss.replace(/_/g, '').toLowerCase();
    if (key === 'sparsecategoricalcrossentropy') {
      throw new UsageError(
        "--label-smoothing: Keras's sparse_categorical_crossentropy has no label smoothing; use categorical_crossentropy (one-hot labels).",
      );
    }
    if (key !== 'categoricalcrossentropy' && key !== 'binarycrossentropy') {
      throw new UsageError(
        `--label-smoothing applies to categorical_crossentropy and binary_crossentropy, not ${flags.loss}.`,
      );
    }
  }
  if (flags.model !== 'cnn-bn') {
    for (const [set, flag] of [
      [flags.filters, '--filters'],
      [flags.blockConvs, '--block-convs'],
    ] as const) {
      if (set !== undefined) throw new UsageError(`${flag} applies to --model cnn-bn.`);
    }
  }
  if (flags.weightDecay !== undefined && opt !== 'adamw') {
    throw new UsageError(
      `--weight-decay is AdamW's: use --optimizer adamw (not ${flags.optimizer}).`,
    );
  }
  const augment = augmentFromFlags(flags);
  return {
    ...base,
    hidden: flags.hidden ?? base.hidden,
    ...(flags.filters !== undefined ? { filters: flags.filters } : {}),
    ...(flags.blockConvs !== undefined ? { blockConvs: flags.blockConvs } : {}),
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
    ...(flags.holdout !== undefined ? { holdout: flags.holdout } : {}),
    ...(lrSchedule ? { lrSchedule } : {}),
    ...(flags.reduceLrOnPlateau !== undefined
      ? {
          reduceLrOnPlateau: {
            patience: flags.reduceLrOnPlateau,
            factor: flags.reduceLrFactor ?? 0.1,
            minLr: flags.minLr ?? 0,
          },
        }
      : {}),
    ...(flags.labelSmoothing ? { labelSmoothing: flags.labelSmoothing } : {}),
    ...(flags.weightDecay !== undefined ? { weightDecay: flags.weightDecay } : {}),
    ...(augment ? { augment } : {}),
    seed: flags.seed,
    dataset: flags.dataset,
  };
}

/**
 * Both datasets have 60,000 training images (their files are pinned by checksum), so a hold-out
 * too large for them is caught before any data loads.
 */
export function checkHoldoutSize(spec: TrainSpec, trainSamples?: number): void {
  const n = Math.min(trainSamples ?? 60000, 60000);
  if (spec.holdout && spec.holdout.count >= n) {
    throw new UsageError(
      `--holdout ${spec.holdout.where}:${spec.holdout.count} leaves no training images: there are ${n}.`,
    );
  }
}

export function trainCommand(): Command {
  const cmd = addTrainOptions(
    new Command('train').description(
      'Train a model on MNIST (default: the seed notebook MLP, 784-512-10, Adam, 5 epochs)',
    ),
  )
    .option(
      '--preset <name>',
      `a training recipe (${TRAIN_PRESETS.map((p) => p.name).join(', ')}); flags given as well override it`,
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
    .option('--json', 'print the result as one JSON object on stdout, and nothing else', false);
  return cmd.action(
    async (
      flags: TrainFlags & {
        verbose: string;
        json: boolean;
        preset?: string;
        resume?: string;
        overwrite: boolean;
        checkpointEvery: number;
      },
    ) => {
      // Every flag combination is checked here, before any data loads.
      if (flags.resume !== undefined) {
        const extra = Object.keys(flags).filter(
          (k) => cmd.getOptionValueSource(k) === 'cli' && !RESUME_FLAGS.has(k),
        );
        if (extra.length > 0) {
          const opt = cmd.options.find((o) => o.attributeName() === extra[0]);
          throw new UsageError(
            `train --resume takes the run's settings from its config.json; drop ${opt?.long ?? extra[0]}.`,
          );
        }
      }
      if (flags.overwrite && flags.out === undefined) {
        throw new UsageError('--overwrite replaces the run in --out: add --out DIR.');
      }
      if (flags.preset !== undefined) applyPreset(cmd, flags, getTrainPreset(flags.preset));
      const resumed = flags.resume !== undefined ? await readRunConfig(flags.resume) : undefined;
      const backend = resumed ? resumed.backend : flags.backend;
      if (backend !== undefined) setBackend(backend);
      const spec = resumed ? resumed.spec : specFromFlags(flags);
      const trainSamples = resumed ? resumed.trainSamples : flags.trainSamples;
      const testSamples = resumed ? resumed.testSamples : flags.testSamples;
      checkHoldoutSize(spec, trainSamples);
      const outDir = flags.resume ?? flags.out;
      // --json keeps stdout for the result: no progress bar unless asked for (it goes to stdout).
      const explicit = cmd.getOptionValueSource('verbose') === 'cli';
      const verbose = flags.json && !explicit ? 0 : (Number(flags.verbose) as 0 | 1 | 2);
      try {
        const result = await trainRun(spec, {
          ...(outDir !== undefined ? { outDir } : {}),
          ...(resumed ? { resume: true } : {}),
          ...(flags.overwrite ? { overwrite: true } : {}),
          checkpointEvery: flags.checkpointEvery,
          handleSignals: true,
          data: dataOptions(flags),
          ...(trainSamples !== undefined ? { trainSamples } : {}),
          ...(testSamples !== undefined ? { testSamples } : {}),
          verbose,
          ...(verbose === 0 || flags.json ? { print: () => {} } : {}),
        });
        if (flags.json) console.log(JSON.stringify(result));
      } catch (e) {
        if (!(e instanceof TrainInterruptedError)) throw e;
        console.error(e.message);
        process.exitCode = 130;
      }
    },
  );
}

/** Sets the preset's flags that the command line did not give, parsed as if typed. */
function applyPreset(cmd: Command, flags: object, preset: TrainPreset): void {
  const target = flags as Record<string, unknown>;
  for (const [key, value] of Object.entries(preset.flags)) {
    const option = cmd.options.find((o) => o.long === `--${key}`);
    if (!option) throw new Error(`preset ${preset.name}: unknown flag --${key}.`);
    const name = option.attributeName();
    if (cmd.getOptionValueSource(name) === 'cli') continue;
    const isSwitch = !option.required && !option.optional;
    target[name] = isSwitch
      ? value === 'true'
      : option.parseArg
        ? option.parseArg(value, undefined as never)
        : value;
  }
}
