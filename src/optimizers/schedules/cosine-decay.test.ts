import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosineDecay } from './cosine-decay.js';

/** Keras 3's CosineDecay restated: linear warm-up to the target, then cosine to alpha * target. */
function keras(
  step: number,
  c: { initial: number; decaySteps: number; alpha: number; target: number | null; warmup: number },
): number {
  const from = c.target ?? c.initial;
  const warm = c.target === null ? 0 : c.warmup;
  const t = Math.min(step, warm + c.decaySteps);
  if (t < warm) return c.initial + (t / warm) * (c.target! - c.initial);
  const fraction = (t - warm) / c.decaySteps;
  return from * (c.alpha + (1 - c.alpha) * ((1 + Math.cos(Math.PI * fraction)) / 2));
}

describe('CosineDecay', () => {
  it('decays from the initial rate to alpha times it over decaySteps, then stays', () => {
    const c = { initial: 0.1, decaySteps: 8, alpha: 0.1, target: null, warmup: 0 };
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 8, alpha: 0.1 });
    for (let t = 0; t <= 12; t++) {
      assert.ok(Math.abs(s.call(t) - keras(t, c)) < 1e-16, `step ${t}`);
    }
    assert.equal(s.call(0), 0.1);
    assert.ok(Math.abs(s.call(4) - 0.1 * (0.1 + 0.9 * 0.5)) < 1e-16);
    assert.ok(Math.abs(s.call(100) - 0.01) < 1e-17);
  });

  it('warms up linearly from initial to warmupTarget, then decays from the target', () => {
    const c = { initial: 0, decaySteps: 10, alpha: 0, target: 0.2, warmup: 4 };
    const s = new CosineDecay({
      initial_learning_rate: 0,
      decay_steps: 10,
      warmup_target: 0.2,
      warmup_steps: 4,
    });
    const got = Array.from({ length: 16 }, (_, t) => s.call(t));
    got.forEach((v, t) => assert.ok(Math.abs(v - keras(t, c)) < 1e-16, `step ${t}`));
    assert.deepEqual(got.slice(0, 5), [0, 0.05, 0.1, 0.15000000000000002, 0.2]);
    assert.ok(Math.abs(got[9]! - 0.1) < 1e-16, 'half-way through the decay');
    assert.equal(got[14], 0);
    assert.equal(got[15], 0);
  });

  it('checks its arguments', () => {
    assert.throws(
      () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }),
      /decaySteps must be > 0/,
    );
    assert.throws(
      () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, alpha: 2 }),
      /alpha must be in \[0, 1\]/,
    );
    assert.throws(
      () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, warmupSteps: 3 }),
      /warmupSteps needs warmupTarget/,
    );
    assert.throws(
      () =>
        new CosineDecay({
          initialLearningRate: 0.1,
          decaySteps: 5,
          warmupTarget: 1,
          warmup_target: 2,
        }),
      /disagree/,
    );
  });

  it('round-trips its config, a Keras dump included', () => {
    const keras3 = {
      initial_learning_rate: 0.0,
      decay_steps: 1000,
      alpha: 0.0,
      name: 'CosineDecay',
      warmup_target: 0.1,
      warmup_steps: 100,
    };
    const s = new CosineDecay(keras3);
    assert.deepEqual(s.getConfig(), {
      initialLearningRate: 0,
      decaySteps: 1000,
      alpha: 0,
      warmupTarget: 0.1,
      warmupSteps: 100,
    });
    assert.deepEqual(CosineDecay.fromConfig(s.getConfig()).getConfig(), s.getConfig());
    const plain = new CosineDecay({ ...keras3, warmup_target: null, warmup_steps: 0 });
    assert.equal(plain.warmupTarget, null);
  });
});
