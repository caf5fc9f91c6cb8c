/** Validation at the edges: environment variables and shapes get one clear line each. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zeros, tensor } from '../src/tensor/tensor.js';
import { ROOT, runCli } from './helpers/cli.js';

test('MNIST_LAB_NUM_THREADS, MNIST_LAB_BACKEND and MNIST_LAB_WASM_ISA are checked with one line each', async () => {
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
    [
      { MNIST_LAB_WASM_ISA: 'avx9' },
      /^mnist-lab: MNIST_LAB_WASM_ISA must be one of relaxed-simd, simd128, got 'avx9'\./,
    ],
  ];
  for (const [env, pattern] of cases) {
    const r = await runCli(['train', '--epochs', '1'], env);
    assert.equal(r.code, 2, JSON.stringify(env));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  }
  // Whichever way wasm is chosen, and in every command that loads the engine: the variable's
  // own message (it used to be "Unknown backend 'wasm'"), and nothing written.
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-wasm-isa-'));
  const out = join(dir, 'run');
  const wasm: [string[], Record<string, string>][] = [
    [['train', '--epochs', '1', '--backend', 'wasm', '--out', out], {}],
    [['train', '--epochs', '1', '--out', out], { MNIST_LAB_BACKEND: 'wasm' }],
    [['sweep', '--grid', 'hidden=8', '--backend', 'wasm', '--out', out], {}],
    [['predict', '--run', out, '--dataset', 'test', '--index', '0'], { MNIST_LAB_BACKEND: 'wasm' }],
    [['evaluate', '--run', out], { MNIST_LAB_BACKEND: 'wasm' }],
  ];
  for (const [args, env] of wasm) {
    const r = await runCli(args, { ...env, MNIST_LAB_WASM_ISA: 'avx9' });
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /MNIST_LAB_WASM_ISA must be one of relaxed-simd, simd128, got 'avx9'/);
  }
  assert.deepEqual(await readdir(dir), []);
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
