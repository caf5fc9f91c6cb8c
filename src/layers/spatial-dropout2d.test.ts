import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { runLayerTest } from './layer-test-helper.test.js';
import { SpatialDropout2D } from './spatial-dropout2d.js';

test('SpatialDropout2D passes the shared layer test', () => {
  runLayerTest({
    make: (dtype) => new SpatialDropout2D({ rate: 0.3, dtype }),
    inputShape: [2, 3, 4, 5],
    expectedOutputShape: [null, 3, 4, 5],
    gradCheckTraining: [false],
  });
});

test('SpatialDropout2D gradient in training (a fresh layer per call repeats its mask)', () => {
  gradCheck(
    'spatial dropout layer',
    (x) =>
      new SpatialDropout2D({ rate: 0.5, seed: 3, dtype: 'float64' }).apply(x, { training: true }),
    [randomTensor([2, 3, 3, 4], 1)],
  );
});

test('SpatialDropout2D drops whole feature maps, one draw per sample and channel', () => {
  const [b, h, w, c] = [16, 5, 5, 8];
  const x = new Tensor(new Float32Array(b * h * w * c).fill(1), [b, h, w, c]);
  const d = new SpatialDropout2D({ rate: 0.5, seed: 1 });
  assert.equal(d.apply(x), x, 'identity at inference');
  const y = d.apply(x, { training: true }).values;
  let dropped = 0;
  for (let n = 0; n < b; n++) {
    for (let k = 0; k < c; k++) {
      const first = y[n * h * w * c + k]!;
      assert.ok(first === 0 || first === 2, `kept maps are scaled by 2, got ${first}`);
      for (let p = 0; p < h * w; p++) assert.equal(y[(n * h * w + p) * c + k], first);
      if (first === 0) dropped++;
    }
  }
  assert.ok(Math.abs(dropped / (b * c) - 0.5) < 0.15, `dropped ${dropped} of ${b * c} maps`);
  assert.deepEqual(d.getConfig()['rate'], 0.5);
  assert.throws(
    () => new SpatialDropout2D({ rate: 0.1 }).apply(new Tensor(new Float32Array(6), [2, 3])),
    /ndim|rank|4/,
  );
});
