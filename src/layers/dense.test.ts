import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import * as ops from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Dense } from './dense.js';
import { runLayerTest } from './layer-test-helper.test.js';

for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'leaky_relu']) {
  test(`Dense passes the shared layer test (activation ${activation})`, () => {
    runLayerTest({
      make: (dtype) => new Dense({ units: 4, activation, dtype }),
      inputShape: [3, 5],
      expectedOutputShape: [null, 4],
      expectedTrainable: 2,
    });
  });
}

test('Dense without bias, and over a rank-3 input (applied to the last axis)', () => {
  runLayerTest({
    make: (dtype) => new Dense({ units: 3, useBias: false, dtype }),
    inputShape: [2, 4, 5],
    expectedOutputShape: [null, 4, 3],
    expectedTrainable: 1,
  });
});

test('Dense computes relu(x·W + b) with Keras weight names and shapes', () => {
  const d = new Dense({ units: 2, activation: 'relu', name: 'fc' });
  const x = new Tensor(Float32Array.from([1, 2, 3]), [1, 3]);
  d.apply(x);
  assert.deepEqual(d.kernel!.shape, [3, 2]);
  assert.deepEqual(d.bias!.shape, [2]);
  assert.deepEqual(
    d.weights.map((w) => w.name),
    ['fc/kernel', 'fc/bias'],
  );
  d.setWeights([Float32Array.from([1, -1, 0, -1, 1, -1]), Float32Array.from([0.5, 0])]);
  assert.deepEqual(Array.from((d.apply(x) as Tensor).values), [4.5, 0]);
});

test('softmax Dense output carries its logits for fused cross-entropy', () => {
  const d = new Dense({ units: 3, activation: 'softmax' });
  const y = d.apply(new Tensor(Float32Array.from([1, 2]), [1, 2]));
  const logits = ops.softmaxLogits(y);
  assert.ok(logits);
  assert.deepEqual(logits.shape, [1, 3]);
  const probs = ops.softmax(logits);
  assert.deepEqual(Array.from(probs.values), Array.from(y.values));
});

test('Dense rejects inputs whose feature size changed after building', () => {
  const d = new Dense({ units: 2 });
  d.apply(new Tensor(new Float32Array(6), [2, 3]));
  assert.throws(
    () => d.apply(new Tensor(new Float32Array(8), [2, 4])),
    /Input 0 of layer "dense.*" is incompatible.*expected axis -1 of input shape to have value 3/,
  );
});

test('Dense: bad units and unknown activation are clear errors', () => {
  assert.throws(() => new Dense({ units: 0 }), /units must be a positive integer/);
  assert.throws(
    () => new Dense({ units: 2, activation: 'swishy' }),
    /Unknown activation 'swishy'. Valid activations: .*'linear', 'relu'/,
  );
});

test('Dense kernel regularizer adds l2 * sum(W^2) to the regularization losses', () => {
  const d = new Dense({ units: 2, kernelRegularizer: 'l2', kernelInitializer: 'ones' });
  d.apply(new Tensor(new Float32Array(3), [1, 3]));
  const losses = d.regularizationLosses();
  assert.equal(losses.length, 1);
  assert.ok(Math.abs(losses[0]!.item() - 0.01 * 6) < 1e-7);
  d.trainable = false;
  assert.equal(d.regularizationLosses().length, 0);
  assert.equal(d.trainableWeights().length, 0);
  assert.equal(d.nonTrainableWeights().length, 2);
  assert.equal(d.kernel!.requiresGrad, false);
});
