import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSpec, type TrainSpec } from '../src/experiments/model-spec.js';
import { Command } from 'commander';
import { addTrainOptions } from './commands/train.js';
import { JOB_FLAGS, parseTrainArgs, trainArgs } from './train-args.js';

test('a run survives the trip through train flags exactly', () => {
  const specs: TrainSpec[] = [
    defaultSpec('mlp'),
    defaultSpec('cnn'),
    {
      ...defaultSpec('mlp'),
      hidden: [],
      optimizer: 'sgd',
      lr: 0.1 + 0.2, // not a short decimal
      momentum: 0.9,
      dropout: 0.25,
      batchnorm: true,
      validationSplit: 1 / 6,
      earlyStopping: 3,
      loss: 'sparse_categorical_crossentropy',
      dataset: 'fashion-mnist',
      seed: 7,
    },
    { ...defaultSpec('mlp'), hidden: [512, 256], activation: 'leaky_relu', lr: 1e-30 },
    // Every optional field: queued workers once lost --filters, --block-convs and augmentation.
    {
      ...defaultSpec('cnn-bn'),
      filters: [16, 32, 64],
      blockConvs: 3,
      augment: {
        translate: 0.1,
        rotate: 12.5,
        zoom: 0.05,
        flip: 'horizontal',
        contrast: 0.2,
        fill: 'reflect',
      },
      optimizer: 'adamw',
      weightDecay: 0.01,
      labelSmoothing: 0.1,
      holdout: { where: 'first', count: 1000 },
      earlyStopping: 2,
      lrSchedule: { kind: 'cosine', alpha: 0.01, warmupEpochs: 1 },
    },
    {
      ...defaultSpec('cnn'),
      augment: { translate: 0, rotate: 0, zoom: 0.1, flip: 'none', contrast: 0, fill: 'constant' },
      lrSchedule: { kind: 'exponential', decayRate: 0.5, decayEpochs: 2, staircase: true },
    },
    {
      ...defaultSpec('mlp'),
      lrSchedule: { kind: 'piecewise', boundaries: [2, 4], values: [0.01, 0.001, 1e-4] },
    },
    {
      ...defaultSpec('mlp'),
      validationSplit: 0.1,
      reduceLrOnPlateau: { patience: 2, factor: 0.5, minLr: 1e-6 },
    },
  ];
  for (const spec of specs) {
    const args = trainArgs({ spec, trainSamples: 1500 });
    assert.deepEqual(parseTrainArgs(args), { spec, trainSamples: 1500 });
  }
});

test('every train flag a local sweep honours is one a queued run may set', () => {
  // The machine's own choices stay with the worker.
  const machine = new Set(['backend', 'data-dir', 'verify', 'download']);
  const names = addTrainOptions(new Command()).options.map((o) => o.long!.replace(/^--(no-)?/, ''));
  assert.deepEqual(
    names.filter((n) => !machine.has(n) && !JOB_FLAGS.has(n)),
    [],
  );
  // --augment's defaults, as a sweep would plan them, reach the worker whole.
  for (const flags of [
    ['--augment'],
    ['--model', 'cnn-bn', '--filters', '8,16', '--block-convs', '1'],
  ]) {
    const { spec } = parseTrainArgs(flags);
    assert.deepEqual(parseTrainArgs(trainArgs({ spec })).spec, spec, flags.join(' '));
  }
});

test("a job's flags are checked by the train command's parsers, and only run flags pass", () => {
  const cases: [unknown, RegExp][] = [
    ['--epochs 2', /a list of at most 128 strings/],
    [[1, 2], /each of the run's flags must be a string/],
    [['--out', 'x'], /'--out' is not a flag a queued run may set/],
    [['--backend=js'], /'--backend=js' is not a flag a queued run may set/],
    [['-h'], /'-h' is not a flag a queued run may set/],
    [['--epochs', '0'], /--epochs takes a whole number >= 1, got '0'/],
    [['--model', 'rnn'], /--model must be one of mlp, cnn, cnn-bn; got 'rnn'/],
    [['--optimizer', 'nope'], /nope/],
    [['--momentum', '0.9'], /--momentum applies to sgd and rmsprop, not adam/],
    [['extra'], /too many arguments/],
    [['x'.repeat(201)], /at most 200 characters/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseTrainArgs(args), message, JSON.stringify(args));
  }
});
