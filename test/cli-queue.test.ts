import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { RunRecord } from '../src/experiments/run-record.js';
import { QUEUE_NAME, parseQueueUrl } from '../node/experiments/queue-connection.js';
import { ROOT, readJson, runCli, startCli, tempDir, type CliProcess } from './helpers/cli.js';
import { freePort, RedisServer } from './helpers/redis.js';

const live: CliProcess[] = [];
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliProcess {
  const c = startCli(args, extraEnv);
  live.push(c);
  return c;
}

async function results(dir: string): Promise<RunRecord[]> {
  return (await readJson<{ runs: RunRecord[] }>(dir, 'results.json')).runs;
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

// Each test has a Redis database of its own: a test that fails leaves nothing in the next one's way.

/** No job of any sweep is left on the queue, in any state. */
async function assertQueueEmpty(url: string): Promise<void> {
  const counts = await jobCounts(url);
  assert.deepEqual(counts, { wait: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
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
  const store = await tempDir('store');
  const out = join(store, 'sweeps', 'queued');
  const worker = ['worker', '--store', store, '--threads', '1', '--stall-timeout', '2'];
  // One worker has the password in its URL, the other in the environment.
  const a = cli([...worker, '--queue', redis.url({ db: 1 })]);
  const b = cli([...worker, '--queue', redis.url({ password: false, db: 1 })], {
    MNIST_LAB_REDIS_PASSWORD: redis.password,
  });
  await Promise.all([a.waitFor(/^Worker on queue/m), b.waitFor(/^Worker on queue/m)]);

  const driver = cli([
    'sweep',
    ...PLAN,
    '--queue',
    redis.url({ db: 1 }),
    '--store',
    store,
    '--out',
    out,
  ]);
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
  // The killed worker's training process died with it: the only trainers left are b's.
  const trainers = spawnSync('ps', ['-eo', 'ppid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.includes(join(ROOT, 'dist', 'node', 'experiments', 'queue-trainer.js')));
  assert.ok(trainers.length >= 1, 'b keeps its trainer');
  for (const line of trainers) assert.equal(Number(line.trim().split(/\s+/)[0]), b.child.pid, line);
  // The run folders are whole and nothing of the lost attempt is left.
  assert.deepEqual((await readdir(join(out, 'runs'))).sort(), [...ids].sort());
  for (const id of ids) {
    const metrics = await readJson(out, 'runs', id, 'metrics.json');
    assert.equal(metrics.test.accuracy, runs.find((r) => r.id === id)!.testAccuracy);
  }
  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /- workers: `mnist-lab worker`s on redis:\/\/:\*\*\*@127\.0\.0\.1:/);
  assert.doesNotMatch(md + driver.stdout, new RegExp(redis.password!), 'the password stays out');
  // The sweep's jobs are gone from Redis once their records are on disk.
  await assertQueueEmpty(redis.url({ db: 1 }));

  // The same plan swept locally trains the same runs to the same numbers.
  const local = join(store, 'local');
  const r = await runCli(['sweep', ...PLAN, '--jobs', '2', '--verbose', '1', '--out', local]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(runs.map(outcome), (await results(local)).map(outcome));
  // The same folder as a local sweep writes (report, results, figures, runs), plus queue.json.
  assert.deepEqual((await readdir(out)).sort(), [...(await readdir(local)), 'queue.json'].sort());
  assert.deepEqual(
    (await readdir(join(out, 'figures'))).sort(),
    (await readdir(join(local, 'figures'))).sort(),
  );

  assert.equal((await b.stop('SIGTERM')).code, 0, 'a worker stops cleanly on SIGTERM');
});

test('Ctrl-C leaves the queue resumable; --resume re-attaches; driver and worker ride out a Redis restart', async () => {
  const store = await tempDir('store');
  const out = join(store, 'resumed');
  const plan = ['--grid', 'hidden=32,64,96', ...PLAN.slice(4)];
  const queued = ['--queue', redis.url({ db: 2 }), '--store', store, '--out', out];

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
  const w = cli([
    'worker',
    '--store',
    store,
    '--queue',
    redis.url({ db: 2 }),
    '--stall-timeout',
    '5',
  ]);
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

test('--cancel drains queued runs; a driver still attached stops and says how to go on', async () => {
  const store = await tempDir('store');
  const out = join(store, 'cancelled');
  const plan = ['--grid', 'hidden=8,16', '--epochs', '1', '--train-samples', '500'];
  const driver = cli([
    'sweep',
    ...plan,
    '--queue',
    redis.url({ db: 3 }),
    '--store',
    store,
    '--out',
    out,
  ]);
  await driver.waitFor(/Queued 2 runs\./);

  const cancel = await runCli(['sweep', '--queue', redis.url({ db: 3 }), '--cancel', '--out', out]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(
    cancel.stdout,
    /Cancelled 2 queued runs of the sweep in .*cancelled; 0 still training will finish/,
  );
  const { code } = await driver.exited;
  assert.equal(code, 1);
  assert.match(
    driver.stderr,
    /2 runs were cancelled on the queue \(hidden-8, hidden-16\); .* Queue the rest again with the same command plus --resume\./,
  );

  // Without --out, --cancel drains every sweep's waiting runs.
  const other = cli(['sweep', ...plan, '--queue', redis.url({ db: 3 }), '--store', store]);
  await other.waitFor(/Queued 2 runs\./);
  other.child.kill('SIGINT');
  await other.exited;
  const drain = await runCli(['sweep', '--queue', redis.url({ db: 3 }), '--cancel']);
  assert.equal(drain.code, 0, drain.stderr);
  assert.match(
    drain.stdout,
    /Cancelled 2 queued runs of the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/3;/,
  );
  await assertQueueEmpty(redis.url({ db: 3 }));
});

test('bad queue flags get one clear line and exit 2 (1 when Redis or the store is not there), before anything is written or queued', async () => {
  const store = await tempDir('store');
  const elsewhere = await tempDir('elsewhere');
  const dead = `redis://127.0.0.1:${await freePort()}`;
  const grid = ['sweep', '--grid', 'hidden=8,16'];
  const wrong = redis.url({ db: 4 }).replace(redis.password!, 'not-the-password');
  // Exit 2: the command line is wrong (flags that do not go together, a malformed URL); 1: what
  // it names is not there (Redis, the store folder).
  const cases: [string[], RegExp, 1 | 2][] = [
    [
      [...grid, '--queue', 'http://127.0.0.1:1', '--store', store],
      /--queue: http:\/\/ is not a Redis URL; give redis:\/\//,
      2,
    ],
    [
      [...grid, '--queue', 'redis://127.0.0.1/x', '--store', store],
      /the database in 'redis:\/\/127\.0\.0\.1\/x' must be a number/,
      2,
    ],
    [
      [...grid, '--queue', dead, '--store', store],
      /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\)\. Start Redis there, or fix --queue\./,
      1,
    ],
    [
      [...grid, '--queue', wrong, '--store', store],
      /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/4 \(WRONGPASS/,
      1,
    ],
    [[...grid, '--queue', redis.url({ db: 4 })], /--queue needs --store DIR/, 2],
    [
      [...grid, '--queue', redis.url({ db: 4 }), '--store', store, '--out', elsewhere],
      /must be a folder inside --store/,
      2,
    ],
    [[...grid, '--store', store], /--store goes with --queue URL/, 2],
    [['sweep', '--cancel'], /--cancel goes with --queue URL/, 2],
    [
      ['worker', '--queue', redis.url({ db: 4 })],
      /required option '--store <dir>' not specified/,
      2,
    ],
    [
      ['worker', '--queue', redis.url({ db: 4 }), '--store', join(store, 'nope')],
      /--store .*nope is not a folder/,
      1,
    ],
    [['worker', '--queue', dead, '--store', store], /cannot reach Redis at/, 1],
  ];
  for (const [args, message, code] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /not-the-password/);
  }
  assert.deepEqual(await readdir(store), [], 'nothing was written');
  assert.deepEqual(await readdir(elsewhere), []);
  assert.deepEqual((await jobCounts(redis.url({ db: 4 }))).wait, 0, 'nothing was queued');
});

test('a worker rejects jobs that are not plain, valid runs, and writes nothing for them', async () => {
  const store = await tempDir('store');
  const w = cli(['worker', '--store', store, '--queue', redis.url({ db: 5 })]);
  await w.waitFor(/^Worker on queue/m);
  const queue = new Queue(QUEUE_NAME, { connection: parseQueueUrl(redis.url({ db: 5 })).options });
  const run = { id: 'a', settingId: 'a', setting: {}, repeat: 0, seed: 42 };
  const hostile: [unknown, RegExp][] = [
    [
      { v: 1, sweep: '../../etc', run, args: [] },
      /the sweep folder '\.\.\/\.\.\/etc' is not a plain relative path/,
    ],
    [{ v: 1, sweep: 'x', run: { ...run, id: '../a' }, args: [] }, /the run id is not folder-safe/],
    [
      { v: 1, sweep: 'x', run, args: ['--out', '/tmp/evil'] },
      /'--out' is not a flag a queued run may set/,
    ],
    [
      { v: 1, sweep: 'x', run, args: ['--data-dir=/etc'] },
      /'--data-dir=\/etc' is not a flag a queued run may set/,
    ],
    [{ v: 1, sweep: 'x', run, args: ['--lr', 'abc'] }, /--lr takes a positive number, got 'abc'/],
    [{ v: 1, sweep: 'x', run, args: ['--seed', '7'] }, /its seed and its flags disagree/],
    [{ v: 1, sweep: 'x', run, args: Array(200).fill('--batchnorm') }, /at most 128 strings/],
    [{ v: 2 }, /unknown job version 2/],
  ];
  try {
    const jobs = await queue.addBulk(
      hostile.map(([data], i) => ({
        name: 'run',
        data,
        opts: { jobId: `hostile-${i}`, attempts: 3 },
      })),
    );
    for (const [i, job] of jobs.entries()) {
      let state = await job.getState();
      for (let t = 0; state !== 'failed' && t < 200; t++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await job.getState();
      }
      assert.equal(state, 'failed', `job ${i}`);
      const failed = (await queue.getJob(job.id!))!;
      assert.match(failed.failedReason, /^rejected: /);
      assert.match(failed.failedReason, hostile[i]![1]);
      assert.equal(failed.attemptsMade, 1, 'a rejected job is not retried');
    }
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
  assert.deepEqual(await readdir(store), [], 'nothing was written');
  assert.equal((await w.stop()).code, 0);
});

test('rediss:// talks TLS to Redis, and refuses a certificate it cannot trust', async () => {
  const dir = await tempDir('tls');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
    ...['-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1'],
    ...['-addext', 'subjectAltName=IP:127.0.0.1'],
  ]);
  assert.equal(made.status, 0, made.stderr?.toString());
  const tls = await RedisServer.start({ tls: { cert, key } });
  try {
    assert.match(tls.url(), /^rediss:/);
    const args = ['sweep', '--queue', tls.url(), '--cancel'];
    const trusted = await runCli(args, { NODE_EXTRA_CA_CERTS: cert });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(
      trusted.stdout,
      /Cancelled 0 queued runs of the queue at rediss:\/\/127\.0\.0\.1:\d+;/,
    );
    const untrusted = await runCli(args);
    assert.equal(untrusted.code, 1);
    assert.match(
      untrusted.stderr,
      /cannot reach Redis at rediss:\/\/127\.0\.0\.1:\d+ \(.*certificate/,
    );
  } finally {
    await tls.close();
  }
});
