// BullMQ and ioredis are optional peer dependencies: without them, the commands that queue say
// what to install, in one line, and the rest of the CLI works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT, type CliResult } from './helpers/cli.js';

const hooks = pathToFileURL(join(ROOT, 'dist', 'test', 'helpers', 'hide-packages-hooks.js'));
const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(hooks.href)})`;

/** `mnist-lab ...args` on a Node that cannot find the packages in `hide`. */
function runWithout(hide: string[], args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', register, join(ROOT, 'bin', 'mnist-lab.js'), ...args],
      {
        cwd,
        env: { ...process.env, HIDE_PACKAGES: hide.join(','), MNIST_LAB_DATA_DIR: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const queueArgs = ['--queue', 'redis://127.0.0.1:9/0'];

test('without bullmq and ioredis, sweep --queue and worker say to install them and exit 1, writing nothing', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'mnist-lab-noqueue-'));
  const store = join(cwd, 'store');
  const cases = [
    ['sweep', '--grid', 'lr=0.1,0.01', ...queueArgs, '--store', store],
    ['sweep', ...queueArgs, '--cancel'],
    ['worker', ...queueArgs, '--store', cwd],
  ];
  for (const args of cases) {
    const r = await runWithout(['bullmq', 'ioredis'], args, cwd);
    const command = args[0] === 'worker' ? 'worker' : 'sweep --queue';
    assert.equal(
      r.stderr,
      `mnist-lab: ${command} needs bullmq and ioredis, optional and not installed: run \`npm install bullmq ioredis\`, then try again.\n`,
      args.join(' '),
    );
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(await readdir(cwd), [], 'nothing written');
});

test('with only ioredis missing, the line names ioredis alone; commands that do not queue still run', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'mnist-lab-noqueue-'));
  const r = await runWithout(['ioredis'], ['sweep', '--grid', 'lr=0.1', ...queueArgs], cwd);
  assert.match(r.stderr, /needs ioredis, optional and not installed: run `npm install ioredis`/);
  assert.equal(r.code, 1);
  const list = await runWithout(['bullmq', 'ioredis'], ['sweep', '--list'], cwd);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /hidden-size/);
});
