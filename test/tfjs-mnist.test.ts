// TF.js's canonical MNIST layers example (test/tfjs-mnist/), with only its import line changed,
// trains a convnet on a real slice of MNIST and reports a test accuracy well above chance.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/cli.js';

test('the TF.js MNIST example runs unchanged but for its import line', async () => {
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'test', 'tfjs-mnist', 'index.js')], {
      env: {
        ...process.env,
        TFJS_MNIST_TRAIN: '3000',
        TFJS_MNIST_TEST: '500',
        TFJS_MNIST_EPOCHS: '3',
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Total params: 33,194/, 'the example convnet, built as TF.js builds it');
  assert.match(stdout, /Training\.\.\. \(100\.0% complete\)/, 'onBatchEnd ran for every batch');
  const acc = Number(/Final test accuracy: ([\d.]+)%/.exec(stdout)?.[1]);
  assert.ok(acc > 50, `test accuracy ${acc}% after 3 epochs on 2,550 images`);
  assert.match(stdout, /Predictions: \d+ of 100 correct/);
});
