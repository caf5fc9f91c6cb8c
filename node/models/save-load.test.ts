import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import '../../src/kernels/index.js';
import { Dense, input, layers, type CallArgs } from '../../src/layers/index.js';
import { Model, Sequential, model, sequential } from '../../src/models/index.js';
import { Random } from '../../src/tensor/random.js';
import { setSeed } from '../../src/tensor/seed.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { ModelFormatError, loadModel } from './index.js';

const root = await mkdtemp(join(tmpdir(), 'mnist-lab-models-'));
after(() => rm(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `m${n++}`);

function data(shape: number[], seed: number): Tensor {
  const r = new Random(seed);
  return new Tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)),
    shape,
  );
}

function bits(t: Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t.values).buffer));
}

function cnn(): Sequential {
  return sequential({
    layers: [
      layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      layers.batchNormalization(),
      layers.maxPooling2d(),
      layers.flatten(),
      layers.dropout({ rate: 0.3 }),
      layers.dense({ units: 5, activation: 'softmax', kernelRegularizer: 'l2' }),
    ],
  });
}

test('a saved and loaded Sequential CNN predicts bit for bit what the saved one did', async () => {
  setSeed(1);
  const m = cnn();
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const x = data([6, 8, 8, 1], 2);
  const y = new Tensor(
    Float32Array.from({ length: 30 }, (_, i) => (i % 5 === i % 3 ? 1 : 0)),
    [6, 5],
  );
  await m.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 }); // moves the BN statistics too
  const dir = freshDir();
  await m.save(dir);
  assert.deepEqual((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
  const loaded = await loadModel(dir);
  assert.ok(loaded instanceof Sequential);
  assert.equal(loaded.name, m.name);
  assert.deepEqual(bits(loaded.predict(x)), bits(m.predict(x)));
  assert.ok(loaded.compiled, 'compiled from the saved training config');
  assert.equal(loaded.optimizer.className, 'Adam');
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'layers-model');
  assert.equal(json.modelTopology.class_name, 'Sequential');
  assert.equal(json.modelTopology.config.layers[0].config.kernel_size[0], 3);
  assert.deepEqual(json.trainingConfig.metrics, ['accuracy']);
  assert.equal(json.trainingConfig.optimizer_config.class_name, 'Adam');
  assert.deepEqual(json.mnistLab.trainingConfig.metrics, ['accuracy']);
  assert.deepEqual(json.weightsManifest[0].paths, ['./group1-shard1of1.bin']);
  assert.equal(json.weightsManifest[0].weights[0].name, m.weights[0]!.name);
  assert.deepEqual(json.weightsManifest[0].weights[0].shape, [3, 3, 1, 4]);
  assert.equal((await readFile(join(dir, 'group1-shard1of1.bin'))).byteLength, m.countParams() * 4);
});

test('a functional model with two inputs and a shared layer round-trips exactly', async () => {
  const a = input({ shape: [4] });
  const b = input({ shape: [4] });
  const shared = layers.dense({ units: 3, activation: 'tanh' });
  const out = layers
    .dense({ units: 2 })
    .apply(layers.concatenate().apply([shared.apply(a), shared.apply(b)]));
  const m = model({ inputs: [a, b], outputs: out });
  const dir = freshDir();
  await m.save(dir);
  const loaded = await loadModel(dir);
  assert.equal(loaded.compiled, false);
  const xs = [data([5, 4], 3), data([5, 4], 4)];
  assert.deepEqual(bits(loaded.predict(xs)), bits(m.predict(xs)));
  assert.equal(loaded.weights.length, 4);
});

