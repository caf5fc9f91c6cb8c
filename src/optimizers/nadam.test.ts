import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Nadam } from './nadam.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

interface Hyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Keras 3 Nadam in plain doubles, written as keras/src/optimizers/nadam.py states it. */
function reference(lrs: number[], h: Hyper): number[][] {
  const p = [...START];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  let uProduct = 1;
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    const step = t + 1;
    // _backend_update_step: the product first, then each variable's update_step.
    uProduct = uProduct * h.beta1 * (1 - 0.5 * 0.96 ** step);
    const u = h.beta1 * (1 - 0.5 * 0.96 ** step);
    const uNext = h.beta1 * (1 - 0.5 * 0.96 ** (step + 1));
    const uProductNext = uProduct * uNext;
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i]! + (g[i]! - m[i]!) * (1 - h.beta1);
      v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - h.beta2);
      const mHat = (uNext * m[i]!) / (1 - uProductNext) + ((1 - u) * g[i]!) / (1 - uProduct);
      const vHat = v[i]! / (1 - h.beta2 ** step);
      p[i] = p[i]! - (mHat * lr) / (Math.sqrt(vHat) + h.epsilon);
    }
    return [...p];
  });
}

describe('Nadam', () => {
  it('matches the Keras formulas for 4 steps', () => {
    const h = { beta1: 0.8, beta2: 0.5, epsilon: 1e-7 };
    const got = runSteps(new Nadam({ learningRate: 0.01, ...h }), 4);
    reference([0.01, 0.01, 0.01, 0.01], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('has the Keras 3 defaults, and matches the reference with them', () => {
    const opt = new Nadam();
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    const got = runSteps(opt, 3);
    reference([0.001, 0.001, 0.001], { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }).forEach(
      (want, t) => assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('keeps the momentum product right across a learning-rate change and a restored step count', () => {
    const h = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const opt = new Nadam({ learningRate: 0.01 });
    const got = runSteps(opt, 3, (t) => {
      if (t === 1) opt.learningRate = 0.1;
    });
    reference([0.01, 0.1, 0.1], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new Nadam({ learning_rate: 0.002, beta_1: 0.85, beta_2: 0.99 });
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.002,
      beta1: 0.85,
      beta2: 0.99,
      epsilon: 1e-7,
    });
    assert.deepEqual(Nadam.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });
});
