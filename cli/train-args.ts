import { Command } from 'commander';
import { isDeepStrictEqual } from 'node:util';
import type { TrainSpec } from '../src/experiments/model-spec.js';
import { addTrainOptions, specFromFlags } from './commands/train.js';

/**
 * A run as `train` flags: what a queued sweep job carries, so a worker checks it with the very
 * parsers `mnist-lab train` uses, and nothing in a job is more than data.
 */
export interface RunArgs {
  spec: TrainSpec;
  trainSamples?: number;
  testSamples?: number;
}

/** How one TrainSpec field travels as `train` flags: the flags it may use, and its value as them. */
interface FieldFlags<V> {
  flags: readonly string[];
  args: (value: V) => string[];
}

const num = (flag: string) => ({
  flags: [flag],
  args: (v: number): string[] => [`--${flag}`, String(v)],
});
const word = <T extends string>(flag: string) => ({
  flags: [flag],
  args: (v: T): string[] => [`--${flag}`, v],
});
const list = (flag: string) => ({
  flags: [flag],
  args: (v: number[]): string[] => [`--${flag}`, v.join(',')],
});

/**
 * Every TrainSpec field as `train` flags, in the order a job lists them. Exhaustive by type: a
 * field added to TrainSpec does not compile until it travels to queued workers too.
 */
const SPEC_FLAGS: { [K in keyof TrainSpec]-?: FieldFlags<Exclude<TrainSpec[K], undefined>> } = {
  model: word('model'),
  hidden: { flags: ['hidden'], args: (v) => ['--hidden', v.length ? v.join(',') : 'none'] },
  filters: list('filters'),
  blockConvs: num('block-convs'),
  activation: word('activation'),
  dropout: num('dropout'),
  batchnorm: { flags: ['batchnorm'], args: (v) => (v ? ['--batchnorm'] : []) },
  optimizer: word('optimizer'),
  lr: num('lr'),
  momentum: num('momentum'),
  loss: word('loss'),
  epochs: num('epochs'),
  batchSize: num('batch-size'),
  validationSplit: num('validation-split'),
  holdout: { flags: ['holdout'], args: (v) => ['--holdout', `${v.where}:${v.count}`] },
  earlyStopping: num('early-stopping'),
  lrSchedule: {
    flags: [
      'lr-schedule',
      'lr-decay-rate',
      'lr-decay-epochs',
      'lr-staircase',
      'lr-alpha',
      'lr-warmup-epochs',
      'lr-boundaries',
      'lr-values',
    ],
    args: (v) => {
      const kind = ['--lr-schedule', v.kind];
      switch (v.kind) {
        case 'exponential':
          return [
            ...kind,
            ...['--lr-decay-rate', String(v.decayRate)],
            ...['--lr-decay-epochs', String(v.decayEpochs)],
            ...(v.staircase ? ['--lr-staircase'] : []),
          ];
        case 'cosine':
          return [
            ...kind,
            ...['--lr-alpha', String(v.alpha)],
            ...['--lr-warmup-epochs', String(v.warmupEpochs)],
          ];
        case 'piecewise':
          return [
            ...kind,
            ...['--lr-boundaries', v.boundaries.join(',')],
            ...['--lr-values', v.values.join(',')],
          ];
      }
    },
  },
  reduceLrOnPlateau: {
    flags: ['reduce-lr-on-plateau', 'reduce-lr-factor', 'min-lr'],
    args: (v) => [
      ...['--reduce-lr-on-plateau', String(v.patience)],
      ...['--reduce-lr-factor', String(v.factor)],
      ...['--min-lr', String(v.minLr)],
    ],
  },
  labelSmoothing: num('label-smoothing'),
  weightDecay: num('weight-decay'),
  // Each transform spelled out (not --augment's defaults), so a worker builds exactly this.
  augment: {
    flags: [
      'augment',
      'augment-translate',
      'augment-rotate',
      'augment-zoom',
      'augment-flip',
      'augment-contrast',
      'augment-fill',
    ],
    args: (v) => [
      ...['--augment-translate', String(v.translate)],
      ...['--augment-rotate', String(v.rotate)],
      ...['--augment-zoom', String(v.zoom)],
      ...['--augment-flip', v.flip],
      ...['--augment-contrast', String(v.contrast)],
      ...['--augment-fill', v.fill],
    ],
  },
  seed: num('seed'),
  dataset: word('dataset'),
};

/**
 * Flags a job may set: the spec's, and the data slice. The machine's own choices (--data-dir,
 * --backend, --out, --no-verify, --no-download) are not among them.
 */
export const JOB_FLAGS: ReadonlySet<string> = new Set([
  ...Object.values(SPEC_FLAGS).flatMap((f) => f.flags),
  'train-samples',
  'test-samples',
]);

// Room for every flag of the largest spec (about 65 strings) and no more than twice that.
const MAX_ARGS = 128;
const MAX_ARG_LENGTH = 200;

/** The `train` flags that reproduce a run exactly (numbers print as the shortest round-trip form). */
export function trainArgs(run: RunArgs): string[] {
  const s = run.spec;
  const args: string[] = [];
  for (const key of Object.keys(SPEC_FLAGS) as (keyof TrainSpec)[]) {
    const value = s[key];
    if (value === undefined) continue;
    args.push(...(SPEC_FLAGS[key].args as (v: unknown) => string[])(value));
  }
  if (run.trainSamples !== undefined) args.push('--train-samples', String(run.trainSamples));
  if (run.testSamples !== undefined) args.push('--test-samples', String(run.testSamples));
  // A plan whose spec does not survive the trip would train something else on the worker.
  const back = parseTrainArgs(args);
  if (!isDeepStrictEqual(back.spec, s)) {
    throw new Error(`the run's settings do not round-trip through train flags: ${args.join(' ')}`);
  }
  return args;
}

/**
 * Parses a job's `train` flags with the train command's own parsers and checks; throws one line
 * saying what is wrong. Untrusted input: bounded, and only the flags in JOB_FLAGS.
 */
export function parseTrainArgs(args: unknown): RunArgs {
  if (!Array.isArray(args) || args.length > MAX_ARGS) {
    throw new Error(`the run's flags must be a list of at most ${MAX_ARGS} strings.`);
  }
  for (const a of args as unknown[]) {
    if (typeof a !== 'string' || a.length > MAX_ARG_LENGTH) {
      throw new Error(
        `each of the run's flags must be a string of at most ${MAX_ARG_LENGTH} characters.`,
      );
    }
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '').split('=')[0]!;
      if (!JOB_FLAGS.has(name)) throw new Error(`'${a}' is not a flag a queued run may set.`);
    }
  }
  const cmd = addTrainOptions(new Command('run'))
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    cmd.parse(args as string[], { from: 'user' });
  } catch (e) {
    throw new Error((e as Error).message.replace(/^error: /, ''));
  }
  const flags = cmd.opts() as Parameters<typeof specFromFlags>[0];
  return {
    spec: specFromFlags(flags),
    ...(flags.trainSamples !== undefined ? { trainSamples: flags.trainSamples } : {}),
    ...(flags.testSamples !== undefined ? { testSamples: flags.testSamples } : {}),
  };
}
