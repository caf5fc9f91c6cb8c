import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import '../kernels/index.js';
import { setSeed } from '../tensor/seed.js';
import { Tensor } from '../tensor/tensor.js';
import { Dropout } from './dropout.js';
import { runLayerTest } from './layer-test-helper.test.js';

test('Dropout passes the shared layer test', () => {
  runLayerTest({
    make: (dtype) => new Dropout({ rate: 0.3, dtype }),
    inputShape: [4, 6],
    expectedOutputShape: [null, 6],
    gradCheckTraining: [false],
  });
});

test('Dropout gradient in training (a fresh layer per call repeats its first mask)', () => {
  gradCheck(
    'dropout layer',
    (x) => new Dropout({ rate: 0.4, seed: 9, dtype: 'float64' }).apply(x, { training: true }),
    [randomTensor([3, 5], 1)],
  );
});

test('Dropout is the identity at inference and inverted dropout in training', () => {
  const d = new Dropout({ rate: 0.5, seed: 1 });
  const x = new Tensor(new Float32Array(1000).fill(1), [10, 100]);
  assert.equal(d.apply(x), x);
  const y = d.apply(x, { training: true });
  const kept = Array.from(y.values).filter((v) => v !== 0);
  assert.ok(kept.every((v) => v === 2));
  assert.ok(Math.abs(kept.length / 1000 - 0.5) < 0.08);
});

test('each training call draws a new mask from the layer stream; setSeed repeats runs', () => {
  const x = new Tensor(new Float32Array(64).fill(1), [8, 8]);
  const run = (): number[][] => {
    setSeed(42);
    const d = new Dropout({ rate: 0.5 });
    return [
      Array.from(d.apply(x, { training: true }).values),
      Array.from(d.apply(x, { training: true }).values),
    ];
  };
  const [a1, a2] = run();
  const [b1, b2] = run();
  assert.notDeepEqual(a1, a2);
  assert.deepEqual(a1, b1);
  assert.deepEqual(a2, b2);
});

test('Dropout rate is validated', () => {
  assert.throws(() => new Dropout({ rate: 1 }), /rate must be in \[0, 1\)/);
});
