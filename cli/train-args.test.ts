import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSpec, type TrainSpec } from '../src/experiments/model-spec.js';
import { parseTrainArgs, trainArgs } from './train-args.js';

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
  ];
  for (const spec of specs) {
    const args = trainArgs({ spec, trainSamples: 1500 });
    assert.deepEqual(parseTrainArgs(args), { spec, trainSamples: 1500 });
  }
});

test("a job's flags are checked by the train command's parsers, and only run flags pass", () => {
  const cases: [unknown, RegExp][] = [
    ['--epochs 2', /a list of at most 64 strings/],
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
