/** Validation at the edges: environment variables and shapes get one clear line each. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zeros, tensor } from '../src/tensor/tensor.js';
import { ROOT, runCli } from './helpers/cli.js';

test('MNIST_LAB_NUM_THREADS and MNIST_LAB_BACKEND are checked with one line each', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { MNIST_LAB_NUM_THREADS: 'abc' },
      /^mnist-lab: MNIST_LAB_NUM_THREADS must be a whole number from 1 to 256, got 'abc'\./,
    ],
    [
      { MNIST_LAB_NUM_THREADS: '0' },
      /MNIST_LAB_NUM_THREADS must be a whole number from 1 to 256, got '0'/,
    ],
    [{ MNIST_LAB_NUM_THREADS: '2.5' }, /got '2\.5'/],
    [
      { MNIST_LAB_BACKEND: 'gpu' },
      /^mnist-lab: MNIST_LAB_BACKEND must be one of native, wasm, js, got 'gpu'\./,
    ],
  ];
  for (const [env, pattern] of cases) {
    const r = await runCli(['train', '--epochs', '1'], env);
    assert.equal(r.code, 2, JSON.stringify(env));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  }
  const ok = await runCli(['sweep', '--list'], {
    MNIST_LAB_NUM_THREADS: '3',
    MNIST_LAB_BACKEND: 'JS',
  });
  assert.equal(ok.code, 0, ok.stderr);
});

test('negative and fractional shapes are refused before allocating', () => {
  assert.throws(() => zeros([-1, 2]), /A shape holds whole numbers >= 0, got \[-1, 2\]/);
  assert.throws(() => zeros([1.5, 2]), /got \[1\.5, 2\] \(dimension 1\.5\)/);
  assert.throws(() => tensor([1, 2], [2, -1]), /A shape holds whole numbers >= 0/);
});

test('plot-model draws from shapes without allocating weights', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'mnist-lab-plot-big-')), 'big.svg');
  // Two Dense layers of a million units: 1e12 weights (4 TB) if they were allocated.
  const r = await runCli(['plot-model', '--hidden', '1000000,1000000', '--out', out], {
    NODE_OPTIONS: `--import ${join(ROOT, 'dist', 'test', 'helpers', 'report-rss.js')}`,
  });
  assert.equal(r.code, 0, r.stderr);
  const rssMb = Number(/maxrss-kb (\d+)/.exec(r.stderr)![1]) / 1024;
  assert.ok(rssMb < 300, `peak RSS ${rssMb.toFixed(0)} MB`);
  assert.match(await readFile(out, 'utf8'), /\(None, 1000000\)/);
});
