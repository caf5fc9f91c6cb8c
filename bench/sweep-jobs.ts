/**
 * `npm run bench:sweep`: is a sweep faster with one worker using every core, or with several
 * workers side by side? Times the same small sweeps (an MLP grid and a CNN grid on real MNIST)
 * with --jobs 1 and --jobs N, alternating, and prints wall time per sweep. This is what the
 * default of `mnist-lab sweep --jobs` rests on (see the README).
 *
 * With Debian's redis-server installed it also times the sweep through a BullMQ queue on a
 * private Redis (127.0.0.1, a free port): N `mnist-lab worker` processes of one thread each, and
 * one worker with --concurrency N sharing the cores as --jobs N does. The workers start with the
 * driver, inside the timed span, as --jobs N starts its processes: the queue's overhead over
 * --jobs N, start-up included.
 *
 *   node dist/bench/sweep-jobs.js [--rounds 2] [--jobs 2] [--no-queue] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '../node/backend-setup.js';
import { defaultSpec, type TrainSpec } from '../src/experiments/model-spec.js';
import { parseGridArg, planRuns } from '../src/experiments/sweep-plan.js';
import { backendName } from '../src/kernels/registry.js';
import { markdownTable } from '../src/reports/markdown-table.js';
import { runSweep, type SweepRunner } from '../node/experiments/sweep.js';
import { parseQueueUrl } from '../node/experiments/queue-connection.js';
import { queueRunner } from '../node/experiments/queue-driver.js';
import { trainArgs } from '../cli/train-args.js';
import { RedisServer } from '../test/helpers/redis.js';

interface Case {
  id: string;
  title: string;
  grid: string;
  spec: (hidden: string) => TrainSpec;
  trainSamples: number;
}

const CASES: Case[] = [
  {
    id: 'mlp-grid',
    title: 'MLP 784-h-10, h = 128 / 256 / 512 / 1024, RMSprop, 2 epochs, 60000 images',
    grid: 'hidden=128,256,512,1024',
    spec: (h) => ({ ...defaultSpec('mlp'), hidden: [Number(h)], optimizer: 'rmsprop', epochs: 2 }),
    trainSamples: 60000,
  },
  {
    id: 'cnn-grid',
    title: 'seed CNN, Dense 32 / 64, Adam, 1 epoch, 15000 images',
    grid: 'hidden=32,64',
    spec: (h) => ({ ...defaultSpec('cnn'), hidden: [Number(h)], epochs: 1 }),
    trainSamples: 15000,
  },
];

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    jobs: { type: 'string', default: String(Math.max(2, os.availableParallelism())) },
    json: { type: 'string' },
    'no-queue': { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const parallel = Number(args.jobs);
const TEST_SAMPLES = 2000;

const redis =
  !args['no-queue'] && !spawnSync('redis-server', ['--version']).error
    ? await RedisServer.start()
    : null;
if (!redis) console.error('(no redis-server, or --no-queue: the queue column is left out)');

/** Starts `mnist-lab worker`s on the bench's Redis; `ready` resolves when each says so. */
function startWorkers(
  flags: string[][],
  store: string,
): { ready: Promise<void>; stop: () => Promise<void> } {
  const bin = fileURLToPath(new URL('../../bin/mnist-lab.js', import.meta.url));
  const children = flags.map((f) =>
    spawn(process.execPath, [bin, 'worker', '--queue', redis!.url(), '--store', store, ...f], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const ready = Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('Worker on queue')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`a worker exited (${code}): ${out}`)));
        }),
    ),
  ).then(() => {});
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map((c) => new Promise((resolve) => (c.once('exit', resolve), c.kill('SIGTERM')))),
    );
  };
  return { ready, stop };
}

