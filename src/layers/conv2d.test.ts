import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Conv2D } from './conv2d.js';
import { runLayerTest } from './layer-test-helper.test.js';

const cases: [string, Omit<ConstructorParameters<typeof Conv2D>[0], 'dtype'>, (number | null)[]][] =
  [
    ['3x3 valid relu', { filters: 3, kernelSize: 3, activation: 'relu' }, [null, 4, 3, 3]],
    [
      '2x3 same, strides 2',
      { filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same' },
      [null, 3, 3, 2],
    ],
    [
      'dilation 2, no bias',
      { filters: 2, kernelSize: 2, dilationRate: 2, useBias: false },
      [null, 4, 3, 2],
    ],
  ];

for (const [tag, args, expected] of cases) {
  test(`Conv2D passes the shared layer test (${tag})`, () => {
    runLayerTest({
      make: (dtype) => new Conv2D({ ...args, dtype }),
      inputShape: [2, 6, 5, 2],
      expectedOutputShape: expected,
      expectedTrainable: args.useBias === false ? 1 : 2,
    });
  });
}

test('Conv2D weights are [kh, kw, in, filters] and [filters]; params match Keras', () => {
  const c = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' });
  c.apply(new Tensor(new Float32Array(28 * 28), [1, 28, 28, 1]));
  assert.deepEqual(c.kernel!.shape, [3, 3, 1, 32]);
  assert.equal(c.countParams(), 320);
  assert.deepEqual(c.computeOutputShape([null, 28, 28, 1]), [null, 26, 26, 32]);
});

test('Conv2D argument errors', () => {
  assert.throws(
    () => new Conv2D({ filters: 2, kernelSize: 0 }),
    /kernelSize must be a positive integer/,
  );
  assert.throws(
    () => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
    /cannot be combined/,
  );
  const c = new Conv2D({ filters: 2, kernelSize: 3 });
  assert.throws(
    () => c.apply(new Tensor(new Float32Array(9), [1, 9])),
    /needs inputs \[batch, height, width, channels\]/,
  );
});
