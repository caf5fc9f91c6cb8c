/**
 * A Sequential model runs Conv2D + MaxPooling2D as one fused op (conv2dMaxPool and its backward
 * kernels): on every backend it predicts what the two layers predict one after the other, and
 * trains to the weights a functional model of the same layers (which runs them unfused) reaches.
 */
import assert from 'node:assert/strict';
import type { Backend } from '../src/kernels/backend.js';
import { getBackend } from '../src/kernels/registry.js';
import { input, layers, type Layer } from '../src/layers/index.js';
import { model, sequential, type Model } from '../src/models/index.js';
import { noGrad } from '../src/tensor/tape.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { withEachBackend } from './helpers/backends.js';
import { mulberry32, uniforms } from './helpers/seeded-random.js';

/** Two conv + pool blocks: 'valid' 3x3 convs pooled 2x2 (inC 16 for the second), then 'same'. */
function blocks(): Layer[] {
  return [
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [14, 13, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 5, kernelSize: 2, padding: 'same' }),
    layers.maxPooling2d({ poolSize: [2, 1] }),
    layers.flatten(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = mulberry32(seed);
  const x = Float32Array.from(uniforms(rng, n * 14 * 13), (v) => Math.abs(v));
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + (i % 10)] = 1;
  return { x: new Tensor(x, [n, 14, 13, 1]), y: new Tensor(y, [n, 10]) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Counts the calls of the fused kernels on the active backend while `fn` runs. */
function countFused(fn: () => void): number {
  const backend = getBackend() as unknown as Record<string, unknown>;
  const names = ['conv2dMaxPool', 'conv2dMaxPoolBackward', 'conv2dMaxPoolBackwardFilter'];
  const saved = names.map((n) => backend[n]);
  let calls = 0;
  names.forEach((n, i) => {
    const f = saved[i] as (...a: unknown[]) => unknown;
    backend[n] = (...a: unknown[]) => {
      calls++;
      return f.apply(backend as unknown as Backend, a);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => (backend[n] = saved[i]));
  }
  return calls;
}

withEachBackend('conv + max pooling fused in a Sequential model', (backend) => {
  setSeed(3);
  const seq = sequential(blocks());
  const { x, y } = data(12, 5);

  // Inference: the fused model against its layers applied one by one.
  let fusedCalls = 0;
  let fused: Tensor | undefined;
  fusedCalls += countFused(() => (fused = seq.predict(x)));
  const unfused = noGrad(() => seq.layers.reduce((t, layer) => layer.apply(t), x));
  assert.ok(fusedCalls >= 3, `${backend}: the three conv + pool pairs ran fused`);
  assert.ok(maxDiff(fused!.values, unfused.values) <= 1e-6, `${backend}: same predictions`);

  // Training: a functional model of fresh layers with the same weights runs every layer alone.
  const inp = input({ shape: [14, 13, 1] });
  const plainLayers = blocks();
  const plain: Model = model({
    inputs: inp,
    outputs: plainLayers.reduce((t, layer) => layer.apply(t), inp),
  });
  plain.setWeights(seq.getWeights());
  for (const m of [seq, plain]) m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  fusedCalls = countFused(() => {
    for (let step = 0; step < 3; step++) seq.trainOnBatch(x, y);
  });
  assert.ok(fusedCalls >= 3 * 6, `${backend}: forward and backward fused in every step`);
  for (let step = 0; step < 3; step++) plain.trainOnBatch(x, y);
  const a = seq.getWeights();
  const b = plain.getWeights();
  for (let i = 0; i < a.length; i++) {
    const d = maxDiff(a[i]!, b[i]!);
    assert.ok(d <= 1e-5, `${backend}: weight ${i} differs by ${d}`);
  }
});