/** Wall time of one sweep: --jobs `jobs` here, or through the queue with these workers. */
async function timeSweep(c: Case, jobs: number, workers: string[][] | null): Promise<number> {
  const dir = await mkdtemp(join(os.tmpdir(), 'mnist-lab-bench-sweep-'));
  const outDir = join(dir, 'sweep');
  const axis = parseGridArg(c.grid);
  const runs = planRuns([axis], 1, 42);
  const specs = new Map(runs.map((r) => [r.id, c.spec(r.setting['hidden']!)]));
  const t0 = performance.now();
  const started = workers ? startWorkers(workers, dir) : null;
  const runner: SweepRunner | undefined = workers
    ? queueRunner({
        conn: parseQueueUrl(redis!.url()),
        outDir,
        sweepPath: 'sweep',
        specs,
        args: (run) =>
          trainArgs({
            spec: specs.get(run.id)!,
            trainSamples: c.trainSamples,
            testSamples: TEST_SAMPLES,
          }),
        print: () => {},
      })
    : undefined;
  const sweep = runSweep({
    name: c.id,
    outDir,
    axes: [axis],
    runs,
    specs,
    jobs,
    trainSamples: c.trainSamples,
    testSamples: TEST_SAMPLES,
    figures: false,
    verbose: 0,
    print: () => {},
    ...(runner ? { runner } : {}),
  });
  await Promise.all([sweep, started?.ready]);
  const s = (performance.now() - t0) / 1000;
  await started?.stop();
  await rm(dir, { recursive: true, force: true });
  return s;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

console.log(
  `# sweep --jobs: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, backend ${backendName()}, ` +
    `load average ${os.loadavg()[0]!.toFixed(2)}, ${rounds} rounds (alternating)`,
);
const rows: string[][] = [];
const records: unknown[] = [];
const modes = [
  { id: 'jobs1', title: '--jobs 1', jobs: 1, workers: null },
  { id: `jobs${parallel}`, title: `--jobs ${parallel}`, jobs: parallel, workers: null },
  ...(redis
    ? [
        {
          id: 'queue-workers',
          title: `queue, ${parallel} workers x 1 thread`,
          jobs: parallel,
          workers: Array.from({ length: parallel }, () => ['--threads', '1']),
        },
        {
          id: 'queue-concurrency',
          title: `queue, 1 worker --concurrency ${parallel}`,
          jobs: parallel,
          workers: [['--concurrency', String(parallel)]],
        },
      ]
    : []),
];
try {
  for (const c of CASES) {
    const times: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m.id, []]));
    for (let r = 0; r < rounds; r++) {
      for (const m of r % 2 ? [...modes].reverse() : modes) {
        times[m.id]!.push(await timeSweep(c, m.jobs, m.workers));
      }
    }
    const med = Object.fromEntries(modes.map((m) => [m.id, median(times[m.id]!)]));
    const one = med['jobs1']!;
    const many = med[`jobs${parallel}`]!;
    rows.push([
      c.id,
      ...modes.map((m) => `${med[m.id]!.toFixed(1)} s`),
      `${(one / many).toFixed(2)}x`,
      ...modes
        .filter((m) => m.workers)
        .map((m) => `${(100 * (med[m.id]! / many - 1)).toFixed(1)}%`),
      ...modes.map((m) => times[m.id]!.map((t) => t.toFixed(1)).join(', ')),
    ]);
    records.push({ id: c.id, title: c.title, ...times });
    console.log(`${c.id}: ${modes.map((m) => `${m.title} ${med[m.id]!.toFixed(1)} s`).join(', ')}`);
  }
} finally {
  await redis?.close();
}
console.log('');
console.log(
  markdownTable(
    [
      'sweep',
      ...modes.map((m) => `${m.title} (median)`),
      `--jobs ${parallel} speed-up`,
      ...modes.filter((m) => m.workers).map((m) => `${m.title}: overhead`),
      ...modes.map((m) => `${m.title}, each`),
    ],
    rows,
    ['left', ...rows[0]!.slice(1).map(() => 'right' as const)],
  ),
);
for (const c of CASES) console.log(`- ${c.id}: ${c.title}`);
if (args.json) await writeFile(args.json, `${JSON.stringify(records, null, 2)}\n`);
