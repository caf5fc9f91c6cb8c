// Both directions with real TF.js 4.22: our saves load in tf.loadLayersModel (over HTTP, as a
// page would fetch them) and predict the same; TF.js saves load here, train on, and go back.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import '../src/kernels/index.js';
import type { Model } from '../src/models/index.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadModel } from '../node/models/index.js';
import { INTEROP_MODELS, maxAbsDiff, oneHot, uniform } from './helpers/interop-models.js';
import { saveTfjs, serveFolder, tf, tfjsPredict, tfl } from './helpers/tfjs.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-tfjs-'));
const server = await serveFolder(root);
after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

interface Case {
  name: string;
  shape: number[];
  ours: () => Model;
  theirs: () => tfl.LayersModel;
}

const ours = (i: number): (() => Model) => INTEROP_MODELS[i]!.build;

const cases: Case[] = [
  {
    name: 'Sequential MLP (784-512-10)',
    shape: [784],
    ours: ours(0),
    theirs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'the seed CNN with BatchNormalization and Dropout',
    shape: [28, 28, 1],
    ours: ours(1),
    theirs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            filters: 32,
            kernelSize: 3,
            activation: 'relu',
            inputShape: [28, 28, 1],
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 64 }),
          tfl.layers.batchNormalization(),
          tfl.layers.activation({ activation: 'relu' }),
          tfl.layers.dropout({ rate: 0.25 }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'a functional model with two branches, Concatenate and Add',
    shape: [784],
    ours: ours(2),
    theirs: () => {
      const x = tfl.input({ shape: [784] });
      const a = tfl.layers.dense({ units: 32, activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
      const b = tfl.layers.dense({ units: 32, activation: 'tanh' }).apply(x) as tfl.SymbolicTensor;
      const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
      const joined = tfl.layers.concatenate().apply([sum, b]) as tfl.SymbolicTensor;
      const out = tfl.layers
        .dense({ units: 10, activation: 'softmax' })
        .apply(joined) as tfl.SymbolicTensor;
      return tfl.model({ inputs: x, outputs: out });
    },
  },
];

const N = 16;

for (const [i, c] of cases.entries()) {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = uniform(N * size, 10 + i);
  const y = oneHot(N, 10, 20 + i);

  test(`mnist-lab -> TF.js: ${c.name}`, async (t) => {
    setSeed(1 + i);
    const m = c.ours();
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    await m.fit(new Tensor(x, [N, ...c.shape]), new Tensor(y, [N, 10]), {
      epochs: 1,
      batchSize: 8,
      verbose: 0,
    });
    const dir = join(root, `ours-${i}`);
    // With the optimizer's state, in TF.js's layout (TF.js restores it into its own Adam).
    await m.save(dir, { includeOptimizer: true });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.ok(Array.isArray(json.weightsManifest[0].paths));
    assert.equal(typeof json.modelTopology.class_name, 'string');
    const theirs = await tfl.loadLayersModel(`${server.url}ours-${i}/model.json`);
    const expected = m.predict(new Tensor(x, [N, ...c.shape])).values;
    const d = maxAbsDiff(tfjsPredict(theirs, x, [[N, ...c.shape]]), expected);
    assert.ok(d <= 1e-6, `max abs difference ${d}`);
    t.diagnostic(`max abs difference ${d.toExponential(2)}`);
    // TF.js compiled it from our trainingConfig and took the Adam state (step count first).
    assert.ok(theirs.optimizer, 'TF.js compiled the model');
    const state = await theirs.optimizer.getWeights();
    assert.equal(state[0]!.name, 'iter');
    assert.equal((await state[0]!.tensor.data())[0], m.optimizer.iterations);
    assert.equal(state.length, 1 + 2 * m.trainableWeights().length);
    theirs.dispose();
  });

  test(`TF.js -> mnist-lab, trains on, back to TF.js: ${c.name}`, async (t) => {
    const theirs = c.theirs();
    theirs.compile({
      optimizer: tf.train.adam(0.001),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const xt = tf.tensor(x, [N, ...c.shape]);
    const yt = tf.tensor(y, [N, 10]);
    await theirs.fit(xt, yt, { epochs: 1, batchSize: 8, verbose: 0 });
    const dir = join(root, `theirs-${i}`);
    await saveTfjs(theirs, dir, true);
    const ours = await loadModel(dir);
    const xs = new Tensor(x, [N, ...c.shape]);
    const d = maxAbsDiff(ours.predict(xs).values, tfjsPredict(theirs, x, [[N, ...c.shape]]));
    assert.ok(d <= 1e-6, `max abs difference ${d}`);
    assert.ok(ours.compiled, 'compiled from TF.js trainingConfig');
    const before = ours.predict(xs).values.slice();
    await ours.fit(xs, new Tensor(y, [N, 10]), { epochs: 2, batchSize: 8, verbose: 0 });
    assert.ok(maxAbsDiff(ours.predict(xs).values, before) > 1e-4, 'training changed the model');
    const back = join(root, `back-${i}`);
    await ours.save(back);
    const again = await tfl.loadLayersModel(`${server.url}back-${i}/model.json`);
    const d2 = maxAbsDiff(tfjsPredict(again, x, [[N, ...c.shape]]), ours.predict(xs).values);
    assert.ok(d2 <= 1e-6, `max abs difference after training ${d2}`);
    t.diagnostic(
      `max abs difference: loaded ${d.toExponential(2)}, trained and back ${d2.toExponential(2)}`,
    );
    assert.ok((await readdir(back)).includes('group1-shard1of1.bin'));
    tf.dispose([xt, yt]);
    theirs.dispose();
    again.dispose();
  });
}

test('mnist-lab -> TF.js: an optimizer TF.js lacks (Nadam) saved with its state', async () => {
  const shape = cases[0]!.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Tensor(uniform(N * size, 40), [N, ...shape]);
  const y = new Tensor(oneHot(N, 10, 41), [N, 10]);
  setSeed(40);
  const m = cases[0]!.ours();
  m.compile({ optimizer: 'nadam', loss: 'categorical_crossentropy' });
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const dir = join(root, 'ours-nadam');
  await m.save(dir, { includeOptimizer: true });
  // TF.js has no Nadam: it loads the model uncompiled and predicts the same.
  const theirs = await tfl.loadLayersModel(`${server.url}ours-nadam/model.json`);
  assert.equal(theirs.optimizer, undefined);
  const d = maxAbsDiff(
    tfjsPredict(theirs, x.values as Float32Array, [[N, ...shape]]),
    m.predict(x).values,
  );
  assert.ok(d <= 1e-6, `max abs difference ${d}`);
  theirs.dispose();
  // Here it comes back compiled, with the Nadam state, and trains on exactly.
  const back = await loadModel(dir);
  assert.equal(back.optimizer.className, 'Nadam');
  assert.equal(back.optimizer.iterations, m.optimizer.iterations);
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
  await back.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
  assert.deepEqual(Array.from(back.predict(x).values), Array.from(m.predict(x).values));
});
