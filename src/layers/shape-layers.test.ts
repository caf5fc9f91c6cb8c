import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { Add } from './add.js';
import { Concatenate } from './concatenate.js';
import { Flatten } from './flatten.js';
import { input } from './input-layer.js';
import { runLayerTest } from './layer-test-helper.test.js';
import { Reshape } from './reshape.js';

test('Flatten passes the shared layer test', () => {
  runLayerTest({
    make: (dtype) => new Flatten({ dtype }),
    inputShape: [2, 3, 4, 2],
    expectedOutputShape: [null, 24],
  });
});

test('Reshape passes the shared layer test, with and without -1', () => {
  runLayerTest({
    make: (dtype) => new Reshape({ targetShape: [4, 6], dtype }),
    inputShape: [2, 24],
    expectedOutputShape: [null, 4, 6],
  });
  runLayerTest({
    make: (dtype) => new Reshape({ targetShape: [-1, 3], dtype }),
    inputShape: [2, 4, 3],
    expectedOutputShape: [null, 4, 3],
  });
});

test('Reshape rejects an impossible target shape symbolically', () => {
  assert.throws(
    () => new Reshape({ targetShape: [5] }).apply(input({ shape: [6] })),
    /cannot reshape samples of 6 values/,
  );
  assert.throws(() => new Reshape({ targetShape: [-1, -1] }), /at most one -1/);
});

test('Concatenate and Add pass the shared layer test', () => {
  runLayerTest({
    make: (dtype) => new Concatenate({ dtype }),
    inputShape: [
      [2, 3],
      [2, 4],
    ],
    expectedOutputShape: [null, 7],
  });
  runLayerTest({
    make: (dtype) => new Add({ dtype }),
    inputShape: [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    expectedOutputShape: [null, 3],
  });
});

test('Concatenate and Add reject mismatched shapes', () => {
  assert.throws(
    () => new Add().apply([input({ shape: [3] }), input({ shape: [4] })]),
    /needs inputs of one shape/,
  );
  assert.throws(
    () => new Concatenate().apply([input({ shape: [2, 3] }), input({ shape: [3, 3] })]),
    /match except on axis -1/,
  );
});

test('Flatten of [n, 2, 2] eagerly', () => {
  const y = new Flatten().apply(new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]));
  assert.deepEqual(y.shape, [2, 4]);
});
