import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../src/kernels/index.js';
import {
  LearningRateScheduler,
  ReduceLROnPlateau,
  TerminateOnNaN,
} from '../src/callbacks/index.js';
import { layers } from '../src/layers/index.js';
import { sequential } from '../src/models/index.js';
import { toyClassification } from '../src/models/test-data.test.js';
import { ExponentialDecay, SGD } from '../src/optimizers/index.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { NonFiniteLossError } from '../src/training/non-finite-loss-error.js';

function model(optimizer: SGD) {
  setSeed(5);
  const m = sequential({
    layers: [
      layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** toyClassification with one NaN pixel in sample `at`. */
function withNaN(n: number, at: number): { x: Tensor; y: Tensor } {
  const { x, y } = toyClassification(n);
  const data = Float32Array.from(x.values as Float32Array);
  data[at * 4] = NaN;
  return { x: new Tensor(data, x.shape), y };
}

describe('learning-rate callbacks in fit', () => {
  it('LearningRateScheduler and ReduceLROnPlateau drive the optimizer; History records learning_rate', async () => {
    const opt = new SGD({ learningRate: 0.1 });
    const m = model(opt);
    const { x, y } = toyClassification(64);
    const h = await m.fit(x, y, {
      epochs: 4,
      batchSize: 16,
      verbose: 0,
      callbacks: [new LearningRateScheduler((epoch) => 0.1 * 0.5 ** epoch)],
    });
    assert.deepEqual(h.history['learning_rate'], [0.1, 0.05, 0.025, 0.0125]);
    assert.equal(opt.learningRate, 0.0125);

    const opt2 = new SGD({ learningRate: 0.1 });
    const m2 = model(opt2);
    // Patience 0 and an impossible min_delta: every epoch after the first is a plateau.
    const h2 = await m2.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      verbose: 0,
      callbacks: [
        new ReduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.5, minDelta: 10 }),
      ],
    });
    assert.deepEqual(h2.history['learning_rate'], [0.1, 0.1, 0.05]);
    assert.equal(opt2.learningRate, 0.025);
  });

  it('an optimizer schedule advances per step; setting its rate from a callback fails clearly', async () => {
    const opt = new SGD({
      learningRate: new ExponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 4,
        decayRate: 0.5,
        staircase: true,
      }),
    });
    const m = model(opt);
    const { x, y } = toyClassification(64);
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    assert.equal(opt.iterations, 8);
    assert.equal(opt.learningRate, 0.025);
    await assert.rejects(
      m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => 0.1)] }),
      /follows its ExponentialDecay schedule and cannot be set/,
    );
  });

  it('TerminateOnNaN ends training gracefully at a NaN batch; without it fit throws', async () => {
    const { x, y } = withNaN(64, 20); // batch 1 of 4 (batch size 16, no shuffle)
    const m = model(new SGD({ learningRate: 0.1 }));
    const messages: string[] = [];
    const seen: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      shuffle: false,
      verbose: 0,
      callbacks: [
        new TerminateOnNaN({ log: (s) => messages.push(s) }),
        { onBatchEnd: (b) => void seen.push(b) },
      ],
    });
    assert.deepEqual(messages, ['Batch 1: Invalid loss, terminating training']);
    assert.deepEqual(seen, [0, 1]);
    assert.deepEqual(h.epoch, [0]);
    assert.ok(Number.isNaN(h.history['loss']![0]));
    assert.ok(
      m.getWeights().every((w) => w.every(Number.isFinite)),
      'the NaN step was not applied',
    );

    const m2 = model(new SGD({ learningRate: 0.1 }));
    await assert.rejects(
      m2.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 }),
      (e: Error) => e instanceof NonFiniteLossError && e.batch === 1,
    );
    const m3 = model(new SGD({ learningRate: 0.1 }));
    await assert.rejects(
      m3.fit(x, y, {
        epochs: 1,
        batchSize: 16,
        shuffle: false,
        verbose: 0,
        callbacks: [new TerminateOnNaN({ raiseError: true })],
      }),
      /NaN or Inf loss encountered at batch 1/,
    );
  });
});
