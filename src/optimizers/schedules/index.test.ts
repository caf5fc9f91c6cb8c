import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../kernels/index.js';
import { assertAllClose } from '../../../test/helpers/numeric.js';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  getOptimizer,
  optimizers,
  RMSprop,
  serializeOptimizer,
  SGD,
} from '../index.js';
import { gradAt, runSteps, START } from '../optimizer-test-util.js';
import {
  CosineDecay,
  ExponentialDecay,
  getSchedule,
  PiecewiseConstantDecay,
  schedules,
  serializeSchedule,
} from './index.js';

/** Keras 3 SGD with momentum, in doubles, one learning rate per step. */
function sgdReference(lrs: number[], momentum: number): number[][] {
  const p = [...START];
  const v = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      v[i] = momentum * v[i]! - lr * g[i]!;
      p[i] = p[i]! + v[i]!;
    }
    return [...p];
  });
}

/** Keras 3 Adam, in doubles, one learning rate per step (bias correction on the 1-based step). */
function adamReference(lrs: number[], b1: number, b2: number, eps: number): number[][] {
  const p = [...START];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    const k = t + 1;
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** k);
      const vHat = v[i]! / (1 - b2 ** k);
      p[i] = p[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps * Math.sqrt(1 / (1 - b2 ** k)));
    }
    return [...p];
  });
}

describe('schedules as learning rates', () => {
  it('SGD + ExponentialDecay(staircase): step t uses the rate at iterations = t', () => {
    const sched = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 2,
      decayRate: 0.5,
      staircase: true,
    });
    const got = runSteps(new SGD({ learningRate: sched, momentum: 0.9 }), 6);
    const lrs = [0.1, 0.1, 0.05, 0.05, 0.025, 0.025];
    sgdReference(lrs, 0.9).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('Adam + CosineDecay with warm-up, step by step', () => {
    const sched = new CosineDecay({
      initialLearningRate: 0,
      decaySteps: 4,
      warmupTarget: 0.01,
      warmupSteps: 2,
      alpha: 0.1,
    });
    const got = runSteps(new Adam({ learningRate: sched }), 8);
    // Warm-up 0, 0.005; then 0.01 * (0.1 + 0.9 * (1 + cos(pi k / 4)) / 2) for k = 0..4, then flat.
    const cosine = (k: number): number => 0.01 * (0.1 + 0.45 * (1 + Math.cos((Math.PI * k) / 4)));
    const lrs = [0, 0.005, cosine(0), cosine(1), cosine(2), cosine(3), cosine(4), cosine(4)];
    adamReference(lrs, 0.9, 0.999, 1e-7).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('RMSprop + PiecewiseConstantDecay: the rate drops after the boundary step', () => {
    const opt = new RMSprop({
      learningRate: new PiecewiseConstantDecay({ boundaries: [1], values: [0.01, 0.001] }),
    });
    const seen: number[] = [];
    runSteps(opt, 4, () => seen.push(opt.learningRate));
    assert.deepEqual(seen, [0.01, 0.01, 0.001, 0.001]);
  });

  it('a scheduled rate cannot be set (Keras raises TypeError)', () => {
    const opt = new Adam({
      learningRate: schedules.exponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 1,
        decayRate: 0.5,
      }),
    });
    assert.throws(() => {
      opt.learningRate = 0.5;
    }, /follows its ExponentialDecay schedule and cannot be set/);
    const fixed = new Adam();
    fixed.learningRate = 0.002;
    assert.equal(fixed.learningRate, 0.002);
  });

  it('every optimizer round-trips a schedule through its config', () => {
    const sched = (): CosineDecay =>
      new CosineDecay({
        initialLearningRate: 0.05,
        decaySteps: 100,
        warmupTarget: 0.1,
        warmupSteps: 10,
      });
    const all = [
      new SGD({ learningRate: sched(), momentum: 0.9 }),
      new RMSprop({ learningRate: sched() }),
      new Adam({ learningRate: sched() }),
      new AdamW({ learningRate: sched(), weightDecay: 0.01 }),
      new Adagrad({ learningRate: sched() }),
      new Adadelta({ learningRate: sched() }),
    ];
    for (const opt of all) {
      const saved = JSON.parse(JSON.stringify(serializeOptimizer(opt)));
      assert.deepEqual(saved.config.learningRate, {
        className: 'CosineDecay',
        config: {
          initialLearningRate: 0.05,
          decaySteps: 100,
          alpha: 0,
          warmupTarget: 0.1,
          warmupSteps: 10,
        },
      });
      const copy = getOptimizer(saved);
      assert.equal(copy.constructor, opt.constructor);
      assert.deepEqual(copy.getConfig(), opt.getConfig());
      assert.ok(copy.schedule instanceof CosineDecay);
    }
  });

  it('reads Keras serialize() output, snake_case learning_rate included', () => {
    const keras = {
      module: 'keras.optimizers.schedules',
      class_name: 'ExponentialDecay',
      config: {
        initial_learning_rate: 0.1,
        decay_steps: 1000,
        decay_rate: 0.96,
        staircase: true,
        name: 'ExponentialDecay',
      },
      registered_name: null,
    };
    const s = getSchedule(keras);
    assert.ok(s instanceof ExponentialDecay);
    assert.deepEqual(getSchedule(serializeSchedule(s)).getConfig(), s.getConfig());
    const opt = getOptimizer({ className: 'SGD', config: { learning_rate: keras as never } });
    assert.equal(opt.schedule?.className, 'ExponentialDecay');
    assert.equal(optimizers.sgd(s).schedule, s);
    assert.throws(
      () => getSchedule({ className: 'OneCycle' }),
      /Unknown learning-rate schedule 'OneCycle'/,
    );
  });
});
