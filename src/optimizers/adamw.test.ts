import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { AdamW } from './adamw.js';
import { getOptimizer, serializeOptimizer } from './index.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';
import { ExponentialDecay } from './schedules/index.js';

/**
 * Keras 3 AdamW in doubles: p -= p * wd * lr (BaseOptimizer._apply_weight_decay), then the Adam
 * step with the same lr; written with explicit bias-corrected moments.
 */
function reference(lrs: number[], wd: number, decayed = true): number[][] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  const p = [...START];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    const k = t + 1;
    for (let i = 0; i < p.length; i++) {
      if (decayed) p[i] = p[i]! - p[i]! * wd * lr;
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const alpha = (lr * Math.sqrt(1 - b2 ** k)) / (1 - b1 ** k);
      p[i] = p[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + eps);
    }
    return [...p];
  });
}

describe('AdamW', () => {
  it('matches Keras 3 step by step: decay by wd * lr before the Adam update', () => {
    const got = runSteps(new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), 4);
    reference([0.01, 0.01, 0.01, 0.01], 0.1).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
    // The decay matters: plain Adam differs.
    assert.notDeepEqual(got[3], reference([0.01, 0.01, 0.01, 0.01], 0.1, false)[3]);
  });

  it('decays with the scheduled rate of each step', () => {
    const sched = new ExponentialDecay({
      initialLearningRate: 0.02,
      decaySteps: 1,
      decayRate: 0.5,
    });
    const got = runSteps(new AdamW({ learningRate: sched, weight_decay: 0.3 }), 4);
    reference([0.02, 0.01, 0.005, 0.0025], 0.3).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('agrees with the float64 formulas to float32 rounding on a float32 variable', () => {
    const v = new Variable(new Tensor(Float32Array.from(START), [START.length]), { name: 'w' });
    const opt = new AdamW({ learningRate: 0.01, weightDecay: 0.1 });
    const want = reference([0.01, 0.01, 0.01], 0.1);
    for (let t = 0; t < 3; t++) {
      v.grad = new Tensor(Float32Array.from(gradAt(t)), v.shape);
      opt.applyGradients([v]);
      assertAllClose(v.values, want[t]!, { rel: 2e-6, abs: 1e-7 }, `step ${t + 1}`);
    }
  });

  it('excludeFromWeightDecay: by name substring or by variable, Adam step still applied', () => {
    const make = (name: string): Variable =>
      new Variable(new Tensor(Float64Array.from(START), [START.length]), { name });
    const kernel = make('dense/kernel');
    const bias = make('dense/bias');
    const gamma = make('bn/gamma');
    const opt = new AdamW({ learningRate: 0.01, weightDecay: 0.1 });
    opt.excludeFromWeightDecay({ varNames: ['bias'], variables: [gamma] });
    for (let t = 0; t < 3; t++) {
      for (const v of [kernel, bias, gamma])
        v.grad = new Tensor(Float64Array.from(gradAt(t)), v.shape);
      opt.applyGradients([kernel, bias, gamma]);
    }
    const lrs = [0.01, 0.01, 0.01];
    assertAllClose(kernel.values, reference(lrs, 0.1)[2]!, { rel: 1e-12 }, 'kernel');
    assertAllClose(bias.values, reference(lrs, 0.1, false)[2]!, { rel: 1e-12 }, 'bias');
    assertAllClose(gamma.values, reference(lrs, 0.1, false)[2]!, { rel: 1e-12 }, 'gamma');
  });

  it('has Keras 3 defaults, registry name and config round-trip', () => {
    const opt = getOptimizer('adamw');
    assert.ok(opt instanceof AdamW);
    assert.deepEqual(opt.getConfig(), {
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: 0.004,
    });
    const custom = new AdamW({ learningRate: 0.003, weightDecay: 0.05, beta_1: 0.8 });
    const copy = getOptimizer(serializeOptimizer(custom));
    assert.equal(serializeOptimizer(custom).className, 'AdamW');
    assert.ok(copy instanceof AdamW);
    assert.deepEqual(copy.getConfig(), custom.getConfig());
    assert.throws(() => new AdamW({ weightDecay: -1 }), /weightDecay must be a number >= 0/);
    assert.throws(() => new AdamW({ weightDecay: 0.1, weight_decay: 0.2 }), /disagree/);
  });
});
