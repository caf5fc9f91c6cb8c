import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import '../kernels/index.js';
import { Tensor } from '../tensor/tensor.js';
import { L1L2, getRegularizer, regularizers } from './index.js';

const w = new Tensor(Float32Array.from([1, -2, 3]), [3]);

test('penalties follow Keras: l1 * sum|x|, l2 * sum x^2 (defaults 0.01)', () => {
  assert.ok(Math.abs(getRegularizer('l1').apply(w).item() - 0.06) < 1e-7);
  assert.ok(Math.abs(getRegularizer('l2').apply(w).item() - 0.14) < 1e-7);
  assert.ok(Math.abs(getRegularizer('l1_l2').apply(w).item() - 0.2) < 1e-7);
  assert.ok(Math.abs(regularizers.l1l2().apply(w).item() - 0.2) < 1e-7);
  assert.ok(Math.abs(regularizers.l2({ l2: 0.5 }).apply(w).item() - 7) < 1e-6);
  assert.equal(new L1L2().apply(w).item(), 0, 'the L1L2 class defaults to 0 and 0 (Keras 3)');
  assert.ok(Math.abs(new L1L2({ l2: 0.1 }).apply(w).item() - 1.4) < 1e-6);
});

test('penalties are differentiable', () => {
  gradCheck('l2', (x) => regularizers.l2({ l2: 0.3 }).apply(x), [randomTensor([2, 3], 1)]);
  gradCheck('l1l2', (x) => regularizers.l1l2({ l1: 0.2, l2: 0.3 }).apply(x), [
    randomTensor([2, 3], 2),
  ]);
});

test('registry spellings, serialisation and errors', () => {
  assert.equal(getRegularizer('L1L2').className, 'L1L2');
  assert.equal(getRegularizer('l1l2').className, 'L1L2');
  const r = regularizers.l1l2({ l1: 0.1, l2: 0.2 });
  assert.deepEqual(getRegularizer(r.serialize()).getConfig(), { l1: 0.1, l2: 0.2 });
  assert.throws(
    () => getRegularizer('l3'),
    /Unknown regularizer 'l3'; did you mean 'l1'\? Valid regularizers: 'l1', 'l2', 'l1_l2'/,
  );
  assert.throws(() => regularizers.l2({ l2: -1 }), /l2 must be a non-negative finite number/);
});
