import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../node/models/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { readJson, runCli, slice, tempRun } from './helpers/cli.js';
import { maxAbsDiff } from './helpers/interop-models.js';
import { serveFolder, tfjsPredict, tfl } from './helpers/tfjs.js';

test('train --augment puts Keras augmentation layers in front of the CNN; the saved model predicts on clean images', async () => {
  const out = await tempRun('augment');
  const r = await runCli([
    'train',
    '--model',
    'cnn',
    '--augment',
    '--augment-contrast',
    '0.2',
    '--epochs',
    '1',
    ...slice(2000, 500),
    '--out',
    out,
    '--verbose',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  for (const cls of ['RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast'])
    assert.ok(r.stdout.includes(`(${cls})`), `${cls} in the summary`);
  const acc = Number(/Test accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
  // 2000 augmented images, one epoch (~70%): far above chance.
  assert.ok(acc > 50, `test accuracy ${acc}%`);
  const config = await readJson(out, 'config.json');
  assert.deepEqual(config.augment, {
    translate: 0.1,
    rotate: 10,
    zoom: 0.1,
    flip: 'none',
    contrast: 0.2,
    fill: 'constant',
  });
  const model = await loadModel(join(out, 'model'));
  assert.deepEqual(
    model.layers.slice(0, 4).map((l) => l.className),
    ['RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast'],
  );
  assert.deepEqual(model.layers[0]!.getConfig()['factor'], 10 / 360);
  // At inference the augmentation is the identity: the same images give the same outputs.
  const x = new Tensor(
    Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 29) / 29),
    [2, 28, 28, 1],
  );
  const a = model.predict(x) as Tensor;
  const b = model.predict(x) as Tensor;
  assert.deepEqual(Array.from(a.values), Array.from(b.values));
  // export --format tfjs leaves the augmentation out (TF.js has none): real TF.js loads it.
  const dir = join(out, '..', 'tfjs');
  const e = await runCli(['export', '--run', out, '--format', 'tfjs', '--out', dir]);
  assert.equal(e.code, 0, e.stderr);
  const server = await serveFolder(dir);
  try {
    const theirs = await tfl.loadLayersModel(`${server.url}model.json`);
    assert.equal(theirs.layers[0]!.getClassName(), 'Conv2D');
    const d = maxAbsDiff(tfjsPredict(theirs, x.values as Float32Array, [[2, 28, 28, 1]]), a.values);
    assert.ok(d <= 1e-5, `TF.js max abs difference ${d}`);
    theirs.dispose();
  } finally {
    await server.close();
  }
});

test('train: one --augment-* flag alone turns on that transform only; bad values get one clear line', async () => {
  const out = await tempRun('augment');
  const r = await runCli([
    'train',
    '--augment-rotate',
    '15',
    '--hidden',
    '32',
    '--epochs',
    '1',
    ...slice(500, 100),
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const config = await readJson(out, 'config.json');
  assert.equal(config.augment.rotate, 15);
  assert.equal(config.augment.translate, 0);
  const model = await loadModel(join(out, 'model'));
  // The MLP warps its flattened pixels as 28x28 images.
  assert.deepEqual(
    model.layers.slice(0, 3).map((l) => l.className),
    ['Reshape', 'RandomRotation', 'Flatten'],
  );
  const bad = await runCli(['train', '--augment-flip', 'diagonal']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--augment-flip/);
  const fill = await runCli(['train', '--augment-fill', 'wrap']);
  assert.notEqual(fill.code, 0);
  assert.match(fill.stderr, /--augment-fill applies to --augment/);
  const help = await runCli(['train', '--help']);
  for (const flag of [
    '--augment ',
    '--augment-translate',
    '--augment-rotate',
    '--augment-zoom',
    '--augment-flip',
    '--augment-contrast',
  ])
    assert.ok(help.stdout.includes(flag), flag);
});
