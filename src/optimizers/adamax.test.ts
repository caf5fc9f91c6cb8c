import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Adamax } from './adamax.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

interface Hyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Keras 3 Adamax in plain doubles, written as keras/src/optimizers/adamax.py states it. */
function reference(lrs: number[], h: Hyper): number[][] {
  const p = [...START];
  const m = p.map(() => 0);
  const u = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    const beta1Power = h.beta1 ** (t + 1);
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i]! + (g[i]! - m[i]!) * (1 - h.beta1);
      u[i] = Math.max(h.beta2 * u[i]!, Math.abs(g[i]!));
      p[i] = p[i]! - (lr * m[i]!) / ((1 - beta1Power) * (u[i]! + h.epsilon));
    }
    return [...p];
  });
}

describe('Adamax', () => {
  it('matches the Keras formulas for 4 steps (a zero gradient keeps the norm decaying)', () => {
    // beta2 small enough that the decayed norm falls below |g|, so both sides of the max occur.
    const h = { beta1: 0.8, beta2: 0.5, epsilon: 1e-7 };
    const got = runSteps(new Adamax({ learningRate: 0.01, ...h }), 4);
    reference([0.01, 0.01, 0.01, 0.01], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('has the Keras 3 defaults, and matches the reference with them', () => {
    const opt = new Adamax();
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

  it('places epsilon outside the max, as Keras does (PyTorch adds it to |g| inside)', () => {
    const h = { beta1: 0.9, beta2: 0.999, epsilon: 0.5 };
    const got = runSteps(new Adamax({ learningRate: 0.1, ...h }), 1)[0]!;
    const g = gradAt(0);
    // Step 1: m = 0.1 g, u = |g|, p -= 0.1 * 0.1 g / (0.1 * (|g| + eps)).
    const want = START.map((p, i) => p - (0.1 * g[i]!) / (Math.abs(g[i]!) + 0.5));
    assertAllClose(got, want, { rel: 1e-12 }, 'step 1');
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new Adamax({ learning_rate: 0.002, beta_1: 0.85, beta_2: 0.99 });
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.002,
      beta1: 0.85,
      beta2: 0.99,
      epsilon: 1e-7,
    });
    assert.deepEqual(Adamax.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });
});
