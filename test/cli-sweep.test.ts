import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunRecord } from '../src/experiments/run-record.js';
import { readJson, runCli, slice, startCli, tempDir as newTempDir } from './helpers/cli.js';

/** Small real slices: each run trains in well under a second. */
const SMALL = [...slice(1500, 300), '--verbose', '1'];

const tempDir = (): Promise<string> => newTempDir('sweep');

function results(dir: string): Promise<{ planned: number; runs: RunRecord[] }> {
  return readJson(dir, 'results.json');
}

function pngSize(png: Buffer): [number, number] {
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

test('sweep --list names every notebook preset', async () => {
  const r = await runCli(['sweep', '--list']);
  assert.equal(r.code, 0, r.stderr);
  for (const name of [
    'hidden-size',
    'learning-rate',
    'momentum',
    'lr-batch',
    'depth',
    'optimizers',
  ]) {
    assert.match(r.stdout, new RegExp(`\\| ${name} +\\|`));
  }
  assert.match(r.stdout, /seed notebook 004 \(256 \/ 512 \/ 1024 -> 97\.62/);
});

test('a grid with repeats on two workers writes the table, results, run folders and figures', async () => {
  const out = join(await tempDir(), 'grid');
  const r = await runCli([
    'sweep',
    '--grid',
    'hidden=32,64',
    '--repeats',
    '2',
    '--epochs',
    '2',
    '--validation-split',
    '0.2',
    '--batch-size',
    '32',
    '--jobs',
    '2',
    '--out',
    out,
    ...SMALL,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /4 runs \(4 to train\), 2 workers x 1 thread/);
  assert.deepEqual((await readdir(out)).sort(), [
    'figures',
    'report.md',
    'results.csv',
    'results.json',
    'runs',
    'sweep.json',
  ]);
  const { planned, runs } = await results(out);
  assert.equal(planned, 4);
  assert.deepEqual(
    runs.map((x) => [x.id, x.seed, x.spec.hidden, x.status, x.epochsRun]),
    [
      ['hidden-32-r1', 42, [32], 'ok', 2],
      ['hidden-32-r2', 43, [32], 'ok', 2],
      ['hidden-64-r1', 42, [64], 'ok', 2],
      ['hidden-64-r2', 43, [64], 'ok', 2],
    ],
  );
  for (const x of runs) {
    assert.ok(x.testAccuracy! > 0.6 && x.testAccuracy! <= 1, `${x.id}: ${x.testAccuracy}`);
    assert.equal(x.history['val_accuracy']!.length, 2);
    assert.equal(x.bestValAccuracy, Math.max(...x.history['val_accuracy']!));
    const metrics = await readJson(out, 'runs', x.id, 'metrics.json');
    assert.equal(metrics.test.accuracy, x.testAccuracy, 'results.json agrees with the run folder');
  }
  // Different seeds, different runs.
  assert.notEqual(runs[0]!.testLoss, runs[1]!.testLoss);

  const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trim().split('\r\n');
  assert.equal(csv.length, 5);
  assert.match(csv[0]!, /^run,hidden,repeat,seed,status,test_loss,test_accuracy,/);

  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /mean ± sample standard deviation over 2 seeds/);
  const rows = md.split('\n').filter((l) => /^\| (32|64) /.test(l));
  assert.equal(rows.length, 2, md);
  for (const row of rows) assert.match(row, /\d+\.\d{2} ± \d+\.\d{2}/);
  for (const key of ['val_accuracy', 'val_loss', 'accuracy', 'loss']) {
    assert.match(md, new RegExp(`!\\[[^\\]]+\\]\\(figures/${key}\\.png\\)`));
    const [w, h] = pngSize(await readFile(join(out, 'figures', `${key}.png`)));
    assert.ok(w > 300 && h > 200, `${key}.png is ${w}x${h}`);
    const svg = await readFile(join(out, 'figures', `${key}.svg`), 'utf8');
    assert.match(svg, /^<svg/);
  }
  // One architecture diagram per distinct model, as plot-model draws it.
  for (const [i, h] of [
    [1, 32],
    [2, 64],
  ] as const) {
    assert.match(
      md,
      new RegExp(`### The model for hidden=${h}\n\n!\\[[^\\]]+\\]\\(figures/model-${i}\\.png\\)`),
    );
    const svg = await readFile(join(out, 'figures', `model-${i}.svg`), 'utf8');
    assert.match(svg, new RegExp(`\\(None, ${h}\\)`));
    pngSize(await readFile(join(out, 'figures', `model-${i}.png`)));
  }
  for (const x of runs) {
    assert.match(md, new RegExp(`\\(figures/run-${x.id}\\.png\\)`));
    pngSize(await readFile(join(out, 'figures', `run-${x.id}.png`)));
  }
});

test('the lr-batch preset stops early and says at which epoch', async () => {
  const out = join(await tempDir(), 'lr-batch');
  const r = await runCli([
    'sweep',
    'lr-batch',
    '--epochs',
    '40',
    '--early-stopping',
    '2',
    // The preset holds out the first 10,000 images; this slice has 1,500.
    '--holdout',
    'first:250',
    '--no-figures',
    '--out',
    out,
    ...SMALL,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { runs } = await results(out);
  assert.equal(runs.length, 6);
  for (const x of runs) {
    assert.deepEqual(x.spec.hidden, [512, 256]);
    assert.equal(x.spec.dropout, 0.5);
    assert.equal(x.spec.optimizer, 'rmsprop');
    assert.equal(x.spec.earlyStopping, 2, 'the command line overrides the preset');
  }
  const stopped = runs.filter((x) => x.stoppedEarly);
  assert.ok(stopped.length >= 1, 'some run stops early');
  for (const x of stopped) assert.ok(x.epochsRun < 40);
  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /\| lr +\| batch-size \|/);
  assert.match(md, /- early-stopping: val_loss, patience 2, best weights restored/);
  assert.match(md, /- holdout: the first 250 training images/);
  assert.match(md, /fresh model per setting/);
  assert.match(
    md,
    /Best setting by best validation accuracy: lr [\d.]+, batch-size \d+ \([\d.]+% at epoch \d+\)\./,
  );
  const x = stopped[0]!;
  const row = md
    .split('\n')
    .find(
      (l) => l.startsWith(`| ${x.setting['lr']} `) && l.includes(`| ${x.setting['batch-size']} `),
    );
  assert.ok(row, md);
  assert.match(row!, new RegExp(`\\| +${x.epochsRun} \\(stopped early\\) \\|`));
  assert.match(row!, new RegExp(`\\| +${x.bestValEpoch} \\|`));
});

test('a run whose loss turns NaN is reported as failed and the sweep goes on', async () => {
  const out = join(await tempDir(), 'nan');
  const r = await runCli([
    'sweep',
    '--grid',
    'lr=1e30,0.01',
    '--optimizer',
    'sgd',
    '--loss',
    'mean_squared_error',
    '--epochs',
    '2',
    '--jobs',
    '1',
    '--out',
    out,
    ...SMALL,
  ]);
  assert.equal(r.code, 1, 'a failed run makes the sweep exit non-zero');
  assert.match(r.stdout, /\[1\/2\] lr=1e30: FAILED after 0 epochs: The loss became NaN/);
  assert.match(r.stdout, /\[2\/2\] lr=0\.01: test acc/);
  assert.match(r.stdout, /1 run failed; see the report/);
  const { runs } = await results(out);
  assert.deepEqual(
    runs.map((x) => [x.id, x.status, x.testAccuracy === null]),
    [
      ['lr-1e30', 'failed', true],
      ['lr-0.01', 'ok', false],
    ],
  );
  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /\| 1e30 +\| +– \| +– \| .*\(failed\)/);
  assert.match(md, /- run lr-1e30 failed: The loss became NaN/);
});

/** Starts a sweep and kills it (SIGKILL, no chance to tidy up) once `line` shows on stdout. */
async function killWhen(args: string[], line: RegExp): Promise<string> {
  const sweep = startCli(args);
  await sweep.waitFor(line);
  await sweep.stop('SIGKILL');
  return sweep.stdout;
}

test('a sweep killed half-way finishes with --resume without redoing finished runs', async () => {
  const out = join(await tempDir(), 'killed');
  // One worker, so runs finish in order.
  const args = [
    'sweep',
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
  // The start line of run 2 is printed only after run 1's results are on disk.
  const before = await killWhen(args, /\[2\/3\] hidden-32/);
  assert.match(before, /\[1\/3\] hidden=16: test acc/);
  assert.doesNotMatch(before, /\[2\/3\] hidden=32: test acc/);
  const partial = await results(out);
  assert.deepEqual(
    partial.runs.map((x) => x.id),
    ['hidden-16'],
  );
  assert.match(await readFile(join(out, 'report.md'), 'utf8'), /1 of 3 runs finished so far/);
  const firstMetrics = join(out, 'runs', 'hidden-16', 'metrics.json');
  const mtime = (await stat(firstMetrics)).mtimeMs;

  const again = await runCli(args);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds a sweep\. Add --resume to finish it/);

  const changed = await runCli([...args, '--resume', '--lr', '0.01']);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /cannot resume .*: run hidden-16 has other settings/);

  const resumed = await runCli([...args, '--resume']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Resuming: 1 of 3 runs already finished/);
  assert.match(resumed.stdout, /3 runs \(2 to train\)/);
  assert.doesNotMatch(resumed.stdout, /hidden-16\n/, 'run 1 is not trained again');
  assert.match(resumed.stdout, /\[2\/3\] hidden-32\n/);
  assert.match(resumed.stdout, /\[3\/3\] hidden=64: test acc/);
  assert.equal((await stat(firstMetrics)).mtimeMs, mtime);
  const done = await results(out);
  assert.deepEqual(
    done.runs.map((x) => [x.id, x.status]),
    [
      ['hidden-16', 'ok'],
      ['hidden-32', 'ok'],
      ['hidden-64', 'ok'],
    ],
  );
  assert.doesNotMatch(await readFile(join(out, 'report.md'), 'utf8'), /runs finished so far/);
});

test('bad sweep flags get a clear message and exit 2 (1 for missing data) before anything trains', async () => {
  const dir = await tempDir();
  const noData = await tempDir();
  // Exit 2: the command line is wrong; 1: what it names is not there (README, exit codes).
  const cases: [string[], RegExp, (1 | 2)?][] = [
    // The data is checked once, before any worker starts.
    [['--grid', 'hidden=8,16', '--data-dir', noData], /train-images-idx3-ubyte: not found/, 1],
    [
      ['--grid', 'hiden=1,2'],
      /'hiden' is not a train flag a sweep can set; use one of: model, hidden, /,
    ],
    [['--grid', 'lr=0.1,abc'], /run lr-abc: --lr takes a positive number, got 'abc'/],
    [['--grid', 'lr'], /--grid takes KEY=V1,V2/],
    [['--lr', '0.1', '--grid', 'lr=0.2,0.3'], /--lr is both set and swept/],
    [['--grid', 'momentum=0.5,0.9'], /--momentum applies to sgd and rmsprop, not adam/],
    [['--grid', 'data-dir=a,b'], /'data-dir' is not a train flag a sweep can set/],
    [['hidden'], /unknown sweep preset 'hidden'; presets: hidden-size/],
    [[], /name a preset \(see `mnist-lab sweep --list`\) or give --grid/],
    [['hidden-size', '--resume'], /--resume needs --out DIR/],
    [['hidden-size', '--resume', '--out', join(dir, 'nothing')], /there is nothing to resume/, 1],
    [['--grid', 'batchnorm=maybe'], /--batchnorm is on or off: use true or false, got 'maybe'/],
    [['--grid', 'hidden=8', '--backend', 'cuda'], /--backend must be one of native, wasm, js/],
  ];
  for (const [flags, message, code = 2] of cases) {
    const out = flags.includes('--resume') ? [] : ['--out', join(dir, 'x')];
    const r = await runCli(['sweep', ...flags, ...out, ...SMALL]);
    assert.equal(r.code, code, `${flags.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message, flags.join(' '));
  }
  assert.deepEqual(await readdir(dir), [], 'nothing was written');
});
