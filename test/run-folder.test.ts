/** Run folders: never shared, never silently reused, flags checked before any data loads. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';

const env = { MNIST_LAB_DATA_DIR: '' };
const QUICK = [
  '--hidden',
  '16',
  '--epochs',
  '1',
  '--train-samples',
  '300',
  '--test-samples',
  '100',
];

test('two train runs started together write two folders', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'mnist-lab-two-'));
  const [a, b] = await Promise.all([
    runCli(['train', ...QUICK, '--json'], env, cwd),
    runCli(['train', ...QUICK, '--json'], env, cwd),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const dirs = await readdir(join(cwd, 'runs'));
  assert.equal(dirs.length, 2, dirs.join(', '));
  const saved = [a, b].map((r) => (JSON.parse(r.stdout) as { dir: string }).dir);
  assert.notEqual(saved[0], saved[1]);
  for (const d of dirs) {
    const status = JSON.parse(await readFile(join(cwd, 'runs', d, 'status.json'), 'utf8'));
    assert.equal(status.state, 'finished');
  }
});

test('--out on an existing run refuses unless --resume or --overwrite', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mnist-lab-out-'));
  const out = join(root, 'run');
  assert.equal((await runCli(['train', ...QUICK, '--verbose', '0', '--out', out], env)).code, 0);
  const config = await readFile(join(out, 'config.json'), 'utf8');

  const again = await runCli(['train', ...QUICK, '--lr', '0.1', '--out', out], env);
  assert.equal(again.code, 1);
  assert.equal(
    again.stderr.trim(),
    `mnist-lab: ${out} already holds a finished run (epoch 1/1). Add --resume to continue it, --overwrite to replace it, or choose another --out.`,
  );
  assert.equal(await readFile(join(out, 'config.json'), 'utf8'), config, 'untouched');

  const finished = await runCli(['train', '--resume', out], env);
  assert.equal(finished.code, 1);
  assert.match(finished.stderr, /is a finished run \(epoch 1\/1\); there is nothing to resume/);

  const replaced = await runCli(
    ['train', ...QUICK, '--lr', '0.1', '--overwrite', '--out', out, '--verbose', '0'],
    env,
  );
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).lr, 0.1);

  // A folder of other files is not a run to replace silently either.
  const other = join(root, 'other');
  await mkdir(other);
  await writeFile(join(other, 'notes.txt'), 'mine');
  const r = await runCli(['train', ...QUICK, '--out', other], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already holds files \(not a run this version can continue\)/);
});

test('flag combinations are refused before any data loads', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mnist-lab-flags-'));
  // A data folder that does not exist: reaching the loader would give another message.
  const bad = { MNIST_LAB_DATA_DIR: join(root, 'no-such-data') };
  const cases: [string[], RegExp][] = [
    [
      ['train', '--resume', root, '--lr', '0.1'],
      /train --resume takes the run's settings from its config.json; drop --lr\./,
    ],
    [['train', '--overwrite'], /--overwrite replaces the run in --out: add --out DIR\./],
    [
      ['train', '--resume', join(root, 'nothing')],
      /--resume: .*config.json is missing; .* is not a run folder\./,
    ],
    [['train', '--checkpoint-every', '0'], /--checkpoint-every/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runCli(args, bad);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, pattern, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /no-such-data|\n\s+at /);
  }
  assert.deepEqual(await readdir(root), [], 'nothing written');
});
