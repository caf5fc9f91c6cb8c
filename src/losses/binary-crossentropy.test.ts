import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import { sigmoid, softmax } from '../ops/index.js';
import { tensor } from '../tensor/tensor.js';
import {
  binaryCrossentropy,
  binaryCrossentropyLoss,
  binaryCrossentropyPerSample,
} from './binary-crossentropy.js';

describe('binary_crossentropy', () => {
  it('matches hand-computed values (Keras docs example)', () => {
    const yTrue = tensor([0, 1, 0, 0], [2, 2]);
    const yPred = tensor([0.6, 0.4, 0.4, 0.6], [2, 2]);
    const row1 = -(Math.log(0.4) + Math.log(0.4)) / 2;
    const row2 = -(Math.log(0.6) + Math.log(0.4)) / 2;
    assert.ok(Math.abs(binaryCrossentropy(yTrue, yPred).item() - (row1 + row2) / 2) < 1e-6);
    const per = binaryCrossentropyPerSample(yTrue, yPred).toArray();
    assert.ok(Math.abs(per[0]! - row1) < 1e-6 && Math.abs(per[1]! - row2) < 1e-6);
    assert.equal(binaryCrossentropy.name, 'binary_crossentropy');
  });

  it('clips probabilities to [1e-7, 1 - 1e-7]', () => {
    const v = binaryCrossentropy(
      tensor([1], [1, 1], 'float64'),
      tensor([0], [1, 1], 'float64'),
    ).item();
    assert.ok(Math.abs(v + Math.log(1e-7)) < 1e-9);
  });

  it('from logits: softplus(x) - x y, stable for large |x|', () => {
    const x = tensor([0, 100, -100, 2], [4, 1], 'float64');
    const y = tensor([1, 1, 1, 0], [4, 1], 'float64');
    const per = binaryCrossentropyPerSample(y, x, { fromLogits: true }).toArray();
    const want = [Math.log(2), 0, 100, 2 + Math.log1p(Math.exp(-2))];
    per.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `${i}: ${v}`));
    // Matches the probability form where clipping does not bite.
    const z = randomTensor([3, 2], 31, -3, 3);
    const t = tensor([1, 0, 0, 1, 1, 1], [3, 2], 'float64');
    const a = binaryCrossentropy(t, z, { fromLogits: true }).item();
    const b = binaryCrossentropy(t, sigmoid(z)).item();
    assert.ok(Math.abs(a - b) < 1e-12);
  });

  it('labels [n] line up with predictions [n, 1] (no [n, n] broadcast)', () => {
    const p = tensor([0.9, 0.2], [2, 1], 'float64');
    const a = binaryCrossentropy(tensor([1, 0], [2], 'float64'), p).item();
    const b = binaryCrossentropy(tensor([1, 0], [2, 1], 'float64'), p).item();
    assert.equal(a, b);
    assert.ok(Math.abs(a - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-12);
  });

  it('applies label smoothing: y * (1 - s) + 0.5 s', () => {
    const p = tensor([0.7, 0.1], [1, 2], 'float64');
    const a = binaryCrossentropy(tensor([1, 0], [1, 2], 'float64'), p, {
      labelSmoothing: 0.2,
    }).item();
    const b = binaryCrossentropy(tensor([0.9, 0.1], [1, 2], 'float64'), p).item();
    assert.ok(Math.abs(a - b) < 1e-12);
  });

  it('ignores the logits behind a softmax y_pred (they are not sigmoid logits)', () => {
    const z = tensor([0.3, -0.2], [1, 2], 'float64');
    const p = softmax(z);
    const copy = tensor(Array.from(p.values), [1, 2], 'float64');
    const plain = binaryCrossentropy(tensor([1, 0], [1, 2], 'float64'), copy).item();
    assert.equal(binaryCrossentropy(tensor([1, 0], [1, 2], 'float64'), p).item(), plain);
  });

  it('gradient-checks the probability and logits paths (float64)', () => {
    const t = randomTensor([3, 4], 41, 0, 1);
    gradCheck(
      'bce probs',
      (y, q) => binaryCrossentropy(y!, q!),
      [t, randomTensor([3, 4], 42, 0.05, 0.95)],
      {
        check: [1],
      },
    );
    gradCheck(
      'bce logits, smoothing',
      (y, x) => binaryCrossentropy(y!, x!, { fromLogits: true, labelSmoothing: 0.1 }),
      [t, randomTensor([3, 4], 43, -4, 4)],
      { check: [1] },
    );
    const configured = binaryCrossentropyLoss({ from_logits: true, axis: 0 });
    gradCheck('bce logits, axis 0', (y, x) => configured(y!, x!), [t, randomTensor([3, 4], 44)], {
      check: [1],
    });
  });
});
