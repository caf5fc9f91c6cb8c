/**
 * `npm run bench:sweep`: is a sweep faster with one worker using every core, or with several
 * workers side by side? Times the same small sweeps (an MLP grid and a CNN grid on real MNIST)
 * with --jobs 1 and --jobs N, alternating, and prints wall time per sweep. This is what the
 * default of `mnist-lab sweep --jobs` rests on (see the README).
 *
 * With Debian's redis-server installed it also times the sweep through a BullMQ queue on a
 * private Redis (127.0.0.1, a free port) with N `mnist-lab worker` processes of one thread each:
 * already running, as a deployed queue's workers are (the queue's own overhead over --jobs N,
 * which starts its processes inside the sweep), and started with the driver inside the timed
 * span (start-up included).
 *
 *   node dist/bench/sweep-jobs.js [--rounds 2] [--jobs 2] [--only REGEX] [--no-queue] [--json FILE]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
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

const ALL_CASES: Case[] = [
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
  {
    // Runs of a fraction of a second: what is left is the fixed cost of each way of sweeping.
    id: 'tiny-grid',
    title:
      'MLP 784-h-10, h = 16 / 32 / 48 / 64, 1 epoch of 1000 images (start-up and per-run costs)',
    grid: 'hidden=16,32,48,64',
    spec: (h) => ({ ...defaultSpec('mlp'), hidden: [Number(h)], epochs: 1 }),
    trainSamples: 1000,
  },
];

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    jobs: { type: 'string', default: String(Math.max(2, os.availableParallelism())) },
    json: { type: 'string' },
    'no-queue': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const CASES = ALL_CASES.filter((c) => args.only === undefined || new RegExp(args.only).test(c.id));
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
  url: string,
): { ready: Promise<void>; stop: () => Promise<void> } {
  const bin = fileURLToPath(new URL('../../bin/mnist-lab.js', import.meta.url));
  const children = flags.map((f) =>
    spawn(process.execPath, [bin, 'worker', '--queue', url, '--store', store, ...f], {
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

/** How a timed sweep trains: here with --jobs, or on the queue with workers running or started. */
type Way =
  { jobs: number } | { jobs: number; running: string } | { jobs: number; cold: string[][] };

/** Wall time of one sweep. */
async function timeSweep(c: Case, way: Way): Promise<number> {
  const dir =
    'running' in way ? way.running : await mkdtemp(join(os.tmpdir(), 'mnist-lab-bench-sweep-'));
  const outDir = await mkdtemp(join(dir, 'sweep-'));
  const jobs = way.jobs;
  const axis = parseGridArg(c.grid);
  const runs = planRuns([axis], 1, 42);
  const specs = new Map(runs.map((r) => [r.id, c.spec(r.setting['hidden']!)]));
  const t0 = performance.now();
  // Started workers get a Redis database of their own: the running ones must not take their runs.
  const url = 'cold' in way ? redis!.url({ db: 1 }) : redis?.url();
  const started = 'cold' in way ? startWorkers(way.cold, dir, url!) : null;
  const runner: SweepRunner | undefined =
    'jobs' in way && ('cold' in way || 'running' in way)
      ? queueRunner({
          conn: parseQueueUrl(url!),
          outDir,
          sweepPath: relative(dir, outDir),
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
  await rm('running' in way ? outDir : dir, { recursive: true, force: true });
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
const warmStore = await mkdtemp(join(os.tmpdir(), 'mnist-lab-bench-store-'));
const oneThread = Array.from({ length: parallel }, () => ['--threads', '1']);
const warm = redis ? startWorkers(oneThread, warmStore, redis.url()) : null;
await warm?.ready;
const modes: { id: string; title: string; way: Way; queued: boolean }[] = [
  { id: 'jobs1', title: '--jobs 1', way: { jobs: 1 }, queued: false },
  { id: `jobs${parallel}`, title: `--jobs ${parallel}`, way: { jobs: parallel }, queued: false },
  ...(redis
    ? [
        {
          id: 'queue',
          title: `queue, ${parallel} workers running`,
          way: { jobs: parallel, running: warmStore },
          queued: true,
        },
        {
          id: 'queue-cold',
          title: `queue, ${parallel} workers started with it`,
          way: { jobs: parallel, cold: oneThread },
          queued: true,
        },
      ]
    : []),
];
try {
  for (const c of CASES) {
    const times: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m.id, []]));
    for (let r = 0; r < rounds; r++) {
      for (const m of r % 2 ? [...modes].reverse() : modes) {
        times[m.id]!.push(await timeSweep(c, m.way));
      }
    }
    const med = Object.fromEntries(modes.map((m) => [m.id, median(times[m.id]!)]));
    const one = med['jobs1']!;
    const many = med[`jobs${parallel}`]!;
    rows.push([
      c.id,
      ...modes.map((m) => `${med[m.id]!.toFixed(1)} s`),
      `${(one / many).toFixed(2)}x`,
      ...modes.filter((m) => m.queued).map((m) => `${(100 * (med[m.id]! / many - 1)).toFixed(1)}%`),
      ...modes.map((m) => times[m.id]!.map((t) => t.toFixed(1)).join(', ')),
    ]);
    records.push({ id: c.id, title: c.title, ...times });
    console.log(`${c.id}: ${modes.map((m) => `${m.title} ${med[m.id]!.toFixed(1)} s`).join(', ')}`);
  }
} finally {
  await warm?.stop();
  await rm(warmStore, { recursive: true, force: true });
  await redis?.close();
}
console.log('');
console.log(
  markdownTable(
    [
      'sweep',
      ...modes.map((m) => `${m.title} (median)`),
      `--jobs ${parallel} speed-up`,
      ...modes.filter((m) => m.queued).map((m) => `${m.title}: overhead`),
      ...modes.map((m) => `${m.title}, each`),
    ],
    rows,
    ['left', ...rows[0]!.slice(1).map(() => 'right' as const)],
  ),
);
for (const c of CASES) console.log(`- ${c.id}: ${c.title}`);
if (args.json) await writeFile(args.json, `${JSON.stringify(records, null, 2)}\n`);
