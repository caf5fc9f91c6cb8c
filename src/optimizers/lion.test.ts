import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Lion } from './lion.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

interface Hyper {
  beta1: number;
  beta2: number;
}

/** Keras 3 Lion in plain doubles, written as keras/src/optimizers/lion.py states it. */
function reference(lrs: number[], h: Hyper): number[][] {
  const p = [...START];
  const m = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      p[i] = p[i]! - lr * Math.sign(m[i]! * h.beta1 + g[i]! * (1 - h.beta1));
      m[i] = m[i]! * h.beta2 + g[i]! * (1 - h.beta2);
    }
    return [...p];
  });
}

describe('Lion', () => {
  it('matches the Keras formulas for 4 steps (the momentum flips some signs)', () => {
    const h = { beta1: 0.8, beta2: 0.5 };
    const got = runSteps(new Lion({ learningRate: 0.01, ...h }), 4);
    const want = reference([0.01, 0.01, 0.01, 0.01], h);
    want.forEach((w, t) => assertAllClose(got[t]!, w, { rel: 1e-12 }, `step ${t + 1}`));
    // The momentum turns some steps around: not every element moved 4 lr one way.
    assert.ok(want[3]!.some((v, i) => v !== START[i]! - 0.04 && v !== START[i]! + 0.04));
  });

  it('takes no step where the combined direction is exactly zero', () => {
    const opt = new Lion({ learningRate: 0.5, beta1: 1 });
    // beta1 = 1 and a zero momentum: sign(0) = 0 on the first step.
    assert.deepEqual(runSteps(opt, 1)[0], START);
  });

  it('has the Keras 3 defaults and refuses a beta1 outside (0, 1]', () => {
    assert.deepEqual(new Lion().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.99 });
    assert.throws(() => new Lion({ beta1: 0 }), /beta1 must be in \(0, 1\]/);
    assert.throws(() => new Lion({ beta_1: 1.5 }), /beta1 must be in \(0, 1\]/);
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new Lion({ learning_rate: 0.0003, beta_1: 0.95, beta_2: 0.98 });
    assert.deepEqual(opt.getConfig(), { learningRate: 0.0003, beta1: 0.95, beta2: 0.98 });
    assert.deepEqual(Lion.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });
});
