import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../node/models/index.js';
import { tensor } from '../src/tensor/tensor.js';
import { runCli } from './helpers/cli.js';

const env = { MNIST_LAB_DATA_DIR: '' };

test('mnist-lab train trains the seed MLP on a small real slice and writes the run', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'mnist-lab-train-')), 'run');
  const r = await runCli(
    [
      'train',
      '--epochs',
      '2',
      '--train-samples',
      '3000',
      '--test-samples',
      '1000',
      '--validation-split',
      '0.1',
      '--out',
      out,
      '--verbose',
      '2',
    ],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Total params: 407,050/);
  assert.match(r.stdout, /Epoch 1\/2 .*loss: [\d.]+.*val_accuracy: [\d.]+/);
  assert.match(r.stdout, /Epoch times: [\d.]+s, [\d.]+s/);
  const acc = Number(/Test accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
  // 2700 images and two epochs already reach ~90% on the first 1000 test digits.
  assert.ok(acc > 85, `test accuracy ${acc}%`);
  assert.deepEqual((await readdir(out)).sort(), [
    'config.json',
    'history.json',
    'metrics.json',
    'model',
    'progress.jsonl',
  ]);
  const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
  assert.equal(config.optimizer, 'adam');
  assert.deepEqual(config.hidden, [512]);
  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  assert.equal(history.history.loss.length, 2);
  assert.ok(history.history.loss[1] < history.history.loss[0]);
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  assert.ok(Math.abs(100 * metrics.test.accuracy - acc) < 0.01);
  // The saved model loads and classifies.
  const model = await loadModel(join(out, 'model'));
  const probs = model.predict(tensor(new Float32Array(2 * 784), [2, 784]));
  assert.deepEqual(probs.shape, [2, 10]);
});

test('train runs are repeatable with the same seed', async () => {
  const args = [
    'train',
    '--epochs',
    '1',
    '--train-samples',
    '1000',
    '--test-samples',
    '200',
    '--seed',
    '7',
    '--verbose',
    '0',
  ];
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-seed-'));
  const a = await runCli([...args, '--out', join(dir, 'a')], env);
  const b = await runCli([...args, '--out', join(dir, 'b')], env);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const la = JSON.parse(await readFile(join(dir, 'a', 'history.json'), 'utf8')).history.loss;
  const lb = JSON.parse(await readFile(join(dir, 'b', 'history.json'), 'utf8')).history.loss;
  assert.deepEqual(la, lb);
});

test('bad train flags get a clear message and a non-zero exit', async () => {
  const cases: [string[], RegExp][] = [
    [['--optimizer', 'adamw'], /Unknown optimizer.*adamw/i],
    [['--activation', 'swishy'], /swishy/],
    [['--loss', 'hinge2'], /hinge2/],
    [['--lr', '-1'], /--lr takes a positive number/],
    [['--hidden', '512,x'], /--hidden takes comma-separated whole numbers/],
    [['--momentum', '0.9', '--optimizer', 'adam'], /--momentum applies to sgd and rmsprop/],
    [['--early-stopping', '3'], /--early-stopping watches val_loss: add --validation-split/],
    [['--backend', 'cuda'], /Unknown backend 'cuda'/],
    [['--model', 'rnn'], /--model must be one of mlp, cnn/],
  ];
  for (const [flags, pattern] of cases) {
    const r = await runCli(['train', ...flags, '--train-samples', '100', '--epochs', '1'], env);
    assert.notEqual(r.code, 0, `${flags.join(' ')} should fail`);
    assert.match(r.stderr, pattern, `${flags.join(' ')}: ${r.stderr}`);
  }
});

test('a loss that turns NaN stops the run with advice and keeps the run folder', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'mnist-lab-nan-')), 'run');
  const r = await runCli(
    [
      'train',
      '--optimizer',
      'sgd',
      '--lr',
      '1e30',
      '--loss',
      'mean_squared_error',
      '--train-samples',
      '1000',
      '--test-samples',
      '100',
      '--verbose',
      '0',
      '--out',
      out,
    ],
    env,
  );
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /The loss became NaN at epoch 1, batch \d+; training stopped before applying that step\. Try a smaller learning rate/,
  );
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  assert.match(metrics.error, /NaN/);
  assert.ok(JSON.parse(await readFile(join(out, 'history.json'), 'utf8')).epoch);
});
