import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import { softmax } from '../ops/index.js';
import { Tensor, tensor } from '../tensor/tensor.js';
import { categoricalCrossentropy } from './categorical-crossentropy.js';
import {
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyLoss,
  sparseCategoricalCrossentropyPerSample,
} from './sparse-categorical-crossentropy.js';

function softmaxLayer(z: Tensor): Tensor {
  // The softmax op's output: losses find z behind it (ops.softmaxLogits).
  return softmax(z);
}

function oneHot(labels: number[], classes: number): Tensor {
  const data = new Float64Array(labels.length * classes);
  labels.forEach((c, i) => (data[i * classes + c] = 1));
  return new Tensor(data, [labels.length, classes]);
}

describe('sparse_categorical_crossentropy', () => {
  it('matches hand-computed values (Keras docs example)', () => {
    const yPred = tensor([0.05, 0.95, 0, 0.1, 0.8, 0.1], [2, 3]);
    const want = (-Math.log(0.95) - Math.log(0.1)) / 2;
    for (const yTrue of [tensor([1, 2]), tensor([1, 2], [2, 1]), tensor([1, 2], [2], 'int32')]) {
      assert.ok(Math.abs(sparseCategoricalCrossentropy(yTrue, yPred).item() - want) < 1e-6);
    }
    assert.equal(sparseCategoricalCrossentropy.name, 'sparse_categorical_crossentropy');
  });

  it('agrees with categorical_crossentropy on one-hot labels (logits and probabilities)', () => {
    const z = randomTensor([5, 4], 7, -3, 3);
    const labels = [0, 3, 1, 1, 2];
    const sparse = tensor(labels, [5], 'float64');
    const a = sparseCategoricalCrossentropyPerSample(sparse, z, { fromLogits: true }).toArray();
    const b = categoricalCrossentropy(oneHot(labels, 4), z, { fromLogits: true }).item();
    assert.ok(Math.abs(a.reduce((s, v) => s + v, 0) / 5 - b) < 1e-12);
    const p = softmaxLayer(z);
    assert.ok(Math.abs(sparseCategoricalCrossentropy(sparse, p).item() - b) < 1e-12);
    const probs = softmax(z);
    const c = sparseCategoricalCrossentropy(sparse, probs).item();
    assert.ok(Math.abs(c - categoricalCrossentropy(oneHot(labels, 4), probs).item()) < 1e-9);
  });

  it('handles per-timestep labels [n, t] against [n, t, k]', () => {
    const z = randomTensor([2, 3, 4], 9);
    const per = sparseCategoricalCrossentropyPerSample(tensor([0, 1, 2, 3, 0, 1], [2, 3]), z, {
      fromLogits: true,
    });
    assert.deepEqual(per.shape, [2, 3]);
  });

  it('rejects one-hot labels, fractions and out-of-range classes', () => {
    const p = tensor([0.5, 0.5, 0.5, 0.5], [2, 2]);
    assert.throws(
      () => sparseCategoricalCrossentropy(tensor([0, 1, 1, 0], [2, 2]), p),
      /class indices/,
    );
    assert.throws(() => sparseCategoricalCrossentropy(tensor([0.5, 1]), p), /whole numbers/);
    assert.throws(() => sparseCategoricalCrossentropy(tensor([0, 2]), p), /outside|not in/);
  });

  it('gradient-checks the probability and logits paths (float64)', () => {
    const labels = tensor([2, 0, 1], [3, 1], 'int32');
    const p = randomTensor([3, 4], 21, 0.05, 1);
    const z = randomTensor([3, 4], 22, -3, 3);
    gradCheck('scce probs', (q) => sparseCategoricalCrossentropy(labels, q!), [p]);
    gradCheck(
      'scce fromLogits',
      (x) => sparseCategoricalCrossentropy(labels, x!, { fromLogits: true }),
      [z],
    );
    gradCheck(
      'scce softmax layer',
      (x) => sparseCategoricalCrossentropy(labels, softmaxLayer(x!)),
      [z],
    );
  });

  it('builds configured losses from camelCase or snake_case options', () => {
    const z = tensor([2, 0], [1, 2], 'float64');
    const a = sparseCategoricalCrossentropyLoss({ from_logits: true })(tensor([0]), z).item();
    assert.ok(Math.abs(a - Math.log(1 + Math.exp(-2))) < 1e-12);
  });
});
