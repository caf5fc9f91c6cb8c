import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tensor } from '../tensor/tensor.js';
import { splitHoldout } from './holdout.js';

describe('splitHoldout', () => {
  const x = new Tensor(
    Float32Array.from({ length: 10 }, (_, i) => i),
    [5, 2],
  );
  const y = new Tensor(Int32Array.from([0, 1, 2, 3, 4]), [5]);

  it('first:N validates on the first N samples and trains on the rest (seed 003)', () => {
    const s = splitHoldout(x, y, { where: 'first', count: 2 });
    assert.deepEqual(Array.from(s.validationData[1].values), [0, 1]);
    assert.deepEqual(Array.from(s.validationData[0].values), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(s.y.values), [2, 3, 4]);
    assert.deepEqual(s.x.shape, [3, 2]);
  });

  it('last:N validates on the last N, as validation_split does', () => {
    const s = splitHoldout(x, y, { where: 'last', count: 2 });
    assert.deepEqual(Array.from(s.validationData[1].values), [3, 4]);
    assert.deepEqual(Array.from(s.y.values), [0, 1, 2]);
  });

  it('must leave training samples', () => {
    assert.throws(() => splitHoldout(x, y, { where: 'first', count: 5 }), /must leave training/);
  });
});
