/**
 * Sequential and functional models run Conv2D + MaxPooling2D as one fused op (conv2dMaxPool and
 * its backward kernels): on every backend they predict what the two layers predict one after
 * the other, and train to the weights the same network reaches with its layers run one by one
 * (a Conv2D subclass, which never fuses).
 */
import assert from 'node:assert/strict';
import type { Backend } from '../src/kernels/backend.js';
import { getBackend } from '../src/kernels/registry.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { input, layers, type Layer } from '../src/layers/index.js';
import { model, sequential, type Model } from '../src/models/index.js';
import { noGrad } from '../src/tensor/tape.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { withEachBackend } from './helpers/backends.js';
import { mulberry32, uniforms } from './helpers/seeded-random.js';

/** A Conv2D that runs its own `call`: fusion takes only the exact class. */
class PlainConv2D extends Conv2D {}

/**
 * Three conv + pool blocks: 'valid' 3x3 convs pooled 2x2 (inC 16 for the second), then a 'same'
 * one; `fusable` false builds them from PlainConv2D.
 */
function blocks(fusable = true): Layer[] {
  const conv = (args: ConstructorParameters<typeof Conv2D>[0]): Layer =>
    fusable ? layers.conv2d(args) : new PlainConv2D(args);
  return [
    conv({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [14, 13, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    conv({ filters: 16, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    conv({ filters: 5, kernelSize: 2, padding: 'same' }),
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

/** A functional model of `list`'s layers, applied in a chain. */
function chain(list: Layer[]): Model {
  const inp = input({ shape: [14, 13, 1] });
  return model({ inputs: inp, outputs: list.reduce((t, layer) => layer.apply(t), inp) });
}

for (const kind of ['Sequential', 'functional'] as const) {
  withEachBackend(`conv + max pooling fused in a ${kind} model`, (backend) => {
    setSeed(3);
    const list = blocks();
    const fusedModel = kind === 'Sequential' ? sequential(list) : chain(list);
    const { x, y } = data(12, 5);

    // Inference: the fused model against its layers applied one by one.
    let fused: Tensor | undefined;
    let calls = countFused(() => (fused = fusedModel.predict(x)));
    const unfused = noGrad(() => list.reduce((t, layer) => layer.apply(t), x));
    assert.ok(calls >= 3, `${backend}: the three conv + pool pairs ran fused`);
    assert.ok(maxDiff(fused!.values, unfused.values) <= 1e-6, `${backend}: same predictions`);

    // Training: the same weights in layers that never fuse.
    const plain = chain(blocks(false));
    plain.setWeights(fusedModel.getWeights());
    for (const m of [fusedModel, plain])
      m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    calls = countFused(() => {
      for (let step = 0; step < 3; step++) fusedModel.trainOnBatch(x, y);
    });
    assert.ok(calls >= 3 * 6, `${backend}: forward and backward fused in every step`);
    assert.equal(
      countFused(() => plain.trainOnBatch(x, y)),
      0,
      `${backend}: a Conv2D subclass runs alone`,
    );
    for (let step = 1; step < 3; step++) plain.trainOnBatch(x, y);
    const a = fusedModel.getWeights();
    const b = plain.getWeights();
    for (let i = 0; i < a.length; i++) {
      const d = maxDiff(a[i]!, b[i]!);
      assert.ok(d <= 1e-5, `${backend}: weight ${i} differs by ${d}`);
    }
  });
}
