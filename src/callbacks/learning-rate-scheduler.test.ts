import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackModel, Logs } from './callback.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';

class FakeModel implements CallbackModel {
  stopTraining = false;
  optimizer = { learningRate: 0.01 };
  getWeights(): Float32Array[] {
    return [];
  }
  setWeights(): void {}
}

describe('LearningRateScheduler', () => {
  it('sets schedule(epoch, lr) at each epoch start (Keras docs: 0.01 -> 0.00607 over 15 epochs)', () => {
    const model = new FakeModel();
    const cb = new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
    cb.setModel(model);
    const logged: number[] = [];
    for (let epoch = 0; epoch < 15; epoch++) {
      cb.onEpochBegin(epoch);
      const logs: Logs = { loss: 1 };
      cb.onEpochEnd(epoch, logs);
      logged.push(logs['learning_rate']!);
    }
    assert.equal(Math.round(model.optimizer.learningRate * 1e5) / 1e5, 0.00607);
    assert.equal(logged[9], 0.01);
    assert.ok(Math.abs(logged[14]! - 0.01 * Math.exp(-0.5)) < 1e-15);
  });

  it('takes a one-argument schedule, prints when verbose, rejects a bad rate', () => {
    const model = new FakeModel();
    const messages: string[] = [];
    const cb = new LearningRateScheduler((epoch) => 0.1 / (epoch + 1), {
      verbose: 1,
      log: (m) => messages.push(m),
    });
    cb.setModel(model);
    cb.onEpochBegin(1);
    assert.equal(model.optimizer.learningRate, 0.05);
    assert.deepEqual(messages, ['\nEpoch 2: LearningRateScheduler setting learning rate to 0.05.']);
    const bad = new LearningRateScheduler(() => NaN);
    bad.setModel(model);
    assert.throws(() => bad.onEpochBegin(0), /must return a number >= 0; got NaN/);
  });
});
