/**
 * Interrupted training: SIGKILL mid-epoch and during the save, SIGINT, then `train --resume`,
 * which must end with the weights of an uninterrupted run, bit for bit.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readStatus } from '../node/experiments/run-status.js';
import { runCli, slice, startCli, tempDir, type CliResult } from './helpers/cli.js';

// Epochs long enough (~0.2 s here) that a kill lands inside the epoch it aims at.
const ARGS = ['--epochs', '6', '--hidden', '256', '--dropout', '0.2', '--validation-split', '0.1'];
const DATA = [...slice(12000, 500), '--verbose', '2'];

/** The hash of a run's saved weights: its model's shards, in the manifest's order. */
async function weightsHash(dir: string): Promise<string> {
  const model = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
  const hash = createHash('sha256');
  for (const group of model.weightsManifest)
    for (const path of group.paths) hash.update(await readFile(join(dir, 'model', path)));
  return hash.digest('hex');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `train`, and once stdout matches `when` (and `ready` holds, polled), sends `signal`.
 * Resolves with the result; a process killed by a signal has code 128.
 */
async function trainAndSignal(
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals,
  ready: () => Promise<boolean> = async () => true,
): Promise<CliResult> {
  const run = startCli(['train', ...args]);
  await run.waitFor(when);
  for (let i = 0; i < 400 && !(await ready()); i++) await sleep(2);
  run.child.kill(signal);
  const [r, { signal: by }] = await Promise.all([run.closed, run.exited]);
  return { ...r, code: r.code ?? (by ? 128 : null) };
}

let reference: Promise<string> | undefined;
/** The uninterrupted run's weights hash (trained once, shared by the tests). */
function referenceHash(root: string): Promise<string> {
  reference ??= (async () => {
    const out = join(root, 'whole');
    const r = await runCli(['train', ...ARGS, ...DATA, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    return weightsHash(out);
  })();
  return reference;
}

test('SIGKILL during epoch 4, then train --resume: the weights of an uninterrupted run', async () => {
  const root = await tempDir('kill');
  const out = join(root, 'killed');
  let atKill = -1;
  const r = await trainAndSignal(
    [...ARGS, ...DATA, '--out', out],
    /Epoch 3\/6/,
    'SIGKILL',
    async () => {
      const s = await readStatus(out);
      atKill = s?.epoch ?? -1;
      return atKill === 3;
    },
  );
  assert.equal(r.code, 128, 'killed');
  assert.equal(atKill, 3, 'killed after the checkpoint of epoch 3');
  assert.doesNotMatch(r.stdout, /Epoch 4\/6/);
  // The folder says what happened: a run whose process is gone, with a checkpoint.
  const status = await readStatus(out);
  assert.equal(status?.state, 'interrupted');
  assert.match(status?.reason ?? '', /is gone/);
  assert.deepEqual(await readdir(join(out, 'checkpoint')), ['state.json', 'tensors-3-0.bin']);
  await assert.rejects(readFile(join(out, 'metrics.json')), { code: 'ENOENT' });

  // Temp files a killed writer could have left: removed by the resume.
  await writeFile(join(out, 'history.json.99999.tmp'), 'half');
  await mkdir(join(out, 'model'), { recursive: true });
  await writeFile(join(out, 'model', 'group1-shard1of1.bin.99999-abc.tmp'), 'half');

  const resumed = await runCli(['train', '--resume', out, '--verbose', '2']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Resuming .* at epoch 4, batch 1\./);
  assert.doesNotMatch(resumed.stdout, /Epoch 3\/6/);
  assert.match(resumed.stdout, /Epoch 6\/6/);
  assert.equal(await weightsHash(out), await referenceHash(root));
  const done = await readStatus(out);
  assert.deepEqual([done?.state, done?.epoch], ['finished', 6]);
  const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
  assert.deepEqual(history.epoch, [0, 1, 2, 3, 4, 5]);
  assert.ok(!(await readdir(out)).some((n) => n.endsWith('.tmp') || n === 'checkpoint'));
  assert.deepEqual((await readdir(join(out, 'model'))).sort(), [
    'group1-shard1of1.bin',
    'model.json',
  ]);
});

test('SIGINT stops at the end of a batch, checkpoints, exits 130 and says how to resume', async () => {
  const root = await tempDir('int');
  const out = join(root, 'stopped');
  // Mid-epoch 2: the progress line of epoch 1 is out, epoch 2 is under way.
  const r = await trainAndSignal(
    [...ARGS, ...DATA, '--out', out],
    /Epoch 1\/6/,
    'SIGINT',
    async () => {
      // After epoch 1's checkpoint and status are written (status.epoch counts finished epochs),
      // so the signal lands inside epoch 2's batches rather than in the epoch-end I/O.
      if ((await readStatus(out))?.epoch !== 1) return false;
      // Then a quarter of epoch 1's time (history.json holds it by now): inside epoch 2 whether
      // the machine is quiet (epochs of ~60 ms, where a fixed 60 ms wait reached epoch 3) or
      // loaded (~0.2 s).
      const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as {
        epochSeconds: number[];
      };
      await sleep(Math.max(5, 250 * (history.epochSeconds[0] ?? 0.2)));
      return true;
    },
  );
  assert.equal(r.code, 130, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(
    lines.at(-1),
    `Interrupted (SIGINT); checkpoint saved. Resume with: mnist-lab train --resume ${out}`,
  );
  const status = await readStatus(out);
  assert.equal(status?.state, 'interrupted');
  assert.equal(status?.resume, `mnist-lab train --resume ${out}`);
  const state = JSON.parse(await readFile(join(out, 'checkpoint', 'state.json'), 'utf8'));
  assert.equal(state.fit.epoch, 1, 'stopped inside epoch 2');
  assert.ok(state.fit.batch > 0, 'mid-epoch');

  const resumed = await runCli(['train', '--resume', out, '--verbose', '0']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(await weightsHash(out), await referenceHash(root));
});

test('SIGKILL around the model save leaves a folder that resumes to the same weights', async () => {
  const root = await tempDir('save');
  const out = join(root, 'saving');
  const r = await trainAndSignal([...ARGS, ...DATA, '--out', out], /Test accuracy/, 'SIGKILL');
  assert.equal(r.code, 128);
  const files = await readdir(out);
  // metrics.json only ever appears after the model it describes.
  if (files.includes('metrics.json')) {
    assert.ok((await readdir(join(out, 'model'))).includes('model.json'));
  }
  const status = await readStatus(out);
  if (status?.state !== 'finished') {
    assert.equal(status?.state, 'interrupted');
    const resumed = await runCli(['train', '--resume', out, '--verbose', '0']);
    assert.equal(resumed.code, 0, resumed.stderr);
  }
  assert.equal(await weightsHash(out), await referenceHash(root));
  assert.ok(!(await readdir(out)).some((n) => n.endsWith('.tmp')));
});

test('a live run cannot be resumed or overwritten by another process', async () => {
  const root = await tempDir('live');
  const out = join(root, 'live');
  let refusals: CliResult[] = [];
  // Far more epochs than the refusals can take, however loaded the machine (each starts a CLI):
  // the SIGTERM, sent once they are back, always finds the run training. Six epochs once ran out
  // first, and the run exited 0.
  const r = await trainAndSignal(
    ['--epochs', '1000', '--hidden', '256', '--dropout', '0.2', ...DATA, '--out', out],
    /Epoch 1\/1000/,
    'SIGTERM', // what a service manager sends: stops like Ctrl-C
    async () => {
      // The run's status names its live owner: what the refusals check.
      if ((await readStatus(out))?.state !== 'running') return false;
      refusals = await Promise.all([
        runCli(['train', '--resume', out]),
        runCli(['train', '--overwrite', '--out', out, '--epochs', '1']),
      ]);
      return true;
    },
  );
  assert.equal(r.code, 130, r.stderr);
  assert.match(
    r.stderr,
    /Interrupted \(SIGTERM\); checkpoint saved\. Resume with: mnist-lab train --resume /,
  );
  assert.equal(refusals.length, 2, 'the refusals ran');
  for (const x of refusals) {
    assert.equal(x.code, 1);
    assert.match(
      x.stderr,
      /^mnist-lab: .*live is being trained by process \d+ on .*; wait for it, or stop it \(kill -INT \d+\)\.\n$/,
    );
  }
});

/**
 * Kills a run once epoch 2's checkpoint is written, resumes it, and checks it against the same
 * run uninterrupted: weights bit for bit, and every epoch's logs (learning_rate included).
 */
/**
 * Kills a run once epoch 2's checkpoint is written, resumes it, and compares with a whole run.
 * The kill has epoch 3 to land in: `args` must make epochs long enough (~0.2 s or more) that it
 * does on a loaded machine with fast kernels.
 */
async function killResumeMatches(args: string[]): Promise<Record<string, number[]>> {
  const root = await tempDir('lr');
  const whole = join(root, 'whole');
  const out = join(root, 'killed');
  const all = [...args, ...slice(12000, 200), '--verbose', '2'];
  const ref = await runCli(['train', ...all, '--out', whole]);
  assert.equal(ref.code, 0, ref.stderr);
  const r = await trainAndSignal(
    [...all, '--out', out],
    /Epoch 2\/5/,
    'SIGKILL',
    async () => (await readStatus(out))?.epoch === 2,
  );
  assert.equal(r.code, 128, 'killed');
  assert.doesNotMatch(r.stdout, /Epoch 3\/5/);
  const resumed = await runCli(['train', '--resume', out, '--verbose', '2']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Resuming .* at epoch 3, batch 1\./);
  assert.equal(await weightsHash(out), await weightsHash(whole));
  const history = async (dir: string) =>
    JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')).history as Record<
      string,
      number[]
    >;
  const want = await history(whole);
  assert.deepEqual(await history(out), want);
  return want;
}

test('train --resume continues ReduceLROnPlateau: its counters and the rate it set', async () => {
  // So small a rate that the loss never improves by min_delta: patience 0 halves the rate after
  // every epoch but the first, so a resume that forgot the halvings trains with another rate.
  const history = await killResumeMatches([
    '--epochs',
    '5',
    '--hidden',
    '32',
    '--backend',
    'js',
    '--lr',
    '1e-8',
    '--reduce-lr-on-plateau',
    '0',
    '--reduce-lr-factor',
    '0.5',
  ]);
  assert.deepEqual(history['learning_rate'], [1e-8, 1e-8, 5e-9, 2.5e-9, 1.25e-9]);
});

test('train --resume continues a cosine schedule with warm-up at its step', async () => {
  await killResumeMatches([
    '--epochs',
    '5',
    '--hidden',
    '32',
    '--optimizer',
    'adamw',
    '--lr-schedule',
    'cosine',
    '--lr-warmup-epochs',
    '1',
    '--batch-size',
    '4',
  ]);
});