test('saving again replaces the files atomically (no temporary files left behind)', async () => {
  const m = cnn();
  const dir = freshDir();
  await m.save(dir);
  m.setWeights(m.getWeights().map((w) => w.map((v) => v + 1)));
  await m.save(dir);
  assert.deepEqual((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
  const x = data([2, 8, 8, 1], 5);
  assert.deepEqual(bits((await loadModel(dir)).predict(x)), bits(m.predict(x)));
});

test('truncated, corrupt or oversized shards are clear errors naming the file', async () => {
  const m = cnn();
  const dir = freshDir();
  await m.save(dir);
  const bin = join(dir, 'group1-shard1of1.bin');
  const original = await readFile(bin);
  await truncate(bin, original.byteLength - 8);
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.ok(e instanceof ModelFormatError);
    assert.match(
      e.message,
      /group1-shard1of1\.bin: weightsManifest\[0\] describes \d+ bytes of weights, but its file holds \d+ \(truncated\?\)/,
    );
    return true;
  });
  const flipped = Buffer.from(original);
  flipped[100] = flipped[100]! ^ 0x40;
  await writeFile(bin, flipped);
  await assert.rejects(
    loadModel(dir),
    /group1-shard1of1\.bin: corrupt: CRC-32 is [0-9a-f]{8}, model\.json expects [0-9a-f]{8}/,
  );
  await writeFile(bin, Buffer.concat([original, Buffer.alloc(4)]));
  await assert.rejects(loadModel(dir), /describes \d+ bytes of weights, but its file holds \d+\./);
  await rm(bin);
  await assert.rejects(loadModel(dir), /group1-shard1of1\.bin: not found/);
});

test('bad model.json: unknown layer class, not JSON, wrong format, missing', async () => {
  const m = cnn();
  const dir = freshDir();
  await m.save(dir);
  const file = join(dir, 'model.json');
  const json = JSON.parse(await readFile(file, 'utf8'));
  json.modelTopology.config.layers[2].class_name = 'FancyLayer';
  await writeFile(file, JSON.stringify(json));
  await assert.rejects(
    loadModel(dir),
    /model\.json: modelTopology\.config\.layers\[2\]\.class_name: layer class 'FancyLayer' is not supported\. Supported: .*Dense/,
  );
  await writeFile(file, '{ not json');
  await assert.rejects(loadModel(dir), /model\.json: not valid JSON/);
  await writeFile(file, JSON.stringify({ format: 'something-else' }));
  await assert.rejects(
    loadModel(dir),
    /model\.json: format: "something-else" is not a model format/,
  );
  await writeFile(file, JSON.stringify({ format: 'mnist-lab-model', version: 2 }));
  await assert.rejects(loadModel(dir), /format version 2 is not supported/);
  await assert.rejects(
    loadModel(join(root, 'missing')),
    /model\.json: not found; is this a folder written by model\.save\(\) or TF\.js\?/,
  );
});

class Net extends Model {
  readonly a = new Dense({ units: 6, activation: 'relu' });
  readonly b = new Dense({ units: 2 });
  override call(x: Tensor | Tensor[], args: CallArgs): Tensor {
    return this.b.apply(this.a.apply(x as Tensor, args), args);
  }
}

