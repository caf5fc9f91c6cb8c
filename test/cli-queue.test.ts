import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { RunRecord } from '../src/experiments/run-record.js';
import { QUEUE_NAME, parseQueueUrl } from '../node/experiments/queue-connection.js';
import { ROOT, runCli } from './helpers/cli.js';
import { RedisServer } from './helpers/redis.js';

const env = { MNIST_LAB_DATA_DIR: '' };

/** A CLI process whose output the test watches line by line. */
class Cli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private watchers: (() => void)[] = [];

  constructor(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin', 'mnist-lab.js'), ...args], {
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      for (const w of this.watchers) w();
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Resolves with the first match of `re` in stdout (waiting for it to appear). */
  waitFor(re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${re}; stdout:\n${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const m = this.stdout.match(re);
        if (m) {
          done();
          resolve(m);
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
      };
      this.watchers.push(check);
      check();
      // A process that ended without printing it never will.
      void this.exited.then(() => {
        if (!this.watchers.includes(check)) return;
        done();
        reject(new Error(`exited before printing ${re}; stdout:\n${this.stdout}\n${this.stderr}`));
      });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

const live: Cli[] = [];
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Cli {
  const c = new Cli(args, extraEnv);
  live.push(c);
  return c;
}

async function results(dir: string): Promise<RunRecord[]> {
  return (JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as { runs: RunRecord[] })
    .runs;
}

/** What must agree between two sweeps of one plan (not timings or dates). */
function outcome(r: RunRecord): unknown {
  return [r.id, r.seed, r.spec, r.status, r.testLoss, r.testAccuracy, r.epochsRun, r.history];
}

async function jobCounts(url: string): Promise<Record<string, number>> {
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(url).options });
  try {
    return await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
  } finally {
    await queue.close();
  }
}

let redis: RedisServer;
before(async () => {
  redis = await RedisServer.start({ password: 'sw33p-s3cret' });
});
after(async () => {
  await Promise.all(live.map((c) => c.stop('SIGKILL')));
  await redis?.close();
});

// Each run trains long enough (8 epochs) for a worker to be killed in the middle of one.
const PLAN = [
  '--grid',
  'hidden=64,128',
  '--repeats',
  '2',
  '--epochs',
  '8',
  '--batch-size',
  '32',
  '--train-samples',
  '3000',
  '--test-samples',
  '500',
];

test('a queued sweep on two workers survives one killed mid-run: every run once, as a local sweep trains it', async () => {
  const store = await mkdtemp(join(tmpdir(), 'mnist-lab-store-'));
  const out = join(store, 'sweeps', 'queued');
  const worker = ['worker', '--store', store, '--threads', '1', '--stall-timeout', '2'];
  // One worker has the password in its URL, the other in the environment.
  const a = cli([...worker, '--queue', redis.url()]);
  const b = cli([...worker, '--queue', redis.url(false)], {
    MNIST_LAB_REDIS_PASSWORD: redis.password,
  });
  await Promise.all([a.waitFor(/^Worker on queue/m), b.waitFor(/^Worker on queue/m)]);

  const driver = cli(['sweep', ...PLAN, '--queue', redis.url(), '--store', store, '--out', out]);
  await driver.waitFor(/Queued 4 runs\./);
  // Kill worker a (SIGKILL: no goodbye) once the run it took has finished an epoch.
  const [, killedRun] = await a.waitFor(/\((\S+)\), attempt 1/);
  await driver.waitFor(new RegExp(`  ${killedRun!.replace(/\./g, '\\.')} epoch 1/8`));
  a.child.kill('SIGKILL');
  assert.equal((await a.exited).signal, 'SIGKILL');

  const { code } = await driver.exited;
  assert.equal(code, 0, driver.stdout + driver.stderr);
  assert.match(driver.stdout, new RegExp(`${killedRun}: its worker stopped answering`));
  assert.match(driver.stdout, new RegExp(`${killedRun}: started again`));
  assert.match(b.stdout, new RegExp(`\\(${killedRun}\\), attempt 1`), 'b took the run over');

  const runs = await results(out);
  const ids = ['hidden-64-r1', 'hidden-64-r2', 'hidden-128-r1', 'hidden-128-r2'];
  assert.deepEqual(
    runs.map((r) => [r.id, r.status]),
    ids.map((id) => [id, 'ok']),
  );
  // Each run is reported finished exactly once.
  for (const id of ids) {
    const label = `hidden=${id.split('-')[1]} seed ${id.endsWith('r1') ? 42 : 43}`;
    const lines = driver.stdout.split('\n').filter((l) => l.includes(`] ${label}: test acc`));
    assert.equal(lines.length, 1, `${id}:\n${driver.stdout}`);
  }
  // The run folders are whole and nothing of the lost attempt is left.
  assert.deepEqual((await readdir(join(out, 'runs'))).sort(), [...ids].sort());
  for (const id of ids) {
    const metrics = JSON.parse(await readFile(join(out, 'runs', id, 'metrics.json'), 'utf8'));
    assert.equal(metrics.test.accuracy, runs.find((r) => r.id === id)!.testAccuracy);
  }
  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /- workers: `mnist-lab worker`s on redis:\/\/:\*\*\*@127\.0\.0\.1:/);
  assert.doesNotMatch(md + driver.stdout, new RegExp(redis.password!), 'the password stays out');
  // The sweep's jobs are gone from Redis once their records are on disk.
  assert.deepEqual(await jobCounts(redis.url()), {
    wait: 0,
    active: 0,
    delayed: 0,
    completed: 0,
    failed: 0,
  });

  // The same plan swept locally trains the same runs to the same numbers.
  const local = join(store, 'local');
  const r = await runCli(['sweep', ...PLAN, '--jobs', '2', '--verbose', '0', '--out', local], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(runs.map(outcome), (await results(local)).map(outcome));

  assert.equal((await b.stop('SIGTERM')).code, 0, 'a worker stops cleanly on SIGTERM');
});

test('Ctrl-C leaves the queue resumable; --resume re-attaches; driver and worker ride out a Redis restart', async () => {
  const store = await mkdtemp(join(tmpdir(), 'mnist-lab-store-'));
  const out = join(store, 'resumed');
  const plan = ['--grid', 'hidden=32,64,96', ...PLAN.slice(4)];
  const queued = ['--queue', redis.url(), '--store', store, '--out', out];

  // No worker yet: the runs wait on the queue, and stay there when the driver is interrupted.
  const first = cli(['sweep', ...plan, ...queued]);
  await first.waitFor(/Queued 3 runs\./);
  first.child.kill('SIGINT');
  assert.equal((await first.exited).code, 130);
  assert.match(
    first.stderr,
    /interrupted\. .* \(workers go on with the queued runs\); finish the sweep with the same command plus --out .* --resume/,
  );

  const resumed = cli(['sweep', ...plan, ...queued, '--resume']);
  await resumed.waitFor(/Queued 0 runs; 3 already on the queue from before\./);
  const w = cli(['worker', '--store', store, '--queue', redis.url(), '--stall-timeout', '5']);
  // Redis goes away while the worker trains and the driver waits, and comes back with its data.
  await w.waitFor(/\(hidden-32\), attempt 1/);
  await redis.stop();
  await Promise.all([resumed.waitFor(/sweep: lost Redis/), w.waitFor(/worker: lost Redis/)]);
  await new Promise((r) => setTimeout(r, 1000));
  await redis.start();

  const { code } = await resumed.exited;
  assert.equal(code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /sweep: Redis is back\./);
  assert.match(w.stdout, /worker: Redis is back\./);
  const runs = await results(out);
  assert.deepEqual(
    runs.map((r) => [r.id, r.status]),
    [
      ['hidden-32', 'ok'],
      ['hidden-64', 'ok'],
      ['hidden-96', 'ok'],
    ],
  );
  for (const id of ['hidden-32', 'hidden-64', 'hidden-96']) {
    assert.equal(w.stdout.split(`(${id}), attempt`).length - 1, 1, `${id} trained once`);
  }
  assert.equal((await w.stop()).code, 0);
});
