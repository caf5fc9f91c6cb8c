// export --format onnx | tfjs from the command line, checked by ONNX Runtime and TF.js.
import assert from 'node:assert/strict';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import '../src/kernels/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { setSeed } from '../src/tensor/seed.js';
import '../node/models/index.js';
import { runCli, tempDir } from './helpers/cli.js';
import { INTEROP_MODELS, maxAbsDiff, uniform } from './helpers/interop-models.js';
import { serveFolder, tfjsPredict, tfl } from './helpers/tfjs.js';

const root = await tempDir('export');
after(() => rm(root, { recursive: true, force: true }));

test('export --format onnx and --format tfjs: ONNX Runtime and TF.js agree with predict', async () => {
  setSeed(4);
  const c = INTEROP_MODELS[1]!; // the seed CNN
  const m = c.build();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const dir = join(root, 'run', 'model');
  await m.save(dir);
  const x = uniform(4 * 784, 3);
  const expected = m.predict(new Tensor(x, [4, 28, 28, 1])).values;

  const onnxFile = join(root, 'out', 'cnn.onnx');
  let r = await runCli([
    'export',
    '--run',
    join(root, 'run'),
    '--format',
    'onnx',
    '--out',
    onnxFile,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), onnxFile);
  const session = await ort.InferenceSession.create(await readFile(onnxFile));
  const out = await session.run({ input: new ort.Tensor('float32', x, [4, 28, 28, 1]) });
  assert.ok(maxAbsDiff(out['output']!.data as Float32Array, expected) <= 1e-5);

  const tfjsDir = join(root, 'web', 'model');
  r = await runCli(['export', '--run', dir, '--format', 'tfjs', '--out', tfjsDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await readdir(tfjsDir)).sort(), ['group1-shard1of1.bin', 'model.json']);
  const server = await serveFolder(join(root, 'web'));
  try {
    const theirs = await tfl.loadLayersModel(`${server.url}model/model.json`);
    assert.ok(maxAbsDiff(tfjsPredict(theirs, x, [[4, 28, 28, 1]]), expected) <= 1e-6);
  } finally {
    await server.close();
  }

  r = await runCli(['export', '--run', dir, '--format', 'onnx', '--out', join(root, 'cnn.bin')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--out .*cnn\.bin: an ONNX model is one file; name it \*\.onnx\./);
  r = await runCli(['export', '--run', dir, '--format', 'pb', '--out', join(root, 'x')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--format must be one of onnx, tfjs; got 'pb'/);
});
