import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classCounts,
  normalize,
  shuffleTogether,
  splitLast,
  takeRows,
  toCategorical,
} from './preprocess.js';

test('normalize maps uint8 to float32 in [0, 1]', () => {
  const x = normalize(Uint8Array.from([0, 51, 255]));
  assert.ok(x instanceof Float32Array);
  assert.deepEqual([...x], [0, Math.fround(0.2), 1]);
});

test('toCategorical one-hot encodes like Keras', () => {
  const { values: data, shape } = toCategorical([2, 0, 1], 3);
  assert.deepEqual(shape, [3, 3]);
  assert.deepEqual([...data], [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  assert.deepEqual(toCategorical([0, 4]).shape, [2, 5]);
  assert.throws(() => toCategorical([3], 3), /label 3 at index 0 is outside 0..2/);
});

test('splitLast takes the last fraction, as Keras validation_split does', () => {
  const x = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
  const { train, holdout, trainCount } = splitLast(x, 10, 0.25);
  // floor(10 * 0.75) = 7 samples stay for training.
  assert.equal(trainCount, 7);
  assert.equal(train.length, 14);
  assert.deepEqual([...holdout], [14, 15, 16, 17, 18, 19]);
  assert.throws(() => splitLast(x, 10, 1), /between 0 and 1/);
  assert.throws(() => splitLast(x, 10, 0.95), /empty training set/);
});

test('shuffleTogether keeps images and labels paired and is seeded', () => {
  const n = 50;
  const images = Uint8Array.from({ length: n * 3 }, (_, i) => Math.floor(i / 3));
  const labels = Uint8Array.from({ length: n }, (_, i) => i);
  const [a, b] = shuffleTogether(n, 42, images, labels);
  for (let i = 0; i < n; i++) assert.equal(a[3 * i], b[i]);
  assert.notDeepEqual([...b], [...labels]);
  assert.deepEqual([...shuffleTogether(n, 42, labels)[0]], [...b]);
  assert.notDeepEqual([...shuffleTogether(n, 43, labels)[0]], [...b]);
  assert.deepEqual(
    [...b].sort((x, y) => x - y),
    [...labels],
  );
});

test('takeRows and classCounts', () => {
  assert.deepEqual([...takeRows(Int32Array.from([1, 2, 3, 4, 5, 6]), 3, [2, 0])], [5, 6, 1, 2]);
  assert.deepEqual(classCounts([0, 2, 2, 1, 2], 3), [1, 1, 3]);
});
