import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import { add } from '../ops/index.js';
import { tensor } from '../tensor/tensor.js';
import { meanAbsoluteError, meanAbsoluteErrorPerSample } from './mean-absolute-error.js';
import { meanSquaredError, meanSquaredErrorPerSample } from './mean-squared-error.js';
import { poisson, poissonPerSample } from './poisson.js';

describe('mean_squared_error', () => {
  it('matches hand-computed values', () => {
    const yTrue = tensor([0, 1, 0, 0], [2, 2]);
    const yPred = tensor([1, 1, 1, 0], [2, 2]);
    assert.equal(meanSquaredError(yTrue, yPred).item(), 0.5);
    assert.deepEqual(meanSquaredErrorPerSample(yTrue, yPred).toArray(), [0.5, 0.5]);
    assert.equal(meanSquaredError.name, 'mean_squared_error');
    // [n] against [n, 1] lines up instead of broadcasting to [n, n].
    assert.equal(meanSquaredError(tensor([1, 2]), tensor([1, 4], [2, 1])).item(), 2);
  });

  it('gradient-checks (float64)', () => {
    gradCheck(
      'mse',
      (y, q) => meanSquaredError(y!, q!),
      [randomTensor([3, 4], 51), randomTensor([3, 4], 52)],
      {
        check: [1],
      },
    );
  });
});

describe('mean_absolute_error', () => {
  it('matches hand-computed values', () => {
    const yTrue = tensor([0, 1, 0, 0], [2, 2]);
    const yPred = tensor([1, 1, 1, 0], [2, 2]);
    assert.equal(meanAbsoluteError(yTrue, yPred).item(), 0.5);
    assert.deepEqual(
      meanAbsoluteErrorPerSample(tensor([0, 0], [1, 2]), tensor([-3, 1], [1, 2])).toArray(),
      [2],
    );
  });

  it('gradient-checks away from the kink (float64)', () => {
    const t = randomTensor([3, 4], 53);
    // Predictions at least 0.5 away from the targets.
    const p = add(t, randomTensor([3, 4], 54, 0.5, 1.5));
    gradCheck('mae', (y, q) => meanAbsoluteError(y!, q!), [t, p], { check: [1] });
  });
});

describe('poisson', () => {
  it('matches hand-computed values (Keras docs example)', () => {
    const yTrue = tensor([0, 1, 0, 0], [2, 2], 'float64');
    const yPred = tensor([1, 1, 0, 0], [2, 2], 'float64');
    const row1 = (1 + 1 - Math.log(1 + 1e-7)) / 2;
    assert.ok(Math.abs(poisson(yTrue, yPred).item() - row1 / 2) < 1e-12);
    assert.deepEqual(poissonPerSample(yTrue, yPred).shape, [2]);
    assert.equal(poisson.name, 'poisson');
  });

  it('gradient-checks (float64)', () => {
    gradCheck(
      'poisson',
      (y, q) => poisson(y!, q!),
      [randomTensor([3, 4], 55, 0, 3), randomTensor([3, 4], 56, 0.1, 2)],
      { check: [1] },
    );
  });
});
