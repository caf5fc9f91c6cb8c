import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { BatchNormalization } from './batch-normalization.js';
import { runLayerTest } from './layer-test-helper.test.js';

test('BatchNormalization passes the shared layer test over [N, C]', () => {
  runLayerTest({
    make: (dtype) => new BatchNormalization({ dtype }),
    inputShape: [6, 4],
    expectedOutputShape: [null, 4],
    expectedTrainable: 2,
    expectedNonTrainable: 2,
  });
});

test('BatchNormalization passes the shared layer test over [N, H, W, C]', () => {
  runLayerTest({
    make: (dtype) => new BatchNormalization({ dtype, momentum: 0.9 }),
    inputShape: [2, 3, 3, 2],
    expectedOutputShape: [null, 3, 3, 2],
    expectedTrainable: 2,
    expectedNonTrainable: 2,
  });
});

test('BatchNormalization without center/scale, on axis 1', () => {
  runLayerTest({
    make: (dtype) => new BatchNormalization({ dtype, axis: 1, center: false, scale: false }),
    inputShape: [3, 2, 4],
    expectedOutputShape: [null, 2, 4],
    expectedTrainable: 0,
    expectedNonTrainable: 2,
  });
});

test('training normalises with batch statistics and updates the moving averages (Keras rule)', () => {
  const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  // Feature 0: [1, 3] mean 2 var 1; feature 1: [10, 10] mean 10 var 0.
  const x = new Tensor(Float64Array.from([1, 10, 3, 10]), [2, 2]);
  const y = bn.apply(x, { training: true });
  const s = 1 / Math.sqrt(1 + 1e-3);
  const expected = [-s, 0, s, 0];
  Array.from(y.values).forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6));
  // moving = moving * 0.9 + batch * 0.1, from mean 0 / variance 1 (biased batch variance).
  const mm = Array.from(bn.movingMean!.values);
  const mv = Array.from(bn.movingVariance!.values);
  [0.2, 1].forEach((v, i) => assert.ok(Math.abs(mm[i]! - v) < 1e-6, `moving mean ${mm}`));
  [1, 0.9].forEach((v, i) => assert.ok(Math.abs(mv[i]! - v) < 1e-6, `moving var ${mv}`));
  // Inference uses the moving statistics and leaves them alone.
  const yi = bn.apply(x, { training: false });
  assert.ok(Math.abs(yi.values[0]! - (1 - 0.2) / Math.sqrt(1 + 1e-3)) < 1e-6);
  assert.deepEqual(Array.from(bn.movingMean!.values), mm);
});

test('a frozen BatchNormalization runs in inference mode even when training', () => {
  const bn = new BatchNormalization();
  const x = new Tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]);
  bn.apply(x);
  bn.trainable = false;
  const y = bn.apply(x, { training: true });
  assert.deepEqual(Array.from(bn.movingMean!.values), [0, 0]);
  assert.ok(Math.abs(y.values[0]! - 1 / Math.sqrt(1 + 1e-3)) < 1e-6);
  assert.equal(bn.trainableWeights().length, 0);
  assert.equal(bn.nonTrainableWeights().length, 4);
});

test('BatchNormalization weight order and defaults follow Keras', () => {
  const bn = new BatchNormalization({ name: 'bn' });
  bn.apply(new Tensor(new Float32Array(6), [2, 3]));
  assert.deepEqual(
    bn.weights.map((w) => w.name),
    ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance'],
  );
  const c = bn.getConfig();
  assert.equal(c['momentum'], 0.99);
  assert.equal(c['epsilon'], 1e-3);
  assert.equal(c['axis'], -1);
});
