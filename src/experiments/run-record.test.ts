import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestEpoch } from './run-record.js';

test('bestEpoch: 1-based epoch of the best value, first on ties, NaN skipped, null when absent', () => {
  const h = { val_accuracy: [0.9, NaN, 0.95, 0.95, 0.93], val_loss: [0.5, 0.3, 0.4] };
  assert.deepEqual(bestEpoch(h, 'val_accuracy'), { value: 0.95, epoch: 3 });
  assert.deepEqual(bestEpoch(h, 'val_loss', 'min'), { value: 0.3, epoch: 2 });
  assert.equal(bestEpoch(h, 'accuracy'), null);
  assert.equal(bestEpoch({ loss: [NaN] }, 'loss'), null);
});
