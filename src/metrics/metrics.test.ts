import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { tensor } from '../tensor/tensor.js';
import {
  accuracyKind,
  AutoAccuracy,
  BinaryAccuracy,
  binaryAccuracy,
  CategoricalAccuracy,
  categoricalAccuracy,
  getMetric,
  Mean,
  MeanMetricWrapper,
  metrics,
  SparseCategoricalAccuracy,
  sparseCategoricalAccuracy,
} from './index.js';

describe('Mean', () => {
  it('averages weighted numbers and tensor elements, 0 when empty', () => {
    const m = new Mean('loss');
    assert.equal(m.result(), 0);
    m.update(0.5, 32);
    m.update(1.5, 16);
    assert.equal(m.result(), (0.5 * 32 + 1.5 * 16) / 48);
    m.resetState();
    m.updateState(tensor([1, 2, 3, 6]));
    assert.equal(m.result(), 3);
    assert.equal(m.name, 'loss');
    assert.equal(new Mean().name, 'mean');
  });
});

describe('accuracy functions', () => {
  it('categorical: argmax match (Keras docs example)', () => {
    const yTrue = tensor([0, 0, 1, 0, 1, 0], [2, 3]);
    const yPred = tensor([0.1, 0.9, 0.8, 0.05, 0.95, 0], [2, 3]);
    assert.deepEqual(categoricalAccuracy(yTrue, yPred).toArray(), [0, 1]);
    const m = new CategoricalAccuracy();
    m.updateState(yTrue, yPred);
    assert.equal(m.result(), 0.5);
    assert.equal(m.name, 'categorical_accuracy');
    assert.equal(m.direction, 'up');
  });

  it('sparse categorical: index match for [n] and [n, 1] labels, any dtype', () => {
    const yPred = tensor([0.1, 0.6, 0.3, 0.05, 0.95, 0], [2, 3]);
    assert.deepEqual(sparseCategoricalAccuracy(tensor([2, 1], [2, 1]), yPred).toArray(), [0, 1]);
    assert.deepEqual(
      sparseCategoricalAccuracy(tensor([1, 1], [2], 'int32'), yPred).toArray(),
      [1, 1],
    );
    assert.throws(
      () => sparseCategoricalAccuracy(tensor([0, 1, 0, 0, 1, 0], [2, 3]), yPred),
      /class indices/,
    );
    const m = new SparseCategoricalAccuracy();
    m.updateState(tensor([2, 1], [2, 1]), yPred);
    m.updateState(tensor([1, 1], [2]), yPred);
    assert.equal(m.result(), 0.75);
  });

  it('binary: threshold 0.5, mean over the last axis (Keras docs example)', () => {
    const yTrue = tensor([1, 1, 0, 0], [4, 1]);
    const yPred = tensor([0.98, 1, 0, 0.6], [4, 1]);
    assert.deepEqual(binaryAccuracy(yTrue, yPred).toArray(), [1, 1, 1, 0]);
    assert.deepEqual(binaryAccuracy(tensor([1, 1, 0, 0]), yPred).toArray(), [1, 1, 1, 0]);
    assert.deepEqual(
      binaryAccuracy(tensor([1, 0, 0, 1], [2, 2]), tensor([0.7, 0.2, 0.4, 0.4], [2, 2])).toArray(),
      [1, 0.5],
    );
    const m = new BinaryAccuracy('acc', 0.7);
    m.updateState(yTrue, yPred);
    assert.equal(m.result(), 1); // 0.6 is below 0.7, so the last sample is now right
    assert.throws(() => new BinaryAccuracy('b', 1), /threshold/);
  });
});

describe('accuracy resolution (Keras 3 compile_utils)', () => {
  it('decides by shapes', () => {
    assert.equal(accuracyKind([32, 1], [32, 1]), 'binary');
    assert.equal(accuracyKind([32], [32, 1]), 'binary');
    assert.equal(accuracyKind([32], [32, 10]), 'sparse_categorical');
    assert.equal(accuracyKind([32, 1], [32, 10]), 'sparse_categorical');
    assert.equal(accuracyKind([32, 10], [32, 10]), 'categorical');
    // Multi-label sigmoid outputs: Keras 3 picks categorical accuracy here, not binary.
    assert.equal(accuracyKind([32, 5], [32, 5]), 'categorical');
  });

  it("'accuracy' resolves at the first batch and keeps the name it was given", () => {
    const sparse = getMetric('accuracy') as AutoAccuracy;
    assert.equal(sparse.kind, null);
    assert.equal(sparse.result(), 0);
    sparse.updateState(tensor([2, 1]), tensor([0.1, 0.6, 0.3, 0.05, 0.95, 0], [2, 3]));
    assert.equal(sparse.kind, 'sparse_categorical');
    assert.equal(sparse.result(), 0.5);
    assert.equal(sparse.name, 'accuracy');
    sparse.resetState();
    assert.equal(sparse.result(), 0);

    const cat = getMetric('acc') as AutoAccuracy;
    cat.updateState(tensor([0, 1, 1, 0], [2, 2]), tensor([0.2, 0.8, 0.3, 0.7], [2, 2]));
    assert.equal(cat.kind, 'categorical');
    assert.equal(cat.name, 'acc');
    assert.equal(cat.result(), 0.5);

    const bin = getMetric('Accuracy') as AutoAccuracy;
    bin.updateState(tensor([1, 0]), tensor([0.8, 0.7], [2, 1]));
    assert.equal(bin.kind, 'binary');
    assert.equal(bin.result(), 0.5);
    assert.equal(bin.direction, 'up');
  });

  it('resolves named variants, loss names and metric objects', () => {
    assert.ok(getMetric('categorical_accuracy') instanceof CategoricalAccuracy);
    assert.ok(getMetric('sparseCategoricalAccuracy') instanceof SparseCategoricalAccuracy);
    const b = getMetric('binary_accuracy');
    assert.ok(b instanceof BinaryAccuracy);
    assert.equal(b.name, 'binary_accuracy');
    const mse = getMetric('mse');
    assert.ok(mse instanceof MeanMetricWrapper);
    assert.equal(mse.name, 'mse');
    assert.equal(mse.direction, 'down');
    mse.updateState(tensor([0, 0, 0, 0], [2, 2]), tensor([1, 1, 2, 2], [2, 2]));
    assert.equal(mse.result(), 2.5);
    const own = new CategoricalAccuracy('mine');
    assert.equal(getMetric(own), own);
    assert.throws(
      () => getMetric('f1'),
      (e: Error) => /Unknown metric 'f1'/.test(e.message) && e.message.includes("'accuracy'"),
    );
  });

  it('exposes tf.metrics-style functions', () => {
    assert.deepEqual(
      metrics.categoricalAccuracy(tensor([1, 0], [1, 2]), tensor([0.9, 0.1], [1, 2])).toArray(),
      [1],
    );
    assert.ok(metrics.get('acc') instanceof AutoAccuracy);
  });
});
