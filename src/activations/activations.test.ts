import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { activationNames, getActivation } from './index.js';

test('every activation is differentiable by name (Keras and TF.js spellings)', () => {
  for (const name of [...activationNames(), 'leakyRelu']) {
    gradCheck(name, getActivation(name), [randomTensor([3, 4], 1, -2, 2)]);
  }
});

test('values at a few points', () => {
  const x = new Tensor(Float32Array.from([-2, 0.5, 7]), [1, 3]);
  const at = (name: string): number[] =>
    Array.from(getActivation(name)(x).data).map((v) => Number(v.toFixed(4)));
  assert.deepEqual(at('relu'), [0, 0.5, 7]);
  assert.deepEqual(at('relu6'), [0, 0.5, 6]);
  assert.deepEqual(at('leaky_relu'), [-0.4, 0.5, 7]);
  assert.deepEqual(at('elu'), [Number((Math.exp(-2) - 1).toFixed(4)), 0.5, 7]);
  assert.deepEqual(at('linear'), [-2, 0.5, 7]);
  assert.equal(getActivation(null), getActivation('linear'));
});

test('softmax over the last axis keeps its logits', () => {
  const x = new Tensor(Float32Array.from([1, 2, 3]), [1, 3]);
  const y = getActivation('softmax')(x);
  assert.equal(y.logits, x);
  assert.ok(Math.abs(Array.from(y.data).reduce((a, b) => a + b, 0) - 1) < 1e-6);
});

test('unknown activation names list the valid ones', () => {
  assert.throws(
    () => getActivation('gelu'),
    /Unknown activation 'gelu'; did you mean 'relu'\? Valid activations: 'linear', 'relu', 'relu6', 'leaky_relu', 'elu', 'sigmoid', 'tanh', 'softplus', 'softmax'/,
  );
});
