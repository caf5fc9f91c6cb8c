/**
 * Sweeps that share a folder, lose a worker, or meet a bad file: one sweep per folder (a lock),
 * `--resume` retrains what did not finish, and results do not depend on --jobs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunRecord } from '../src/experiments/run-record.js';
import { readStatus } from '../node/experiments/run-status.js';
import { ROOT, runCli, type CliResult } from './helpers/cli.js';

const env = { MNIST_LAB_DATA_DIR: '' };
const SMALL = [
  '--train-samples',
  '1500',
  '--test-samples',
  '300',
  '--verbose',
  '1',
  '--no-figures',
];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mnist-lab-sweep2-'));
}

async function records(dir: string): Promise<RunRecord[]> {
  return (JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as { runs: RunRecord[] })
    .runs;
}

/** Starts `mnist-lab sweep ...args`; `done` resolves when it exits. */
function startSweep(args: string[]): { done: Promise<CliResult>; stdout: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mnist-lab.js'), 'sweep', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { done, stdout: () => stdout };
}

test("a second sweep on a live sweep's --out refuses; a dead sweep's lock is taken over", async () => {
  const out = join(await tempDir(), 'shared');
  const args = ['--grid', 'hidden=16,32', '--epochs', '3', '--jobs', '1', '--out', out, ...SMALL];
  const first = startSweep(args);
  for (let i = 0; i < 2000 && !first.stdout().includes('[1/2]'); i++) await sleep(5);
  const second = await runCli(['sweep', ...args, '--resume'], env);
  assert.equal(second.code, 1);
  assert.match(
    second.stderr.trim(),
    /^mnist-lab: .*shared is in use by a running sweep \(process \d+ on .*, since .*\); wait for it, or stop it \(kill -INT \d+\)\.$/,
  );
  const r = await first.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    (await records(out)).map((x) => x.status),
    ['ok', 'ok'],
  );

  // A lock left by a process that no longer exists does not block the folder.
  await writeFile(
    join(out, 'sweep.lock'),
    JSON.stringify({
      pid: 2 ** 22 + 12345,
      hostname: (await import('node:os')).hostname(),
      startedAt: 'then',
    }),
  );
  const resumed = await runCli(['sweep', ...args, '--resume'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Taking over .* from a sweep that is gone \(process \d+\)/);
  assert.match(resumed.stdout, /2 runs \(0 to train\)/);
});

test('a sweep whose worker was SIGKILLed completes on --resume; a diverged run needs --retry-failed', async () => {
  const out = join(await tempDir(), 'worker');
  const args = [
    '--grid',
    'hidden=16,32',
    '--grid',
    'lr=0.001,1e30',
    '--loss',
    'mean_squared_error',
    '--optimizer',
    'sgd',
    '--epochs',
    '3',
    '--jobs',
    '1',
    '--out',
    out,
    ...SMALL,
  ];
  const sweep = startSweep(args);
  // The worker's pid is in its run's status.json: kill it once the run is under way.
  const runDir = join(out, 'runs', 'hidden-16_lr-0.001');
  let killed = 0;
  for (let i = 0; i < 4000 && killed === 0; i++) {
    const s = await readStatus(runDir);
    if (s?.state === 'running' && s.epoch >= 1) {
      process.kill(s.pid, 'SIGKILL');
      killed = s.pid;
    } else await sleep(2);
  }
  assert.ok(killed > 0, 'found the worker');
  const r = await sweep.done;
  assert.equal(r.code, 1, 'failed runs make the exit code 1');
  assert.match(
    r.stdout,
    /hidden=16 lr=0\.001: FAILED after \d epochs: its worker process died \(SIGKILL\)/,
  );
  const before = await records(out);
  assert.deepEqual(
    before.map((x) => [x.id, x.status, x.failure ?? null]),
    [
      ['hidden-16_lr-0.001', 'failed', 'worker'],
      ['hidden-16_lr-1e30', 'failed', 'diverged'],
      ['hidden-32_lr-0.001', 'ok', null],
      ['hidden-32_lr-1e30', 'failed', 'diverged'],
    ],
  );
  const status = await readStatus(runDir);
  assert.equal(status?.state, 'interrupted', 'the killed run says so');

  const resumed = await runCli(['sweep', ...args, '--resume'], env);
  assert.equal(resumed.code, 1, 'the diverged runs stay failed');
  assert.match(resumed.stdout, /Retraining hidden-16_lr-0\.001: its worker died\./);
  // Its checkpoint is kept: it continues where the worker died, not from epoch 1.
  assert.match(
    resumed.stdout,
    /hidden-16_lr-0\.001: continuing from its checkpoint \(epoch [12]\/3\)/,
  );
  assert.match(resumed.stdout, /4 runs \(1 to train\)/);
  const after = await records(out);
  assert.deepEqual(
    after.map((x) => x.status),
    ['ok', 'failed', 'ok', 'failed'],
  );
  assert.equal(after[0]!.history['loss']!.length, 3, 'the whole history, resumed epochs included');
  // And it ends exactly where an uninterrupted run of the same setting does.
  const fresh = join(out, '..', 'fresh');
  const one = args.map((a) =>
    a === 'hidden=16,32' ? 'hidden=16' : a === 'lr=0.001,1e30' ? 'lr=0.001' : a,
  );
  const f = await runCli(
    ['sweep', ...one.slice(0, -SMALL.length - 2), '--out', fresh, ...SMALL],
    env,
  );
  assert.equal(f.code, 0, f.stderr);
  assert.equal(
    await weightsHash(join(fresh, 'runs', 'hidden-16_lr-0.001')),
    await weightsHash(join(out, 'runs', 'hidden-16_lr-0.001')),
  );

  const retried = await runCli(['sweep', ...args, '--resume', '--retry-failed'], env);
  assert.match(retried.stdout, /Retraining hidden-16_lr-1e30: it diverged \(--retry-failed\)\./);
  assert.match(retried.stdout, /4 runs \(2 to train\)/);
});

