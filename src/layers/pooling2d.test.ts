import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import { runLayerTest } from './layer-test-helper.test.js';
import { MaxPooling2D } from './max-pooling2d.js';

for (const [Cls, name] of [
  [MaxPooling2D, 'MaxPooling2D'],
  [AveragePooling2D, 'AveragePooling2D'],
] as const) {
  test(`${name} passes the shared layer test (default pool 2, valid)`, () => {
    runLayerTest({
      make: (dtype) => new Cls({ dtype }),
      inputShape: [2, 5, 4, 3],
      expectedOutputShape: [null, 2, 2, 3],
    });
  });
  test(`${name} passes the shared layer test (pool 3x2, strides 1x2, same)`, () => {
    runLayerTest({
      make: (dtype) => new Cls({ poolSize: [3, 2], strides: [1, 2], padding: 'same', dtype }),
      inputShape: [2, 5, 5, 2],
      expectedOutputShape: [null, 5, 3, 2],
    });
  });
}

test('pooling strides default to the pool size', () => {
  assert.deepEqual(new MaxPooling2D({ poolSize: 3 }).strides, [3, 3]);
  assert.deepEqual(new MaxPooling2D().getConfig()['poolSize'], [2, 2]);
});

test('MaxPooling2D takes window maxima', () => {
  const x = new Tensor(
    Float32Array.from([1, 5, 3, 2, 0, 9, 4, 4, 7, 1, 2, 8, 6, 3, 0, 1]),
    [1, 4, 4, 1],
  );
  const y = new MaxPooling2D().apply(x);
  assert.deepEqual(Array.from(y.values), [9, 4, 7, 8]);
});

for (const keepdims of [false, true]) {
  test(`GlobalAveragePooling2D passes the shared layer test (keepdims ${keepdims})`, () => {
    runLayerTest({
      make: (dtype) => new GlobalAveragePooling2D({ keepdims, dtype }),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: keepdims ? [null, 1, 1, 5] : [null, 5],
    });
  });
}

for (const keepdims of [false, true]) {
  test(`GlobalMaxPooling2D passes the shared layer test (keepdims ${keepdims})`, () => {
    runLayerTest({
      make: (dtype) => new GlobalMaxPooling2D({ keepdims, dtype }),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: keepdims ? [null, 1, 1, 5] : [null, 5],
    });
  });
}

test('GlobalMaxPooling2D takes each channel maximum over height and width', () => {
  // [1, 2, 2, 2]: channel 0 holds 1, 5, 3, -2; channel 1 holds -1, -4, -3, -7.
  const x = new Tensor(Float32Array.from([1, -1, 5, -4, 3, -3, -2, -7]), [1, 2, 2, 2]);
  assert.deepEqual(Array.from(new GlobalMaxPooling2D().apply(x).values), [5, -1]);
  assert.equal(new GlobalMaxPooling2D().getConfig()['keepdims'], false);
  assert.throws(
    () => new GlobalMaxPooling2D({ dataFormat: 'channels_first' as never }),
    /GlobalMaxPooling2D supports channels-last data only/,
  );
});
