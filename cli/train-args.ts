import { Command } from 'commander';
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

/** Flags a job may set. The machine's own choices (--data-dir, --backend, --out) are not among them. */
const JOB_FLAGS = new Set([
  'model',
  'hidden',
  'activation',
  'dropout',
  'batchnorm',
  'optimizer',
  'lr',
  'momentum',
  'loss',
  'epochs',
  'batch-size',
  'validation-split',
  'early-stopping',
  'seed',
  'dataset',
  'train-samples',
  'test-samples',
]);

const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 200;

/** The `train` flags that reproduce a run exactly (numbers print as the shortest round-trip form). */
export function trainArgs(run: RunArgs): string[] {
  const s = run.spec;
  const args = [
    ...['--model', s.model],
    ...['--hidden', s.hidden.length ? s.hidden.join(',') : 'none'],
    ...['--activation', s.activation],
    ...['--dropout', String(s.dropout)],
    ...(s.batchnorm ? ['--batchnorm'] : []),
    ...['--optimizer', s.optimizer],
    ...(s.lr !== undefined ? ['--lr', String(s.lr)] : []),
    ...(s.momentum !== undefined ? ['--momentum', String(s.momentum)] : []),
    ...['--loss', s.loss],
    ...['--epochs', String(s.epochs)],
    ...['--batch-size', String(s.batchSize)],
    ...['--validation-split', String(s.validationSplit)],
    ...(s.earlyStopping !== undefined ? ['--early-stopping', String(s.earlyStopping)] : []),
    ...['--seed', String(s.seed)],
    ...['--dataset', s.dataset],
    ...(run.trainSamples !== undefined ? ['--train-samples', String(run.trainSamples)] : []),
    ...(run.testSamples !== undefined ? ['--test-samples', String(run.testSamples)] : []),
  ];
  // A plan whose spec does not survive the trip would train something else on the worker.
  const back = parseTrainArgs(args);
  if (JSON.stringify(back.spec) !== JSON.stringify(s)) {
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
