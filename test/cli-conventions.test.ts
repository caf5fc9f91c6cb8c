// Command-line conventions: --version, --json (one JSON object on stdout), --verbose 0 (nothing
// but errors) and the exit codes: 0 done, 1 failed while running, 2 a wrong command line.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, readJson, runCli, slice, tempDir } from './helpers/cli.js';

const SMALL = [...slice(500, 100), '--epochs', '1'];

test('--version prints the package version', async () => {
  const pkg = (await readJson(ROOT, 'package.json')) as { version: string };
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${pkg.version}\n`);
});

test('train --json prints one JSON result on stdout; --verbose 0 prints nothing', async () => {
  const dir = await tempDir('conv');
  const j = await runCli(['train', ...SMALL, '--json', '--out', join(dir, 'a')]);
  assert.equal(j.code, 0, j.stderr);
  const result = JSON.parse(j.stdout) as { dir: string; test: { accuracy: number } };
  assert.equal(result.dir, join(dir, 'a'));
  assert.ok(result.test.accuracy > 0.3);
  assert.equal(j.stdout.trim().split('\n').length, 1);

  const q = await runCli(['train', ...SMALL, '--verbose', '0', '--out', join(dir, 'b')]);
  assert.equal(q.code, 0, q.stderr);
  assert.equal(q.stdout, '');
  assert.equal(q.stderr, '');
});

test('data --json and sweep --json describe their result; sweep --verbose 0 is silent', async () => {
  const d = await runCli(['data', '--json']);
  assert.equal(d.code, 0, d.stderr);
  const ds = JSON.parse(d.stdout) as { train: { images: number[] }; test: { labels: number } };
  assert.deepEqual(ds.train.images, [60000, 28, 28]);
  assert.equal(ds.test.labels, 10000);

  const dir = await tempDir('conv');
  const sweep = ['sweep', '--grid', 'hidden=8,16', '--jobs', '1', '--no-figures', ...SMALL];
  const s = await runCli([...sweep, '--json', '--out', join(dir, 's')]);
  assert.equal(s.code, 0, s.stderr);
  const out = JSON.parse(s.stdout) as { outDir: string; records: unknown[]; failed: number };
  assert.equal(out.records.length, 2);
  assert.equal(out.failed, 0);
  const q = await runCli([...sweep, '--verbose', '0', '--out', join(dir, 'q')]);
  assert.equal(q.code, 0, q.stderr);
  assert.equal(q.stdout + q.stderr, '');
});

test('exit codes: 2 for a wrong command line, 1 for a failure while running', async () => {
  const usage = await runCli(['train', '--epochz', '2']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown option '--epochz'/);
  const value = await runCli(['train', '--lr', '-1']);
  assert.equal(value.code, 2);
  const failed = await runCli(['data', '--data-dir', join(tmpdir(), 'no-such-dir-12'), '--json']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^mnist-lab: /);
  assert.equal(failed.stdout, '');
});
