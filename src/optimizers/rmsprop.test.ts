import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';
import { RMSprop } from './rmsprop.js';

interface Hyper {
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/** Keras 3 RMSprop in plain doubles. */
function reference(lrs: number[], h: Hyper): number[][] {
  const p = [...START];
  const ms = p.map(() => 0);
  const mg = p.map(() => 0);
  const mom = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      ms[i] = h.rho * ms[i]! + (1 - h.rho) * g[i]! ** 2;
      let denominator = ms[i]! + h.epsilon;
      if (h.centered) {
        mg[i] = h.rho * mg[i]! + (1 - h.rho) * g[i]!;
        denominator = ms[i]! - mg[i]! ** 2 + h.epsilon;
      }
      const increment = (lr * g[i]!) / Math.sqrt(denominator);
      if (h.momentum > 0) {
        mom[i] = h.momentum * mom[i]! + increment;
        p[i] = p[i]! - mom[i]!;
      } else {
        p[i] = p[i]! - increment;
      }
    }
    return [...p];
  });
}

describe('RMSprop', () => {
  for (const centered of [false, true]) {
    for (const momentum of [0, 0.9]) {
      it(`matches the Keras formulas for 3 steps (centered ${centered}, momentum ${momentum})`, () => {
        const h = { rho: 0.8, momentum, epsilon: 1e-7, centered };
        const got = runSteps(new RMSprop({ learningRate: 0.01, ...h }), 3);
        reference([0.01, 0.01, 0.01], h).forEach((want, t) =>
          assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
        );
      });
    }
  }

  it('has the Keras 3 defaults', () => {
    const opt = new RMSprop();
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.001,
      rho: 0.9,
      momentum: 0,
      epsilon: 1e-7,
      centered: false,
    });
    const got = runSteps(opt, 3);
    const h = { rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };
    reference([0.001, 0.001, 0.001], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('applies a learning-rate change from the next step on', () => {
    const h = { rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true };
    const opt = new RMSprop({ learningRate: 0.01, ...h });
    const got = runSteps(opt, 3, (t) => {
      if (t === 1) opt.learningRate = 0.003;
    });
    reference([0.01, 0.003, 0.003], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new RMSprop({ learning_rate: 0.02, rho: 0.7, centered: true, momentum: 0.1 });
    assert.equal(opt.learningRate, 0.02);
    assert.deepEqual(RMSprop.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });
});
