import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getTrainPreset } from '../../src/experiments/train-presets.js';
import { speedrunFlopsPerSample, speedrunRecipe } from './speedrun.js';

test('the PyTorch speedrun gets the train preset as numbers', () => {
  const flags = getTrainPreset('speedrun').flags;
  const r = speedrunRecipe();
  assert.deepEqual(r.filters, flags['filters']!.split(',').map(Number));
  assert.equal(r.epochs, Number(flags['epochs']));
  assert.equal(r.batchSize, Number(flags['batch-size']));
  assert.equal(r.lr, Number(flags['lr']));
  assert.equal(r.warmupEpochs, Number(flags['lr-warmup-epochs']));
  assert.equal(r.labelSmoothing, Number(flags['label-smoothing']));
});

test('a speedrun preset the PyTorch script cannot rebuild is refused, not run differently', () => {
  const flags = getTrainPreset('speedrun').flags;
  assert.throws(() => speedrunRecipe({ ...flags, 'block-convs': '2', augment: 'true' }), {
    message: /does not model --augment/,
  });
  assert.throws(() => speedrunRecipe({ ...flags, hidden: '128' }), {
    message: /models --hidden none, the preset has 128/,
  });
  assert.throws(() => speedrunRecipe({ ...flags, optimizer: 'sgd' }), {
    message: /models --optimizer adamw/,
  });
});

test('useful FLOP per training sample of the speedrun network (32-64-128, one conv a block)', () => {
  const r = { ...speedrunRecipe(), filters: [32, 64, 128], blockConvs: 1 };
  const conv1 = 2 * 28 * 28 * 32 * 9 * 1 * 2; // no input gradient for the images
  const conv2 = 2 * 14 * 14 * 64 * 9 * 32 * 3;
  const conv3 = 2 * 7 * 7 * 128 * 9 * 64 * 3;
  const dense = 2 * 3 * 3 * 128 * 10 * 3;
  assert.equal(speedrunFlopsPerSample(r), conv1 + conv2 + conv3 + dense);
  assert.equal(speedrunFlopsPerSample(r), 44_324_352);
});
