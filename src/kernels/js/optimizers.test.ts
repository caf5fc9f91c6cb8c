import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose } from '../../../test/helpers/numeric.js';
import { mulberry32, uniforms } from '../../../test/helpers/seeded-random.js';
import type { OptimizerUpdate } from '../backend.js';
import { applyUpdate } from './optimizers.js';

/**
 * Each optimizer runs 3 steps on 5 parameters and is compared with backend.ts's formulas
 * written out again here, one scalar at a time, in the order the doc comments give them.
 */
const STEPS = 3;
const N = 5;
const rng = mulberry32(41);
const p0 = uniforms(rng, N);
const grads = Array.from({ length: STEPS }, () => uniforms(rng, N));

function run(
  updates: (step: number) => OptimizerUpdate,
  slotCount: number,
  init = 0,
): { p: Float64Array; slots: Float64Array[] } {
  const p = Float64Array.from(p0);
  const slots = Array.from({ length: slotCount }, () => new Float64Array(N).fill(init));
  for (let t = 1; t <= STEPS; t++) applyUpdate(updates(t), p, grads[t - 1], slots);
  return { p, slots };
}

const close = (got: Float64Array, want: number[], what: string): void =>
  assertAllClose(got, want, { rel: 1e-14, abs: 1e-16 }, what);

test('sgd: plain, momentum and nesterov', () => {
  for (const [momentum, nesterov] of [
    [0, false],
    [0.9, false],
    [0.9, true],
  ] as const) {
    const lr = 0.1;
    const { p, slots } = run(
      () => ({ kind: 'sgd', lr, momentum, nesterov }),
      momentum === 0 ? 0 : 1,
    );
    const want: number[] = [];
    const vel: number[] = [];
    for (let i = 0; i < N; i++) {
      let pi = p0[i];
      let v = 0;
      for (let t = 0; t < STEPS; t++) {
        const g = grads[t][i];
        if (momentum === 0) {
          pi -= lr * g;
        } else {
          v = momentum * v - lr * g;
          pi += nesterov ? momentum * v - lr * g : v;
        }
      }
      want.push(pi);
      vel.push(v);
    }
    close(p, want, `sgd momentum ${momentum} nesterov ${nesterov} param`);
    if (momentum !== 0) close(slots[0], vel, 'sgd velocity');
  }
});

test('rmsprop: plain, centered, momentum, both', () => {
  for (const [centered, momentum] of [
    [false, 0],
    [true, 0],
    [false, 0.5],
    [true, 0.5],
  ] as const) {
    const [lr, rho, epsilon] = [0.01, 0.9, 1e-3];
    const slotCount = 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
    const { p, slots } = run(
      () => ({ kind: 'rmsprop', lr, rho, momentum, epsilon, centered }),
      slotCount,
    );
    const want: number[][] = [[], [], [], []];
    for (let i = 0; i < N; i++) {
      let [pi, ms, mg, mom] = [p0[i], 0, 0, 0];
      for (let t = 0; t < STEPS; t++) {
        const g = grads[t][i];
        ms = rho * ms + (1 - rho) * g * g;
        let denom: number;
        if (centered) {
          mg = rho * mg + (1 - rho) * g;
          denom = ms - mg * mg + epsilon;
        } else {
          denom = ms + epsilon;
        }
        const inc = (lr * g) / Math.sqrt(denom);
        if (momentum > 0) {
          mom = momentum * mom + inc;
          pi -= mom;
        } else {
          pi -= inc;
        }
      }
      want[0].push(pi);
      want[1].push(ms);
      want[2].push(mg);
      want[3].push(mom);
    }
    const what = `rmsprop centered ${centered} momentum ${momentum}`;
    close(p, want[0], `${what} param`);
    close(slots[0], want[1], `${what} ms`);
    if (centered) close(slots[1], want[2], `${what} mg`);
    if (momentum > 0) close(slots[slotCount - 1], want[3], `${what} mom`);
  }
});

test('adam: with and without amsgrad, step-dependent bias correction', () => {
  for (const amsgrad of [false, true]) {
    const [lr, beta1, beta2, epsilon] = [0.01, 0.9, 0.999, 1e-3];
    const { p, slots } = run(
      (step) => ({ kind: 'adam', lr, beta1, beta2, epsilon, step, amsgrad }),
      amsgrad ? 3 : 2,
    );
    const want: number[][] = [[], [], [], []];
    for (let i = 0; i < N; i++) {
      let [pi, m, v, vhat] = [p0[i], 0, 0, 0];
      for (let t = 1; t <= STEPS; t++) {
        const g = grads[t - 1][i];
        const a = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        m += (g - m) * (1 - beta1);
        v += (g * g - v) * (1 - beta2);
        vhat = Math.max(vhat, v);
        pi -= (a * m) / (Math.sqrt(amsgrad ? vhat : v) + epsilon);
      }
      want[0].push(pi);
      want[1].push(m);
      want[2].push(v);
      want[3].push(vhat);
    }
    close(p, want[0], `adam amsgrad ${amsgrad} param`);
    close(slots[0], want[1], 'adam m');
    close(slots[1], want[2], 'adam v');
    if (amsgrad) close(slots[2], want[3], 'adam vhat');
  }
});

test("adagrad: accumulator starting from Keras's 0.1", () => {
  const [lr, epsilon] = [0.1, 1e-7];
  const { p, slots } = run(() => ({ kind: 'adagrad', lr, epsilon }), 1, 0.1);
  const want: number[][] = [[], []];
  for (let i = 0; i < N; i++) {
    let [pi, acc] = [p0[i], 0.1];
    for (let t = 0; t < STEPS; t++) {
      const g = grads[t][i];
      acc += g * g;
      pi -= (lr * g) / Math.sqrt(acc + epsilon);
    }
    want[0].push(pi);
    want[1].push(acc);
  }
  close(p, want[0], 'adagrad param');
  close(slots[0], want[1], 'adagrad acc');
});

test('adadelta: both accumulators', () => {
  const [lr, rho, epsilon] = [1, 0.95, 1e-3];
  const { p, slots } = run(() => ({ kind: 'adadelta', lr, rho, epsilon }), 2);
  const want: number[][] = [[], [], []];
  for (let i = 0; i < N; i++) {
    let [pi, ag, ad] = [p0[i], 0, 0];
    for (let t = 0; t < STEPS; t++) {
      const g = grads[t][i];
      ag = rho * ag + (1 - rho) * g * g;
      const d = (-Math.sqrt(ad + epsilon) / Math.sqrt(ag + epsilon)) * g;
      ad = rho * ad + (1 - rho) * d * d;
      pi += lr * d;
    }
    want[0].push(pi);
    want[1].push(ag);
    want[2].push(ad);
  }
  close(p, want[0], 'adadelta param');
  close(slots[0], want[1], 'adadelta ag');
  close(slots[1], want[2], 'adadelta ad');
});

test('applyUpdate: the wrong number of slots is rejected', () => {
  const p = new Float64Array(2);
  const g = new Float64Array(2);
  assert.throws(
    () => applyUpdate({ kind: 'sgd', lr: 1, momentum: 0.9, nesterov: false }, p, g, []),
    /velocity/,
  );
  assert.throws(
    () =>
      applyUpdate(
        { kind: 'adam', lr: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1, amsgrad: true },
        p,
        g,
        [p, p],
      ),
    /m, v, vhat/,
  );
  assert.throws(
    () =>
      applyUpdate(
        { kind: 'adam', lr: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 0, amsgrad: false },
        p,
        g,
        [g, g],
      ),
    /1-based/,
  );
});
