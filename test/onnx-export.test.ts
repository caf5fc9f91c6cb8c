// ONNX export checked by ONNX Runtime (onnxruntime-node) against our predict.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import '../src/kernels/index.js';
import { input, layers } from '../src/layers/index.js';
import { model as functional, sequential } from '../src/models/index.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { exportOnnx } from '../node/models/onnx.js';
import '../node/models/index.js';
import { INTEROP_MODELS, maxAbsDiff, oneHot, uniform } from './helpers/interop-models.js';
import type { Model } from '../src/models/index.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-onnx-'));
after(() => rm(root, { recursive: true, force: true }));

async function agree(m: Model, shape: number[], n: number, seed: number): Promise<number> {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = uniform(n * size, seed);
  const path = join(root, `${m.name}.onnx`);
  await exportOnnx(m, path);
  const session = await ort.InferenceSession.create(await readFile(path));
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', x, [n, ...shape]) };
  const result = await session.run(feeds);
  const out = result[session.outputNames[0]!]!;
  const expected = m.predict(new Tensor(x, [n, ...shape]));
  assert.deepEqual([...out.dims], expected.shape);
  return maxAbsDiff(out.data as Float32Array, expected.values);
}

for (const [i, c] of INTEROP_MODELS.entries()) {
  test(`ONNX Runtime agrees within 1e-5: ${c.name}`, async (t) => {
    setSeed(5 + i);
    const m = c.build();
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const n = 8;
    const size = c.shape.reduce((a, b) => a * b, 1);
    // A little training moves BatchNormalization's statistics off their initial values.
    await m.fit(
      new Tensor(uniform(n * size, 40 + i), [n, ...c.shape]),
      new Tensor(oneHot(n, 10, 50 + i), [n, 10]),
      {
        epochs: 2,
        batchSize: 4,
        verbose: 0,
      },
    );
    const d = await agree(m, c.shape, 6, 60 + i);
    assert.ok(d <= 1e-5, `max abs difference ${d}`);
    t.diagnostic(`max abs difference ${d.toExponential(2)}`);
  });
}

test('every layer we have: pooling with same padding, GAP, Reshape, strides, LeakyReLU, ELU, Softmax', async () => {
  setSeed(9);
  const x = input({ shape: [9, 9, 2] });
  let y = layers
    .conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' })
    .apply(x);
  y = layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(y);
  y = layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y);
  y = layers.leakyReLU({ negativeSlope: 0.1 }).apply(y);
  const a = layers.globalAveragePooling2d().apply(y);
  const b = layers.dense({ units: 3, activation: 'sigmoid' }).apply(layers.flatten().apply(y));
  let z = layers.concatenate().apply([a, b]);
  z = layers.reshape({ targetShape: [2, 3] }).apply(z);
  z = layers.elu({ alpha: 0.5 }).apply(z);
  z = layers.softmax({ axis: 1 }).apply(z);
  z = layers.flatten().apply(z);
  z = layers.dense({ units: 4, activation: 'relu6' }).apply(z);
  const m = functional({ inputs: x, outputs: layers.activation({ activation: 'tanh' }).apply(z) });
  assert.ok((await agree(m, [9, 9, 2], 3, 70)) <= 1e-5);
  const s = sequential({
    layers: [
      layers.dense({ units: 6, inputShape: [5], activation: 'softplus' }),
      layers.batchNormalization({ center: false }),
      layers.dense({ units: 2, useBias: false, activation: 'leaky_relu' }),
    ],
  });
  assert.ok((await agree(s, [5], 4, 71)) <= 1e-5);
});
