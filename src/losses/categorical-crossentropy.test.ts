import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { gradCheck, randomTensor } from '../../test/helpers/gradcheck.js';
import { softmax, transpose } from '../ops/index.js';
import { noGrad } from '../tensor/tape.js';
import { Tensor, tensor } from '../tensor/tensor.js';
import {
  categoricalCrossentropy,
  categoricalCrossentropyLoss,
  categoricalCrossentropyPerSample,
} from './categorical-crossentropy.js';

const f64 = (values: number[], shape: number[]): Tensor => tensor(values, shape, 'float64');

/** A float64 row-stochastic target distribution of the given shape. */
function softTargets(shape: number[], seed: number): Tensor {
  return noGrad(() => softmax(randomTensor(shape, seed, -2, 2)));
}

/** softmax(z), as a softmax layer makes it. */
function softmaxLayer(z: Tensor): Tensor {
  // The softmax op's output: losses find z behind it (ops.softmaxLogits).
  return softmax(z);
}

describe('categorical_crossentropy', () => {
  it('matches hand-computed values from probabilities (Keras docs example)', () => {
    const yTrue = tensor([0, 1, 0, 0, 0, 1], [2, 3]);
    const yPred = tensor([0.05, 0.95, 0, 0.1, 0.8, 0.1], [2, 3]);
    const want = (-Math.log(0.95) - Math.log(0.1)) / 2;
    assert.ok(Math.abs(categoricalCrossentropy(yTrue, yPred).item() - want) < 1e-6);
    assert.equal(categoricalCrossentropy.name, 'categorical_crossentropy');
    const per = categoricalCrossentropyPerSample(yTrue, yPred);
    assert.deepEqual(per.shape, [2]);
  });

  it('renormalises predictions and clips them to [1e-7, 1 - 1e-7]', () => {
    const t = f64([0, 1], [1, 2]);
    assert.ok(
      Math.abs(categoricalCrossentropy(t, f64([1, 3], [1, 2])).item() + Math.log(0.75)) < 1e-12,
    );
    // A zero probability on the true class costs -log(1e-7), not Infinity.
    const clipped = categoricalCrossentropy(t, f64([1, 0], [1, 2])).item();
    assert.ok(Math.abs(clipped + Math.log(1e-7)) < 1e-9);
  });

  it('computes the exact softmax cross-entropy from logits', () => {
    const z = f64([1, 2, 3, -1, 0, 5], [2, 3]);
    const t = f64([0, 0, 1, 0.5, 0.5, 0], [2, 3]);
    const lse = (a: number[]): number => Math.log(a.reduce((s, v) => s + Math.exp(v), 0));
    const want = [lse([1, 2, 3]) - 3, lse([-1, 0, 5]) - 0.5 * (-1 + 0)];
    const per = categoricalCrossentropyPerSample(t, z, { fromLogits: true }).toArray();
    per.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12));
    // The same numbers through a softmax layer's tagged output.
    const viaLayer = categoricalCrossentropyPerSample(t, softmaxLayer(z)).toArray();
    viaLayer.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12));
  });

  it('uses the logits for saturated softmax outputs (no clipping at 1e-7)', () => {
    const z = f64([0, 40], [1, 2]);
    const t = f64([1, 0], [1, 2]);
    assert.ok(Math.abs(categoricalCrossentropy(t, softmaxLayer(z)).item() - 40) < 1e-9);
    // The same probabilities, not made by the softmax op: clipped, -log(1e-7) ~ 16.1.
    const probs = f64(Array.from(softmax(z).values), [1, 2]);
    assert.ok(categoricalCrossentropy(t, probs).item() < 17);
  });

  it('applies label smoothing: y * (1 - s) + s / classes', () => {
    const z = f64([0.3, -1, 2], [1, 3]);
    const smoothed = f64([0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3], [1, 3]);
    const a = categoricalCrossentropy(f64([0, 1, 0], [1, 3]), z, {
      fromLogits: true,
      labelSmoothing: 0.1,
    });
    const b = categoricalCrossentropy(smoothed, z, { fromLogits: true });
    assert.ok(Math.abs(a.item() - b.item()) < 1e-12);
    const configured = categoricalCrossentropyLoss({ label_smoothing: 0.1, from_logits: true });
    assert.ok(Math.abs(configured(f64([0, 1, 0], [1, 3]), z).item() - b.item()) < 1e-12);
  });

  it('reduces over a non-last class axis', () => {
    const z = randomTensor([2, 3, 4], 11, -2, 2);
    const t = noGrad(() => softmax(randomTensor([2, 4, 3], 12)));
    const tAxis1 = transpose(t, [0, 2, 1]);
    const a = categoricalCrossentropyPerSample(tAxis1, z, { fromLogits: true, axis: 1 });
    const b = categoricalCrossentropyPerSample(t, transpose(z, [0, 2, 1]), { fromLogits: true });
    assert.deepEqual(a.shape, [2, 4]);
    a.toArray().forEach((v, i) => assert.ok(Math.abs(v - b.values[i]!) < 1e-12));
  });

  it('accepts int32 one-hot labels and rejects mismatched shapes', () => {
    const yPred = tensor([0.2, 0.8], [1, 2]);
    const v = categoricalCrossentropy(tensor([0, 1], [1, 2], 'int32'), yPred).item();
    assert.ok(Math.abs(v + Math.log(0.8)) < 1e-6);
    assert.throws(() => categoricalCrossentropy(tensor([1, 0, 0], [1, 3]), yPred), /same shape/);
    assert.throws(
      () => categoricalCrossentropy(tensor([1], [1]), tensor([0.5, 0.5], [1, 2])),
      /same shape/,
    );
  });

  it('gradient-checks the probability path (float64)', () => {
    const t = softTargets([3, 4], 1);
    const p = randomTensor([3, 4], 2, 0.1, 1);
    gradCheck('cce probs', (y, q) => categoricalCrossentropy(y!, q!), [t, p], { check: [1] });
    gradCheck(
      'cce probs, smoothing, axis 0',
      (y, q) => categoricalCrossentropy(y!, q!, { labelSmoothing: 0.2, axis: 0 }),
      [t, p],
      { check: [1] },
    );
  });

  it('gradient-checks the logits paths (fromLogits and a softmax layer, float64)', () => {
    const t = softTargets([3, 4], 3);
    const z = randomTensor([3, 4], 4, -3, 3);
    gradCheck(
      'cce fromLogits',
      (y, x) => categoricalCrossentropy(y!, x!, { fromLogits: true }),
      [t, z],
      {
        check: [1],
      },
    );
    gradCheck(
      'cce softmax layer',
      (y, x) => categoricalCrossentropy(y!, softmaxLayer(x!)),
      [t, z],
      {
        check: [1],
      },
    );
    gradCheck(
      'cce logits, axis 1 of rank 3',
      (y, x) => categoricalCrossentropy(y!, x!, { fromLogits: true, axis: 1, labelSmoothing: 0.1 }),
      [noGrad(() => transpose(softTargets([2, 3, 4], 5), [0, 2, 1])), randomTensor([2, 4, 3], 6)],
      { check: [1] },
    );
  });

  it('rejects unknown options', () => {
    assert.throws(
      () => categoricalCrossentropyLoss({ fromLogit: true } as never),
      /unknown option 'fromLogit'/,
    );
    assert.throws(
      () =>
        categoricalCrossentropyLoss({ labelSmoothing: 2 })(
          tensor([1], [1, 1]),
          tensor([1], [1, 1]),
        ),
      /labelSmoothing/,
    );
  });
});
