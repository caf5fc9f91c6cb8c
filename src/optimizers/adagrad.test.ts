import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Adagrad } from './adagrad.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

/** Keras 3 Adagrad in plain doubles. */
function reference(lrs: number[], initial: number, epsilon: number): number[][] {
  const p = [...START];
  const acc = p.map(() => initial);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      acc[i] = acc[i]! + g[i]! ** 2;
      p[i] = p[i]! - (lr * g[i]!) / Math.sqrt(acc[i]! + epsilon);
    }
    return [...p];
  });
}

describe('Adagrad', () => {
  for (const initial of [0.1, 0, 1.5]) {
    it(`matches the Keras formulas for 3 steps (initialAccumulatorValue ${initial})`, () => {
      const got = runSteps(
        new Adagrad({ learningRate: 0.05, initialAccumulatorValue: initial, epsilon: 1e-6 }),
        3,
      );
      reference([0.05, 0.05, 0.05], initial, 1e-6).forEach((want, t) =>
        assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
      );
    });
  }

  it('has the Keras 3 defaults', () => {
    const opt = new Adagrad();
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.001,
      initialAccumulatorValue: 0.1,
      epsilon: 1e-7,
    });
    const got = runSteps(opt, 3);
    reference([0.001, 0.001, 0.001], 0.1, 1e-7).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('applies a learning-rate change from the next step on', () => {
    const opt = new Adagrad({ learningRate: 0.05 });
    const got = runSteps(opt, 3, (t) => {
      if (t === 2) opt.learningRate = 0.5;
    });
    reference([0.05, 0.05, 0.5], 0.1, 1e-7).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new Adagrad({ learning_rate: 0.3, initial_accumulator_value: 0.2 });
    assert.equal(opt.initialAccumulatorValue, 0.2);
    assert.deepEqual(Adagrad.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
    assert.throws(() => new Adagrad({ initialAccumulatorValue: -1 }), />= 0/);
  });
});
