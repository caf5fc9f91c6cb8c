import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import * as ops from '../ops/index.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { layers } from './factories.js';
import { runLayerTest } from './layer-test-helper.test.js';
import { SeparableConv2D } from './separable-conv2d.js';

test('DepthwiseConv2D passes the shared layer test (valid, same, strides, multiplier)', () => {
  runLayerTest({
    make: (dtype) => new DepthwiseConv2D({ kernelSize: 3, dtype }),
    inputShape: [2, 6, 5, 3],
    expectedOutputShape: [null, 4, 3, 3],
    expectedTrainable: 2,
  });
  runLayerTest({
    make: (dtype) =>
      new DepthwiseConv2D({
        kernelSize: [3, 2],
        strides: 2,
        padding: 'same',
        depthMultiplier: 2,
        activation: 'tanh',
        depthwiseRegularizer: { className: 'L2', config: { l2: 0.01 } },
        dtype,
      }),
    inputShape: [2, 7, 6, 3],
    expectedOutputShape: [null, 4, 3, 6],
    expectedTrainable: 2,
  });
  runLayerTest({
    make: (dtype) => new DepthwiseConv2D({ kernelSize: 3, dilationRate: 2, useBias: false, dtype }),
    inputShape: [1, 7, 7, 2],
    expectedOutputShape: [null, 3, 3, 2],
    expectedTrainable: 1,
  });
});

test('SeparableConv2D passes the shared layer test', () => {
  runLayerTest({
    make: (dtype) =>
      new SeparableConv2D({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        dtype,
      }),
    inputShape: [2, 5, 5, 3],
    expectedOutputShape: [null, 5, 5, 4],
    expectedTrainable: 3,
    inputRange: [0.1, 1],
  });
  runLayerTest({
    make: (dtype) =>
      new SeparableConv2D({
        filters: 5,
        kernelSize: 3,
        strides: 2,
        depthMultiplier: 2,
        useBias: false,
        pointwiseRegularizer: 'l2',
        dtype,
      }),
    inputShape: [2, 7, 7, 2],
    expectedOutputShape: [null, 3, 3, 5],
    expectedTrainable: 2,
  });
});

test('SeparableConv2D is depthwise then a 1x1 conv with the bias; Keras weight names and shapes', () => {
  const layer = layers.separableConv2d(4, 3, { depthMultiplier: 2, biasInitializer: 'ones' });
  const r = new Random(3);
  const x = new Tensor(
    Float32Array.from({ length: 2 * 6 * 6 * 3 }, () => r.uniform(-1, 1)),
    [2, 6, 6, 3],
  );
  const y = layer.apply(x) as Tensor;
  assert.deepEqual(
    layer.weights.map((w) => [w.name.split('/').pop(), w.shape]),
    [
      ['depthwise_kernel', [3, 3, 3, 2]],
      ['pointwise_kernel', [1, 1, 6, 4]],
      ['bias', [4]],
    ],
  );
  const [dk, pk, b] = layer.weights;
  const want = ops.conv2d(ops.depthwiseConv2d(x, dk!), pk!, { bias: b! });
  assert.deepEqual(y.shape, [2, 4, 4, 4]);
  y.values.forEach((v, i) => assert.ok(Math.abs(v - want.values[i]!) < 1e-5));
  const d = layers.depthwiseConv2d(3, { depthMultiplier: 2 });
  d.apply(x);
  assert.deepEqual(
    d.weights.map((w) => [w.name.split('/').pop(), w.shape]),
    [
      ['depthwise_kernel', [3, 3, 3, 2]],
      ['bias', [6]],
    ],
  );
  // Separable is far cheaper than the full conv of the same reach: 3*3*3*2 + 6*4 + 4 vs 3*3*3*4 + 4.
  assert.equal(layer.countParams(), 54 + 24 + 4);
});

test('DepthwiseConv2D and SeparableConv2D check their options', () => {
  assert.throws(() => layers.depthwiseConv2d(3, { depthMultiplier: 0 }), /depthMultiplier/);
  assert.throws(
    () => layers.depthwiseConv2d(3, { strides: 2, dilationRate: 2 }),
    /cannot be combined/,
  );
  assert.throws(() => layers.separableConv2d(0, 3), /filters must be/);
  assert.throws(() => layers.separableConv2d(4, 3, { padding: 'full' as 'same' }), /padding/);
  assert.throws(() => layers.depthwiseConv2d(3, { filters: 3 } as never), /filters/);
});
