import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Conv2D } from './conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';

// The configs Conv2D and SeparableConv2D build from BaseConv, pinned key by key: saved models and
// the TF.js / Keras exports read these.
test('Conv2D and SeparableConv2D configs: Keras keys, order and values', () => {
  const conv = new Conv2D({
    name: 'c',
    filters: 4,
    kernelSize: [3, 2],
    strides: 2,
    kernelRegularizer: 'l2',
  }).getConfig();
  assert.deepEqual(Object.keys(conv), [
    ...['name', 'trainable', 'dtype', 'filters', 'kernelSize', 'strides', 'padding'],
    ...['dataFormat', 'dilationRate', 'activation', 'useBias', 'kernelInitializer'],
    ...['biasInitializer', 'kernelRegularizer', 'biasRegularizer'],
  ]);
  assert.deepEqual(
    [conv['kernelSize'], conv['strides'], conv['padding'], conv['dilationRate']],
    [[3, 2], [2, 2], 'valid', [1, 1]],
  );
  assert.equal((conv['kernelRegularizer'] as { className: string }).className, 'L2');
  assert.equal(conv['biasRegularizer'], null);

  const sep = new SeparableConv2D({
    name: 's',
    filters: 5,
    kernelSize: 3,
    depthMultiplier: 2,
    padding: 'same',
    activation: 'relu',
    useBias: false,
    pointwiseRegularizer: 'l1',
  }).getConfig();
  assert.deepEqual(Object.keys(sep), [
    ...['name', 'trainable', 'dtype', 'filters', 'kernelSize', 'strides', 'padding'],
    ...['depthMultiplier', 'dataFormat', 'dilationRate', 'activation', 'useBias'],
    ...['depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer'],
    ...['depthwiseRegularizer', 'pointwiseRegularizer', 'biasRegularizer'],
  ]);
  assert.deepEqual(
    [sep['filters'], sep['depthMultiplier'], sep['padding'], sep['activation'], sep['useBias']],
    [5, 2, 'same', 'relu', false],
  );
  assert.equal((sep['pointwiseRegularizer'] as { className: string }).className, 'L1');
  assert.equal(sep['depthwiseRegularizer'], null);
  // The config rebuilds the same layer.
  const again = new SeparableConv2D(sep as never).getConfig();
  assert.deepEqual(again, sep);
});

test('both name themselves in their option errors', () => {
  assert.throws(() => new Conv2D({ filters: 0, kernelSize: 3 }), /^Error: Conv2D: filters/);
  assert.throws(
    () => new SeparableConv2D({ filters: 2, kernelSize: 3, dataFormat: 'nchw' as never }),
    /SeparableConv2D supports channels-last data only, got 'nchw'/,
  );
  assert.throws(
    () => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
    /Conv2D: strides \[2,2\] > 1 cannot be combined with dilationRate \[2,2\] > 1/,
  );
  assert.throws(() => new Conv2D({ filters: 2, kernelSize: 3 }).build([null, 8, 8]), {
    message: /^Conv2D 'conv2d(_\d+)?' needs inputs \[batch, height, width, channels\]/,
  });
});