/** The hash of a run's saved weights: its model's shards, in the manifest's order. */
async function weightsHash(dir: string): Promise<string> {
  const model = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
  const hash = createHash('sha256');
  for (const group of model.weightsManifest)
    for (const path of group.paths) hash.update(await readFile(join(dir, 'model', path)));
  return hash.digest('hex');
}

test("a sweep's results do not depend on --jobs", async () => {
  const root = await tempDir();
  const grid = ['--grid', 'hidden=16,32', '--dropout', '0.2', '--epochs', '2', ...SMALL];
  const one = await runCli(['sweep', ...grid, '--jobs', '1', '--out', join(root, 'one')], env);
  const two = await runCli(['sweep', ...grid, '--jobs', '2', '--out', join(root, 'two')], env);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const [a, b] = [await records(join(root, 'one')), await records(join(root, 'two'))];
  const numbers = (r: RunRecord) => [r.id, r.testLoss, r.testAccuracy, r.history];
  assert.deepEqual(b.map(numbers), a.map(numbers));
  for (const r of a) {
    assert.equal(
      await weightsHash(join(root, 'two', 'runs', r.id)),
      await weightsHash(join(root, 'one', 'runs', r.id)),
      r.id,
    );
  }
});

test('malformed sweep files get a clear error naming the file', async () => {
  const out = join(await tempDir(), 'bad');
  const args = ['--grid', 'hidden=16', '--epochs', '1', '--out', out, ...SMALL];
  assert.equal((await runCli(['sweep', ...args], env)).code, 0);
  const cases: [string, string, RegExp][] = [
    [
      'sweep.json',
      '{"version": 1, "name": "grid", "axes": [], "runs": 7}',
      /sweep\.json: 'runs' must be a list of \{ id, spec \}/,
    ],
    ['sweep.json', '[1, 2]', /sweep\.json: not a JSON object/],
    ['sweep.json', '{"version": 1', /sweep\.json is not valid JSON/],
  ];
  const plan = await readFile(join(out, 'sweep.json'), 'utf8');
  for (const [file, text, pattern] of cases) {
    await writeFile(join(out, file), text);
    const r = await runCli(['sweep', ...args, '--resume'], env);
    assert.equal(r.code, 1, text);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  await writeFile(join(out, 'sweep.json'), plan);
  await writeFile(join(out, 'results.json'), '{"runs": [{"id": "hidden-16"}]}');
  const r = await runCli(['sweep', ...args, '--resume'], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /results\.json: 'runs' must be a list of run records/);
});

test('Ctrl-C stops a sweep with exit 130 and a resume line; --resume finishes it', async () => {
  const out = join(await tempDir(), 'interrupted');
  const args = [
    '--grid',
    'hidden=16,32,64',
    '--epochs',
    '2',
    '--jobs',
    '1',
    '--out',
    out,
    ...SMALL,
  ];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mnist-lab.js'), 'sweep', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/\[2\/3\] hidden-32/.test(stdout)) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 130);
  assert.match(
    stderr,
    /interrupted\. Finished runs are saved in .*; finish the sweep with the same command plus --out .* --resume\./,
  );
  // The sweep's lock went with it, and so did its workers: --resume starts at once.
  const resumed = await runCli(['sweep', ...args, '--resume'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stdout, /Taking over/);
  assert.match(resumed.stdout, /3 runs \(2 to train\)/);
  assert.deepEqual(
    (await records(out)).map((x) => x.status),
    ['ok', 'ok', 'ok'],
  );
});
