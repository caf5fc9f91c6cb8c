import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../kernels/index.js';
import { assertAllClose } from '../../test/helpers/numeric.js';
import { Adadelta } from './adadelta.js';
import { gradAt, runSteps, START } from './optimizer-test-util.js';

/** Keras 3 Adadelta in plain doubles. */
function reference(lrs: number[], rho: number, epsilon: number): number[][] {
  const p = [...START];
  const accGrad = p.map(() => 0);
  const accDelta = p.map(() => 0);
  const rms = (x: number): number => Math.sqrt(x + epsilon);
  return lrs.map((lr, t) => {
    const g = gradAt(t);
    for (let i = 0; i < p.length; i++) {
      accGrad[i] = rho * accGrad[i]! + (1 - rho) * g[i]! ** 2;
      const delta = (-rms(accDelta[i]!) * g[i]!) / rms(accGrad[i]!);
      accDelta[i] = rho * accDelta[i]! + (1 - rho) * delta ** 2;
      p[i] = p[i]! + lr * delta;
    }
    return [...p];
  });
}

describe('Adadelta', () => {
  for (const [rho, epsilon] of [
    [0.95, 1e-7],
    [0.5, 1e-3],
  ] as const) {
    it(`matches the Keras formulas for 3 steps (rho ${rho}, epsilon ${epsilon})`, () => {
      const got = runSteps(new Adadelta({ learningRate: 1, rho, epsilon }), 3);
      reference([1, 1, 1], rho, epsilon).forEach((want, t) =>
        assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
      );
    });
  }

  it('has the Keras 3 defaults', () => {
    const opt = new Adadelta();
    assert.deepEqual(opt.getConfig(), { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
    const got = runSteps(opt, 3);
    reference([0.001, 0.001, 0.001], 0.95, 1e-7).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12 }, `step ${t + 1}`),
    );
  });

  it('applies a learning-rate change from the next step on', () => {
    const opt = new Adadelta({ learningRate: 1 });
    const got = runSteps(opt, 3, (t) => {
      if (t === 1) opt.learningRate = 0.25;
    });
    reference([1, 0.25, 0.25], 0.95, 1e-7).forEach((want, t) =>
      assertAllClose(got[t]!, want, { rel: 1e-12, abs: 1e-15 }, `step ${t + 1}`),
    );
  });

  it('round-trips its config', () => {
    const opt = new Adadelta({ learning_rate: 0.5, rho: 0.9 });
    assert.deepEqual(Adadelta.fromConfig(opt.getConfig()).getConfig(), opt.getConfig());
  });
});
