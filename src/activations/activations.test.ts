import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { activationNames, gelu, getActivation } from './index.js';

test('every activation is differentiable by name (Keras and TF.js spellings)', () => {
  for (const name of [...activationNames(), 'leakyRelu', 'swish']) {
    gradCheck(name, getActivation(name), [randomTensor([3, 4], 1, -2, 2)]);
  }
});

test('values at a few points', () => {
  const x = new Tensor(Float32Array.from([-2, 0.5, 7]), [1, 3]);
  const at = (name: string): number[] =>
    Array.from(getActivation(name)(x).values).map((v) => Number(v.toFixed(4)));
  assert.deepEqual(at('relu'), [0, 0.5, 7]);
  assert.deepEqual(at('relu6'), [0, 0.5, 6]);
  assert.deepEqual(at('leaky_relu'), [-0.4, 0.5, 7]);
  assert.deepEqual(at('elu'), [Number((Math.exp(-2) - 1).toFixed(4)), 0.5, 7]);
  assert.deepEqual(at('linear'), [-2, 0.5, 7]);
  // PyTorch: F.softsign, F.gelu (erf form) and F.gelu(approximate='tanh') at -2, 0.5, 7.
  assert.deepEqual(at('softsign'), [-0.6667, 0.3333, 0.875]);
  assert.deepEqual(at('gelu'), [-0.0455, 0.3457, 7]);
  const tanhForm = Array.from(gelu(x, true).values).map((v) => Number(v.toFixed(4)));
  assert.deepEqual(tanhForm, [-0.0454, 0.3457, 7]);
  const silu = (v: number): number => Number((v / (1 + Math.exp(-v))).toFixed(4));
  assert.deepEqual(at('silu'), [silu(-2), silu(0.5), silu(7)]);
  assert.equal(getActivation('swish'), getActivation('silu'));
  assert.equal(getActivation(null), getActivation('linear'));
});

test('softmax over the last axis is the softmax op (losses find its logits)', () => {
  const x = new Tensor(Float32Array.from([1, 2, 3]), [1, 3]);
  const y = getActivation('softmax')(x);
  assert.equal(ops.softmaxLogits(y), x);
  assert.ok(Math.abs(Array.from(y.values).reduce((a, b) => a + b, 0) - 1) < 1e-6);
});

test('unknown activation names list the valid ones', () => {
  assert.throws(
    () => getActivation('swishy'),
    (error: Error) => {
      assert.match(error.message, /^Unknown activation 'swishy'. Valid activations: /);
      for (const name of ['linear', 'relu', 'relu6', 'leaky_relu', 'elu', 'sigmoid', 'tanh'])
        assert.ok(error.message.includes(`'${name}'`), name);
      assert.ok(error.message.includes(`'silu' / 'swish'`), 'aliases are listed');
      return true;
    },
  );
  assert.throws(
    () => getActivation('rellu'),
    /Unknown activation 'rellu'; did you mean 'relu'\? Valid activations: 'elu', 'gelu', 'leaky_relu', 'linear', 'relu', 'relu6', /,
  );
});