test('subclassed models: save() explains; saveWeights / loadWeights round-trip into a rebuilt model', async () => {
  const m = new Net();
  const x = data([3, 5], 6);
  const expected = m.predict(x);
  const dir = freshDir();
  await assert.rejects(
    m.save(dir),
    /Cannot save model 'net.*' to .*: .*subclassed model \(Net\).*saveWeights\(dir\)/,
  );
  await m.saveWeights(dir);
  await assert.rejects(loadModel(dir), /weights only \(saved from a subclassed model\)/);
  const rebuilt = new Net();
  await assert.rejects(
    rebuilt.loadWeights(dir),
    /weightsManifest: does not match model 'net.*' \(0 weights, not built/,
  );
  rebuilt.build([null, 5]);
  await rebuilt.loadWeights(dir);
  assert.deepEqual(bits(rebuilt.predict(x)), bits(expected));
  const other = sequential({
    layers: [layers.dense({ units: 6, inputShape: [4] }), layers.dense({ units: 2 })],
  });
  await assert.rejects(
    other.loadWeights(dir),
    /weight 'dense.*\/kernel': has shape \[5, 6\], but the model's '.*' has shape \[4, 6\]/,
  );
});

test('saving an unbuilt model is a clear error', async () => {
  const m = sequential({ layers: [layers.dense({ units: 2 })] });
  await assert.rejects(m.save(freshDir()), /is not built yet/);
});

// Every optimizer whose state has its own formats' slots (Adam: TF.js's names; the others:
// Keras's).
for (const optimizer of ['adam', 'nadam', 'adamax', 'lion']) {
  test(`includeOptimizer (${optimizer}): a loaded model continues fit exactly where the saved one was`, async () => {
    setSeed(3);
    const make = (): Sequential =>
      sequential({
        layers: [
          layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
          layers.batchNormalization(),
          layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
    const m = make();
    m.compile({ optimizer, loss: 'categorical_crossentropy' });
    const x = data([12, 5], 8);
    const y = new Tensor(
      Float32Array.from({ length: 36 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
      [12, 3],
    );
    const args = { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 as const };
    await m.fit(x, y, args);
    const withState = freshDir();
    const without = freshDir();
    await m.save(withState, { includeOptimizer: true });
    await m.save(without);
    const json = JSON.parse(await readFile(join(withState, 'model.json'), 'utf8'));
    const specs = json.weightsManifest[0].weights as {
      name: string;
      group?: string;
      dtype: string;
    }[];
    assert.deepEqual(
      specs
        .filter((w) => w.group === 'optimizer')
        .slice(0, 2)
        .map((w) => [w.name, w.dtype]),
      [
        ['iter', 'int32'],
        [`${m.weights[0]!.name}/${m.optimizer.getWeights()[1]!.name.split('/').pop()}`, 'float32'],
      ],
    );
    const resumed = await loadModel(withState);
    const fresh = await loadModel(without);
    await m.fit(x, y, args);
    await resumed.fit(x, y, args);
    await fresh.fit(x, y, args);
    assert.deepEqual(bits(resumed.predict(x)), bits(m.predict(x)));
    assert.equal(resumed.optimizer.iterations, m.optimizer.iterations);
    assert.notDeepEqual(
      bits(fresh.predict(x)),
      bits(m.predict(x)),
      'without the state, fit differs',
    );
  });
}

test('version-1 folders (mnist-lab 0.1) still load, read-only', async () => {
  const m = cnn();
  const weights = m.weights;
  let offset = 0;
  const manifest = weights.map((w) => {
    const e = {
      name: w.name,
      shape: [...w.shape],
      dtype: 'float32',
      offset,
      byteLength: w.size * 4,
    };
    offset += e.byteLength;
    return e;
  });
  const bin = new Uint8Array(offset);
  weights.forEach((w, i) =>
    bin.set(new Uint8Array(Float32Array.from(w.values).buffer), manifest[i]!.offset),
  );
  const dir = freshDir();
  await mkdir(dir);
  await writeFile(join(dir, 'weights.bin'), bin);
  const { crc32 } = await import('../../src/data/crc32.js');
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'mnist-lab-model',
      version: 1,
      modelTopology: m.toJSON(),
      weightsManifest: manifest,
      weightsFile: 'weights.bin',
      weightsByteLength: offset,
      weightsCrc32: crc32(bin),
      trainingConfig: null,
    }),
  );
  const x = data([2, 8, 8, 1], 9);
  const loaded = await loadModel(dir);
  assert.deepEqual(bits(loaded.predict(x)), bits(m.predict(x)));
  // Saving it again writes the TF.js format and drops the old weights file.
  await loaded.save(dir);
  assert.deepEqual((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
  assert.deepEqual(bits((await loadModel(dir)).predict(x)), bits(m.predict(x)));
});
