import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';
import { SGD } from './sgd.js';

/** Keras 3 SGD in plain doubles. */
function reference(lrs: number[], momentum: number, nesterov: boolean): number[][] {
  const p = [...START];
  const v = p.map(() => 0);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      if (momentum === 0) {
        p[i] = p[i]! - lr * g[i]!;
      } else {
        v[i] = momentum * v[i]! - lr * g[i]!;
        p[i] = nesterov ? p[i]! + momentum * v[i]! - lr * g[i]! : p[i]! + v[i]!;
      }
    }
    return [...p];
  });
}

describe('SGD', () => {
  for (const [momentum, nesterov] of [
    [0, false],
    [0.9, false],
    [0.9, true],
    [0.5, true],
  ] as const) {
    it(`matches the Keras formulas for 3 steps (momentum ${momentum}, nesterov ${nesterov})`, () => {
      const got = runSteps(new SGD({ learningRate: 0.1, momentum, nesterov }), 3);
      reference([0.1, 0.1, 0.1], momentum, nesterov).forEach((want, t) =>
        assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
      );
    });
  }

  it('has the Keras 3 defaults', () => {
    const opt = new SGD();
    assert.deepEqual(opt.getConfig(), { learningRate: 0.01, momentum: 0, nesterov: false });
    assert.equal(opt.className, 'SGD');
    const got = runSteps(opt, 3);
    reference([0.01, 0.01, 0.01], 0, false).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('applies a learning-rate change from the next step on', () => {
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const got = runSteps(opt, 3, (t) => {
      if (t === 2) opt.learningRate = 0.02;
    });
    reference([0.1, 0.1, 0.02], 0.9, false).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('accepts Keras snake_case keys and round-trips its config', () => {
    const opt = new SGD({ learning_rate: 0.05, momentum: 0.8, nesterov: true });
    assert.deepEqual(opt.getConfig(), { learningRate: 0.05, momentum: 0.8, nesterov: true });
    assert.deepEqual(SGD.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });

  it('rejects momentum outside [0, 1], unknown keys and bad learning rates', () => {
    assert.throws(() => new SGD({ momentum: 1.5 }), /momentum must be in \[0, 1\]/);
    assert.throws(() => new SGD({ momentum: -0.1 }), /momentum/);
    assert.throws(() => new SGD({ momentun: 0.9 } as never), /unknown option 'momentun'.*momentum/);
    assert.throws(() => new SGD({ learningRate: 0 }), /learning rate must be a positive/);
    assert.throws(() => new SGD({ learningRate: 0.1, learning_rate: 0.2 }), /disagree/);
  });

  it('skips variables without a gradient and counts iterations', () => {
    const opt = new SGD({ learningRate: 0.1 });
    runSteps(opt, 2);
    assert.equal(opt.iterations, 2);
  });
});
