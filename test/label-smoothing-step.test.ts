// One SGD step with label smoothing, end to end through compile / trainOnBatch, against the
// gradient written out in doubles: Keras smooths y_true first, so the loss gradient wrt the
// logits is (softmax(z) - y_smooth) / batch for categorical cross-entropy and
// (sigmoid(z) - y_smooth) / (batch * units) for binary cross-entropy (mean over the last axis).
import assert from 'node:assert/strict';
import '../src/kernels/index.js';
import { layers } from '../src/layers/index.js';
import { sequential } from '../src/models/index.js';
import { SGD } from '../src/optimizers/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { withEachBackend } from './helpers/backends.js';
import { assertAllClose } from './helpers/numeric.js';

const [B, I, U] = [4, 3, 5];
const X = Array.from({ length: B * I }, (_, i) => Math.sin(1.3 * i + 0.2));
const W = Array.from({ length: I * U }, (_, i) => 0.4 * Math.cos(0.7 * i));
const BIAS = Array.from({ length: U }, (_, i) => 0.05 * (i - 2));
const LABELS = [0, 3, 1, 4];
const LR = 0.5;

/** Logits z = x W + b in doubles. */
function logits(): number[][] {
  return Array.from({ length: B }, (_, n) =>
    Array.from({ length: U }, (_, u) => {
      let s = BIAS[u]!;
      for (let i = 0; i < I; i++) s += X[n * I + i]! * W[i * U + u]!;
      return s;
    }),
  );
}

/** W and b after one SGD step, given dLoss/dz. */
function step(dz: number[][]): number[] {
  const w = [...W];
  const b = [...BIAS];
  for (let n = 0; n < B; n++)
    for (let u = 0; u < U; u++) {
      for (let i = 0; i < I; i++) w[i * U + u]! -= LR * X[n * I + i]! * dz[n]![u]!;
      b[u]! -= LR * dz[n]![u]!;
    }
  return [...w, ...b];
}

function trainedWeights(activation: string, loss: string, targets: number[]): number[] {
  const model = sequential({
    layers: [layers.dense({ units: U, activation, inputShape: [I] })],
  });
  model.setWeights([Float32Array.from(W), Float32Array.from(BIAS)]);
  model.compile({
    optimizer: new SGD({ learningRate: LR }),
    loss: { className: loss, config: { labelSmoothing: 0.2 } },
  });
  model.trainOnBatch(
    new Tensor(Float32Array.from(X), [B, I]),
    new Tensor(Float32Array.from(targets), [B, U]),
  );
  return model.getWeights().flatMap((w) => Array.from(w));
}

withEachBackend('label smoothing, categorical cross-entropy: one step as Keras takes it', () => {
  const y = LABELS.flatMap((l) => Array.from({ length: U }, (_, u) => (u === l ? 1 : 0)));
  const dz = logits().map((z, n) => {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    // y * (1 - s) + s / classes
    return e.map((v, u) => (v / sum - (y[n * U + u]! * 0.8 + 0.2 / U)) / B);
  });
  const want = step(dz);
  assertAllClose(
    trainedWeights('softmax', 'CategoricalCrossentropy', y),
    want,
    { rel: 1e-5, abs: 1e-6 },
    'cce',
  );
  // Without smoothing the step differs: the check can fail.
  const plain = step(
    logits().map((z, n) => {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v, u) => (v / sum - y[n * U + u]!) / B);
    }),
  );
  assert.ok(Math.abs(plain[0]! - want[0]!) > 1e-4);
});

withEachBackend('label smoothing, binary cross-entropy: one step as Keras takes it', () => {
  const y = Array.from({ length: B * U }, (_, i) => (i % 3 === 0 ? 1 : 0));
  // The step is taken through sigmoid probabilities clipped to [1e-7, 1 - 1e-7]; nothing here
  // is near the clip, so the gradient wrt z is (sigmoid(z) - y_smooth) / (B * U).
  const dz = logits().map((z, n) =>
    z.map((v, u) => (1 / (1 + Math.exp(-v)) - (y[n * U + u]! * 0.8 + 0.1)) / (B * U)),
  );
  assertAllClose(
    trainedWeights('sigmoid', 'BinaryCrossentropy', y),
    step(dz),
    { rel: 1e-5, abs: 1e-6 },
    'bce',
  );
});
