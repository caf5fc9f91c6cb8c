import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Adam } from './adam.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

interface Hyper {
  beta1: number;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;
}

/** Keras 3 Adam in plain doubles. */
function reference(lrs: number[], h: Hyper): number[][] {
  const p = [...START];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const vhat = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    const step = t + 1;
    const alpha = (lr * Math.sqrt(1 - h.beta2 ** step)) / (1 - h.beta1 ** step);
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i]! + (g[i]! - m[i]!) * (1 - h.beta1);
      v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - h.beta2);
      let second = v[i]!;
      if (h.amsgrad) {
        vhat[i] = Math.max(vhat[i]!, v[i]!);
        second = vhat[i]!;
      }
      p[i] = p[i]! - (m[i]! * alpha) / (Math.sqrt(second) + h.epsilon);
    }
    return [...p];
  });
}

describe('Adam', () => {
  for (const amsgrad of [false, true]) {
    it(`matches the Keras formulas for 3 steps (amsgrad ${amsgrad})`, () => {
      // beta2 small enough that v shrinks between steps, so AMSGrad's max matters.
      const h = { beta1: 0.8, beta2: 0.5, epsilon: 1e-7, amsgrad };
      const got = runSteps(new Adam({ learningRate: 0.01, ...h }), 3);
      reference([0.01, 0.01, 0.01], h).forEach((want, t) =>
        assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
      );
    });
  }

  it('AMSGrad changes the result when the second moment falls', () => {
    const h = { beta1: 0.8, beta2: 0.5, epsilon: 1e-7 };
    const a = reference([0.01, 0.01, 0.01], { ...h, amsgrad: false });
    const b = reference([0.01, 0.01, 0.01], { ...h, amsgrad: true });
    assert.notDeepEqual(a[2], b[2]);
  });

  it('has the Keras 3 defaults', () => {
    const opt = new Adam();
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    });
    const got = runSteps(opt, 3);
    const h = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
    reference([0.001, 0.001, 0.001], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('applies a learning-rate change from the next step on (bias correction keeps counting)', () => {
    const h = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };
    const opt = new Adam({ learningRate: 0.01 });
    const got = runSteps(opt, 3, (t) => {
      if (t === 1) opt.learningRate = 0.1;
    });
    reference([0.01, 0.1, 0.1], h).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new Adam({ learning_rate: 0.002, beta_1: 0.85, beta_2: 0.99, amsgrad: true });
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.002,
      beta1: 0.85,
      beta2: 0.99,
      epsilon: 1e-7,
      amsgrad: true,
    });
    assert.deepEqual(Adam.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });

  it('accepts a Keras get_config() dump with the base optimizer keys switched off', () => {
    const opt = new Adam({
      name: 'adam',
      learning_rate: 0.001,
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    } as never);
    assert.equal(opt.beta2, 0.999);
    assert.throws(() => new Adam({ clipnorm: 1 } as never), /'clipnorm' = 1 is not supported/);
  });
});
