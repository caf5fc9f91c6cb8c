// DepthwiseConv2D, SeparableConv2D and the augmentation layers across formats: real TF.js 4.22
// (both directions), ONNX Runtime, and our own save / load.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import '../src/kernels/index.js';
import { layers } from '../src/layers/index.js';
import { sequential, type Model } from '../src/models/index.js';
import { setSeed } from '../src/tensor/seed.js';
import { Tensor } from '../src/tensor/tensor.js';
import { loadModel } from '../node/models/index.js';
import { exportOnnx } from '../node/models/onnx.js';
import { maxAbsDiff, oneHot, uniform } from './helpers/interop-models.js';
import { saveTfjs, serveFolder, tf, tfjsPredict, tfl } from './helpers/tfjs.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-separable-'));
const server = await serveFolder(root);
after(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const SHAPE = [12, 12, 3];
const N = 8;
const x = uniform(N * 12 * 12 * 3, 3);
const y = oneHot(N, 10, 4);

/** Depthwise (multiplier 2, same, stride 2) -> separable (valid, relu) -> separable (dilated). */
function separableNet(): Model {
  return sequential({
    layers: [
      layers.depthwiseConv2d(3, {
        depthMultiplier: 2,
        padding: 'same',
        strides: 2,
        activation: 'tanh',
        inputShape: SHAPE,
      }),
      layers.separableConv2d(8, 3, { activation: 'relu' }),
      layers.separableConv2d(6, [2, 2], { dilationRate: 2, padding: 'same', useBias: false }),
      layers.flatten(),
      layers.dense(10, { activation: 'softmax' }),
    ],
  });
}

async function trained(m: Model): Promise<Model> {
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  await m.fit(new Tensor(x, [N, ...SHAPE]), new Tensor(y, [N, 10]), {
    epochs: 2,
    batchSize: 4,
    verbose: 0,
  });
  return m;
}

async function onnxDiff(m: Model, name: string): Promise<number> {
  const path = join(root, `${name}.onnx`);
  await exportOnnx(m, path);
  const session = await ort.InferenceSession.create(await readFile(path));
  const out = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', x, [N, ...SHAPE]),
  });
  const got = out[session.outputNames[0]!]!.data as Float32Array;
  return maxAbsDiff(got, m.predict(new Tensor(x, [N, ...SHAPE])).values);
}

test('mnist-lab -> TF.js and ONNX Runtime: DepthwiseConv2D and SeparableConv2D predict the same', async (t) => {
  setSeed(11);
  const m = await trained(separableNet());
  await m.save(join(root, 'ours'));
  const theirs = await tfl.loadLayersModel(`${server.url}ours/model.json`);
  const d = maxAbsDiff(
    tfjsPredict(theirs, x, [[N, ...SHAPE]]),
    m.predict(new Tensor(x, [N, ...SHAPE])).values,
  );
  assert.ok(d <= 1e-5, `TF.js max abs difference ${d}`);
  const o = await onnxDiff(m, 'separable');
  assert.ok(o <= 1e-5, `ONNX Runtime max abs difference ${o}`);
  t.diagnostic(`TF.js ${d.toExponential(2)}, ONNX Runtime ${o.toExponential(2)}`);
  theirs.dispose();
});

test('TF.js -> mnist-lab: its DepthwiseConv2D and SeparableConv2D load and predict the same', async () => {
  const theirs = tfl.sequential({
    layers: [
      tfl.layers.depthwiseConv2d({
        kernelSize: 3,
        depthMultiplier: 2,
        padding: 'same',
        inputShape: SHAPE,
      }),
      tfl.layers.separableConv2d({ filters: 5, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const xt = tf.tensor(x, [N, ...SHAPE]);
  const yt = tf.tensor(y, [N, 10]);
  await theirs.fit(xt, yt, { epochs: 1, batchSize: 4, verbose: 0 });
  const dir = join(root, 'theirs');
  await saveTfjs(theirs, dir, false);
  const ours = await loadModel(dir);
  assert.deepEqual(
    ours.layers.map((l) => l.className),
    ['DepthwiseConv2D', 'SeparableConv2D', 'Flatten', 'Dense'],
  );
  const d = maxAbsDiff(
    ours.predict(new Tensor(x, [N, ...SHAPE])).values,
    tfjsPredict(theirs, x, [[N, ...SHAPE]]),
  );
  assert.ok(d <= 1e-5, `max abs difference ${d}`);
  tf.dispose([xt, yt]);
  theirs.dispose();
});

test('augmentation layers: saved with Keras class names and config, loaded back, the identity in ONNX', async () => {
  setSeed(12);
  const m = sequential({
    layers: [
      layers.randomRotation(0.05, { fillMode: 'constant', seed: 7, inputShape: SHAPE }),
      layers.randomZoom(0.1, { widthFactor: [-0.1, 0.2], interpolation: 'nearest' }),
      layers.randomTranslation(0.1, 0.1, { fillMode: 'wrap', fillValue: 0.5 }),
      layers.randomFlip('horizontal'),
      layers.randomContrast([0.1, 0.3], { valueRange: [0, 1] }),
      layers.separableConv2d(4, 3, { activation: 'relu' }),
      layers.flatten(),
      layers.dense(10, { activation: 'softmax' }),
    ],
  });
  await trained(m);
  const dir = join(root, 'augmented');
  await m.save(dir);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const [rot, zoom, shift, flip, contrast] = (
    json.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[]
  ).filter((l) => l.class_name.startsWith('Random'));
  assert.deepEqual(
    [rot, zoom, shift, flip, contrast].map((l) => l!.class_name),
    ['RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomFlip', 'RandomContrast'],
  );
  assert.equal(rot!.config['factor'], 0.05);
  assert.equal(rot!.config['fill_mode'], 'constant');
  assert.equal(rot!.config['seed'], 7);
  assert.deepEqual(zoom!.config['width_factor'], [-0.1, 0.2]);
  assert.equal(zoom!.config['interpolation'], 'nearest');
  assert.equal(shift!.config['height_factor'], 0.1);
  assert.equal(shift!.config['fill_value'], 0.5);
  assert.equal(flip!.config['mode'], 'horizontal');
  assert.deepEqual(contrast!.config['value_range'], [0, 1]);
  const back = await loadModel(dir);
  assert.deepEqual(
    back.layers.map((l) => JSON.stringify(l.getConfig())),
    m.layers.map((l) => JSON.stringify(l.getConfig())),
  );
  const xs = new Tensor(x, [N, ...SHAPE]);
  assert.deepEqual(Array.from(back.predict(xs).values), Array.from(m.predict(xs).values));
  const o = await onnxDiff(m, 'augmented');
  assert.ok(o <= 1e-5, `ONNX Runtime max abs difference ${o}`);
});
