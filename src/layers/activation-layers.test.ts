import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Activation } from './activation.js';
import { ELU } from './elu.js';
import { runLayerTest } from './layer-test-helper.test.js';
import { LeakyReLU } from './leaky-relu.js';
import { Softmax } from './softmax.js';

for (const activation of [
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'softplus',
  'softmax',
  'elu',
  'leakyRelu',
  'linear',
]) {
  test(`Activation('${activation}') passes the shared layer test`, () => {
    runLayerTest({
      make: (dtype) => new Activation({ activation, dtype }),
      inputShape: [3, 4],
      expectedOutputShape: [null, 4],
      inputRange: activation === 'relu6' ? [-3, 9] : [-2, 2],
    });
  });
}

test('LeakyReLU (layer default slope 0.3), ELU and Softmax pass the shared layer test', () => {
  runLayerTest({
    make: (dtype) => new LeakyReLU({ dtype }),
    inputShape: [2, 3],
    expectedOutputShape: [null, 3],
  });
  runLayerTest({
    make: (dtype) => new ELU({ alpha: 0.5, dtype }),
    inputShape: [2, 3],
    expectedOutputShape: [null, 3],
  });
  runLayerTest({
    make: (dtype) => new Softmax({ dtype }),
    inputShape: [2, 3],
    expectedOutputShape: [null, 3],
  });
  runLayerTest({
    make: (dtype) => new Softmax({ axis: 1, dtype }),
    inputShape: [2, 3, 4],
    expectedOutputShape: [null, 3, 4],
  });
});

test('LeakyReLU slope defaults: layer 0.3, activation function 0.2 (Keras 3)', () => {
  const x = new Tensor(Float32Array.from([-1, 2]), [1, 2]);
  assert.ok(Math.abs(new LeakyReLU().apply(x).values[0]! + 0.3) < 1e-7);
  assert.ok(Math.abs(new LeakyReLU({ alpha: 0.1 }).apply(x).values[0]! + 0.1) < 1e-7);
  assert.ok(
    Math.abs(new Activation({ activation: 'leaky_relu' }).apply(x).values[0]! + 0.2) < 1e-7,
  );
});

test('Softmax over a non-last axis sums to one along it', () => {
  const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]);
  const y = new Softmax({ axis: 1 }).apply(x);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(y.values[j]! + y.values[3 + j]! - 1) < 1e-6);
});
