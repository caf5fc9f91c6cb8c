import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { tensor } from '../tensor/tensor.js';
import { getLoss, getPerSampleLoss, losses, LOSS_NAMES } from './index.js';

describe('getLoss', () => {
  it('accepts snake_case, camelCase, PascalCase and Keras aliases', () => {
    const cases: [string, string][] = [
      ['categorical_crossentropy', 'categorical_crossentropy'],
      ['categoricalCrossentropy', 'categorical_crossentropy'],
      ['CategoricalCrossentropy', 'categorical_crossentropy'],
      ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'],
      ['sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
      ['binary_crossentropy', 'binary_crossentropy'],
      ['binaryCrossentropy', 'binary_crossentropy'],
      ['poisson', 'poisson'],
      ['mean_squared_error', 'mean_squared_error'],
      ['meanSquaredError', 'mean_squared_error'],
      ['mse', 'mean_squared_error'],
      ['mean_absolute_error', 'mean_absolute_error'],
      ['mae', 'mean_absolute_error'],
    ];
    for (const [id, name] of cases) assert.equal(getLoss(id).name, name, id);
    assert.deepEqual(LOSS_NAMES.length, 6);
  });

  it('names every valid loss for an unknown one', () => {
    assert.throws(
      () => getLoss('hinge'),
      (e: Error) =>
        /Unknown loss 'hinge'/.test(e.message) &&
        LOSS_NAMES.every((n) => e.message.includes(`'${n}'`)) &&
        e.message.includes("'mse'"),
    );
  });

  it('passes options, reads Keras {className, config} and returns functions as is', () => {
    const z = tensor([2, 0], [1, 2], 'float64');
    const y = tensor([1, 0], [1, 2], 'float64');
    const want = Math.log(1 + Math.exp(-2));
    assert.ok(
      Math.abs(getLoss('categorical_crossentropy', { fromLogits: true })(y, z).item() - want) <
        1e-12,
    );
    const serialized = getLoss({
      className: 'CategoricalCrossentropy',
      config: {
        name: 'categorical_crossentropy',
        reduction: 'sum_over_batch_size',
        from_logits: true,
        label_smoothing: 0,
        axis: -1,
      },
    });
    assert.ok(Math.abs(serialized(y, z).item() - want) < 1e-12);
    assert.throws(() => getLoss({ className: 'mse', config: { reduction: 'sum' } }), /reduction/);
    const custom = function custom(a: typeof y, _b: typeof y): typeof y {
      return a;
    };
    assert.equal(getLoss(custom), custom);
  });

  it('exposes the per-sample (unreduced) forms', () => {
    const per = getPerSampleLoss('mse')(tensor([0, 0, 0, 0], [2, 2]), tensor([1, 1, 2, 2], [2, 2]));
    assert.deepEqual(per.toArray(), [1, 4]);
  });
});

describe('losses namespace', () => {
  it('calls like tf.losses and takes options as a third argument', () => {
    const y = tensor([0, 1], [1, 2]);
    assert.ok(
      Math.abs(losses.categoricalCrossentropy(y, tensor([0.5, 0.5], [1, 2])).item() - Math.log(2)) <
        1e-6,
    );
    assert.ok(
      Math.abs(
        losses.categoricalCrossentropy(y, tensor([0, 0], [1, 2]), { fromLogits: true }).item() -
          Math.log(2),
      ) < 1e-6,
    );
    assert.equal(losses.mse(tensor([1]), tensor([3])).item(), 4);
    assert.equal(losses.meanAbsoluteError(tensor([1]), tensor([3])).item(), 2);
    assert.equal(losses.get('mse').name, 'mean_squared_error');
  });
});
