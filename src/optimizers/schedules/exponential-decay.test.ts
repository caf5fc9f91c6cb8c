import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExponentialDecay } from './exponential-decay.js';

describe('ExponentialDecay', () => {
  it('follows initial * rate^(step / decaySteps) (Keras formula, written as exp/log)', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    for (const step of [0, 1, 5, 10, 17, 100]) {
      const want = 0.1 * Math.exp((Math.log(0.5) * step) / 10);
      assert.ok(Math.abs(s.call(step) - want) <= 1e-15, `step ${step}`);
    }
    assert.equal(s.call(10), 0.05);
    assert.ok(Math.abs(s.call(5) - 0.1 * Math.SQRT1_2) < 1e-16);
  });

  it('staircase: decays in whole periods', () => {
    const s = new ExponentialDecay({
      initial_learning_rate: 0.1,
      decay_steps: 10,
      decay_rate: 0.5,
      staircase: true,
    });
    assert.deepEqual(
      [0, 9, 10, 19, 20].map((t) => s.call(t)),
      [0.1, 0.1, 0.05, 0.05, 0.025],
    );
  });

  it('checks its arguments as Keras does, and more', () => {
    const base = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 };
    assert.throws(() => new ExponentialDecay({ ...base, decaySteps: 0 }), /decaySteps must be > 0/);
    assert.throws(() => new ExponentialDecay({ ...base, decayRate: -1 }), /decayRate must be > 0/);
    assert.throws(
      () => new ExponentialDecay({ decaySteps: 10, decayRate: 0.9 }),
      /'initialLearningRate' \(initial_learning_rate\) is required/,
    );
    assert.throws(
      () => new ExponentialDecay({ ...base, decay: 1 } as never),
      /unknown option 'decay'/,
    );
  });

  it('round-trips its config, Keras keys and name included', () => {
    const s = new ExponentialDecay({
      initial_learning_rate: 0.01,
      decay_steps: 100,
      decay_rate: 0.96,
      staircase: true,
      name: 'ExponentialDecay',
    });
    assert.deepEqual(s.getConfig(), {
      initialLearningRate: 0.01,
      decaySteps: 100,
      decayRate: 0.96,
      staircase: true,
    });
    assert.deepEqual(ExponentialDecay.fromConfig(s.getConfig()).getConfig(), s.getConfig());
  });
});
