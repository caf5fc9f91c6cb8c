import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../node/models/index.js';
import { tensor } from '../src/tensor/tensor.js';
import { readJson, runCli, slice, tempDir, tempRun } from './helpers/cli.js';

test('mnist-lab train trains the seed MLP on a small real slice and writes the run', async () => {
  const out = await tempRun('train');
  const r = await runCli([
    'train',
    '--epochs',
    '2',
    ...slice(3000, 1000),
    '--validation-split',
    '0.1',
    '--out',
    out,
    '--verbose',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Total params: 407,050/);
  assert.match(r.stdout, /Epoch 1\/2 .*loss: [\d.]+.*val_accuracy: [\d.]+/);
  assert.match(r.stdout, /Epoch times: [\d.]+s, [\d.]+s/);
  const acc = Number(/Test accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
  // 2700 images and two epochs already reach ~90% on the first 1000 test digits.
  assert.ok(acc > 85, `test accuracy ${acc}%`);
  assert.deepEqual((await readdir(out)).sort(), [
    'config.json',
    'confusion-matrix.png',
    'confusion-matrix.svg',
    'evaluation.json',
    'history.json',
    'metrics.json',
    'misclassified.png',
    'misclassified.svg',
    'model',
    'progress.jsonl',
    'report.md',
    'status.json',
  ]);
  const evaluation = await readJson(out, 'evaluation.json');
  assert.equal(evaluation.samples, 1000);
  assert.ok(Math.abs(100 * evaluation.accuracy - acc) < 0.01);
  assert.match(await readFile(join(out, 'report.md'), 'utf8'), /\| 7 +\| +[\d.]+% \|/);
  const status = await readJson(out, 'status.json');
  assert.deepEqual([status.state, status.epoch, status.epochs], ['finished', 2, 2]);
  const config = await readJson(out, 'config.json');
  assert.equal(config.optimizer, 'adam');
  assert.deepEqual(config.hidden, [512]);
  const history = await readJson(out, 'history.json');
  assert.equal(history.history.loss.length, 2);
  assert.ok(history.history.loss[1] < history.history.loss[0]);
  const metrics = await readJson(out, 'metrics.json');
  assert.ok(Math.abs(100 * metrics.test.accuracy - acc) < 0.01);
  // The saved model loads and classifies.
  const model = await loadModel(join(out, 'model'));
  const probs = model.predict(tensor(new Float32Array(2 * 784), [2, 784]));
  assert.deepEqual(probs.shape, [2, 10]);
});

test('train runs are repeatable with the same seed', async () => {
  const args = ['train', '--epochs', '1', ...slice(1000, 200), '--seed', '7', '--verbose', '0'];
  const dir = await tempDir('seed');
  const a = await runCli([...args, '--out', join(dir, 'a')]);
  const b = await runCli([...args, '--out', join(dir, 'b')]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const la = (await readJson(dir, 'a', 'history.json')).history.loss;
  const lb = (await readJson(dir, 'b', 'history.json')).history.loss;
  assert.deepEqual(la, lb);
});

test('bad train flags get a clear message and exit 2 (the command line is wrong)', async () => {
  const cases: [string[], RegExp][] = [
    [['--optimizer', 'nadamw'], /Unknown optimizer.*nadamw/i],
    [['--activation', 'swishy'], /swishy/],
    [['--loss', 'hinge2'], /hinge2/],
    [['--lr', '-1'], /--lr takes a positive number/],
    [['--hidden', '512,x'], /--hidden takes comma-separated whole numbers/],
    [['--momentum', '0.9', '--optimizer', 'adam'], /--momentum applies to sgd and rmsprop/],
    [['--early-stopping', '3'], /--early-stopping watches val_loss: add --validation-split/],
    [['--backend', 'cuda'], /--backend must be one of native, wasm, js; got 'cuda'/],
    [['--model', 'rnn'], /--model must be one of mlp, cnn/],
    [['--lr-schedule', 'linear'], /--lr-schedule must be one of exponential, cosine, piecewise/],
    [['--lr-alpha', '0.1'], /--lr-alpha applies to --lr-schedule cosine/],
    [
      ['--lr-schedule', 'piecewise', '--lr-boundaries', '2', '--lr-values', '0.1'],
      /--lr-values needs one more rate than --lr-boundaries/,
    ],
    [
      ['--lr-schedule', 'cosine', '--lr-warmup-epochs', '1'],
      /--lr-warmup-epochs \(1\) must be below --epochs \(1\)/,
    ],
    [
      ['--lr-schedule', 'cosine', '--reduce-lr-on-plateau', '2'],
      /--reduce-lr-on-plateau and --lr-schedule both steer the rate/,
    ],
    [['--min-lr', '0.001'], /--min-lr applies to --reduce-lr-on-plateau/],
    [['--weight-decay', '0.01'], /--weight-decay is AdamW's: use --optimizer adamw/],
    [['--model', 'cnn', '--filters', '32,64'], /--filters applies to --model cnn-bn/],
    [['--block-convs', '1'], /--block-convs applies to --model cnn-bn/],
    [['--model', 'cnn-bn', '--filters', '32,0'], /--filters takes comma-separated whole numbers/],
    [
      ['--label-smoothing', '0.1', '--loss', 'sparse_categorical_crossentropy'],
      /sparse_categorical_crossentropy has no label smoothing/,
    ],
    [['--label-smoothing', '0.1', '--loss', 'mse'], /--label-smoothing applies to categorical/],
    [['--holdout', 'middle:5'], /--holdout takes first:N or last:N/],
    [['--holdout', 'first:100'], /--holdout first:100 leaves no training images: there are 100/],
    [['--holdout', 'first:10', '--validation-split', '0.1'], /--holdout and --validation-split/],
  ];
  for (const [flags, pattern] of cases) {
    const r = await runCli(['train', ...flags, '--train-samples', '100', '--epochs', '1']);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, `${flags.join(' ')}: ${r.stderr}`);
  }
});

test('a loss that turns NaN stops the run with advice and keeps the run folder', async () => {
  const out = await tempRun('nan');
  const r = await runCli([
    'train',
    '--optimizer',
    'sgd',
    '--lr',
    '1e30',
    '--loss',
    'mean_squared_error',
    ...slice(1000, 100),
    '--verbose',
    '0',
    '--out',
    out,
  ]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /The loss became NaN at epoch 1, batch \d+; training stopped before applying that step\. Try a smaller learning rate/,
  );
  // A failed run says so in status.json; metrics.json is only for runs that finished.
  const status = await readJson(out, 'status.json');
  assert.equal(status.state, 'failed');
  assert.match(status.reason, /NaN/);
  await assert.rejects(readFile(join(out, 'metrics.json')), { code: 'ENOENT' });
  assert.ok((await readJson(out, 'history.json')).epoch);
});

// The optimizers added after 0.1, each end to end: trains, saves its name and config, reloads.
for (const [name, className] of [
  ['nadam', 'Nadam'],
  ['adamax', 'Adamax'],
  ['lion', 'Lion'],
] as const) {
  test(`train --optimizer ${name} learns on a small slice and saves the optimizer`, async () => {
    const out = await tempRun(name);
    const r = await runCli([
      'train',
      '--optimizer',
      name,
      '--epochs',
      '1',
      ...slice(2000, 500),
      '--out',
      out,
      '--verbose',
      '0',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const acc = (await readJson(out, 'metrics.json')).test.accuracy;
    // One epoch of 2000 images: about 80% (chance is 10%).
    assert.ok(acc > 0.7, `test accuracy ${acc}`);
    assert.equal((await readJson(out, 'config.json')).optimizer, name);
    const model = await loadModel(join(out, 'model'));
    assert.equal(model.trainingConfig?.optimizer.className, className);
  });
}

test('train with a hold-out, AdamW, a warm-up cosine schedule and label smoothing', async () => {
  const out = await tempRun('recipe');
  const r = await runCli([
    'train',
    '--epochs',
    '2',
    ...slice(1500, 500),
    '--holdout',
    'first:500',
    '--optimizer',
    'adamw',
    '--weight-decay',
    '0.01',
    '--lr-schedule',
    'cosine',
    '--lr-warmup-epochs',
    '1',
    '--label-smoothing',
    '0.1',
    '--out',
    out,
    '--verbose',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train 1000 {3}validation first 500/);
  assert.match(r.stdout, /Epoch 2\/2 .*val_accuracy: [\d.]+/);
  const config = await readJson(out, 'config.json');
  assert.deepEqual(config.holdout, { where: 'first', count: 500 });
  assert.deepEqual(config.lrSchedule, { kind: 'cosine', alpha: 0, warmupEpochs: 1 });
  assert.equal(config.labelSmoothing, 0.1);
  const model = await loadModel(join(out, 'model'));
  // 1000 images / batch 128 = 8 steps per epoch: warm up over 8, decay over 8.
  assert.deepEqual(model.trainingConfig?.optimizer, {
    className: 'AdamW',
    config: {
      learningRate: {
        className: 'CosineDecay',
        config: {
          initialLearningRate: 0,
          decaySteps: 8,
          alpha: 0,
          warmupTarget: 0.001,
          warmupSteps: 8,
        },
      },
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: 0.01,
    },
  });
  assert.deepEqual(model.trainingConfig?.loss, {
    className: 'categorical_crossentropy',
    config: { labelSmoothing: 0.1 },
  });
});

test('train --reduce-lr-on-plateau records each epoch learning_rate', async () => {
  const out = await tempRun('plateau');
  const r = await runCli([
    'train',
    '--epochs',
    '3',
    ...slice(600, 100),
    '--optimizer',
    'sgd',
    '--lr',
    '1e-8',
    '--reduce-lr-on-plateau',
    '0',
    '--reduce-lr-factor',
    '0.5',
    '--out',
    out,
    '--verbose',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const history = await readJson(out, 'history.json');
  // So small a rate moves the training loss by less than min_delta (1e-4): after the first
  // epoch (an improvement on Infinity) every epoch is a plateau, and patience is 0.
  assert.deepEqual(history.history.learning_rate, [1e-8, 1e-8, 5e-9]);
  assert.match(r.stdout, /Epoch 2: ReduceLROnPlateau reducing learning rate to 5e-9\./);
});

test('train --preset mnist-cnn: the recipe, with flags given on the command line winning', async () => {
  const out = await tempRun('preset');
  const r = await runCli([
    'train',
    '--preset',
    'mnist-cnn',
    '--epochs',
    '2',
    ...slice(300, 100),
    '--out',
    out,
    '--verbose',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Total params: 468,906/);
  const config = await readJson(out, 'config.json');
  assert.equal(config.model, 'cnn-bn');
  assert.equal(config.optimizer, 'adamw');
  assert.equal(config.weightDecay, 0.01);
  assert.equal(config.epochs, 2, '--epochs overrides the preset');
  assert.deepEqual(config.lrSchedule, { kind: 'cosine', alpha: 0, warmupEpochs: 1 });
  assert.equal(config.labelSmoothing, 0.1);
  const bad = await runCli(['train', '--preset', 'mnist-bst', '--train-samples', '10']);
  assert.notEqual(bad.code, 0);
  assert.match(
    bad.stderr,
    /unknown train preset 'mnist-bst'; presets: mnist-cnn, mnist-best, fashion-best, speedrun\./,
  );
});

// The recipes of the README's table, each on a tiny real slice: the full runs (minutes) are in
// the README, not in tests.
// Slices of 512 images (4 steps an epoch) for the 6-epoch presets; speedrun's 2 epochs get 2048.
for (const [preset, dataset, params, samples] of [
  ['mnist-best', 'mnist', '104,874', 512],
  ['fashion-best', 'fashion-mnist', '468,906', 512],
  ['speedrun', 'mnist', '104,874', 2048],
] as const) {
  test(`train --preset ${preset} trains its recipe (a tiny slice)`, async () => {
    const out = await tempRun(preset);
    const r = await runCli([
      'train',
      '--preset',
      preset,
      ...slice(samples, 100),
      '--out',
      out,
      '--verbose',
      '2',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Total params: ${params}`));
    assert.match(r.stdout, new RegExp(`dataset ${dataset}`));
    assert.match(r.stdout, /Test accuracy: \d+\.\d\d%/);
    const config = await readJson(out, 'config.json');
    assert.equal(config.dataset, dataset);
    assert.equal(config.model, 'cnn-bn');
    assert.equal(config.optimizer, 'adamw');
    assert.equal(config.lrSchedule.kind, 'cosine');
    assert.equal(config.labelSmoothing, 0.1);
    // It learns: the last epoch's training loss is below the first's.
    const { history } = await readJson(out, 'history.json');
    assert.ok(history.loss.at(-1) < history.loss[0], `loss ${history.loss.join(', ')}`);
  });
}
