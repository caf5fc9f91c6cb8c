import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { BatchNormalization, Conv2D } from '../layers/index.js';
import { buildModelForDataset } from './build-model.js';
import { defaultSpec } from './model-spec.js';

test('cnn-bn: two conv blocks with BatchNormalization, then Dense with BatchNormalization', () => {
  const model = buildModelForDataset({ ...defaultSpec('cnn-bn'), dropout: 0.3 });
  const block = ['Conv2D', 'BatchNormalization', 'Activation'];
  assert.deepEqual(
    model.layers.map((l) => l.className),
    [
      ...block,
      ...block,
      'MaxPooling2D',
      ...block,
      ...block,
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
      'Dense',
    ],
  );
  assert.equal(model.countParams(), 468906);
  for (const l of model.layers) {
    if (l instanceof Conv2D) {
      assert.equal(l.getConfig()['padding'], 'same');
      assert.equal(l.getConfig()['useBias'], false);
    }
    // Short recipes need the moving statistics to forget their start (see BN_MOMENTUM).
    if (l instanceof BatchNormalization) assert.equal(l.getConfig()['momentum'], 0.9);
  }
});

test('the notebook models keep Keras-default BatchNormalization', () => {
  const model = buildModelForDataset({ ...defaultSpec('mlp'), batchnorm: true });
  const bn = model.layers.find((l) => l instanceof BatchNormalization)!;
  assert.equal(bn.getConfig()['momentum'], 0.99);
});

test('cnn-bn with filters and blockConvs: single-convolution blocks, no hidden Dense layer', () => {
  const model = buildModelForDataset({
    ...defaultSpec('cnn-bn'),
    filters: [32, 64, 128],
    blockConvs: 1,
    hidden: [],
  });
  const block = ['Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D'];
  assert.deepEqual(
    model.layers.map((l) => l.className),
    [...block, ...block, ...block, 'Flatten', 'Dense'],
  );
  // 3x3 kernels without bias, BN gamma/beta/mean/variance, then 3x3x128 -> 10.
  const convs = 9 * 1 * 32 + 9 * 32 * 64 + 9 * 64 * 128;
  const bn = 4 * (32 + 64 + 128);
  assert.equal(model.countParams(), convs + bn + 3 * 3 * 128 * 10 + 10);
  assert.equal(model.countParams(), 104874);
  const withDropout = buildModelForDataset({
    ...defaultSpec('cnn-bn'),
    filters: [16],
    hidden: [],
    dropout: 0.2,
  });
  assert.deepEqual(
    withDropout.layers.slice(-3).map((l) => l.className),
    ['Flatten', 'Dropout', 'Dense'],
  );
});
