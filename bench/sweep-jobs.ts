/**
 * `npm run bench:sweep`: is a sweep faster with one worker using every core, or with several
 * workers side by side? Times the same small sweeps (an MLP grid and a CNN grid on real MNIST)
 * with --jobs 1 and --jobs N, alternating, and prints wall time per sweep. This is what the
 * default of `mnist-lab sweep --jobs` rests on (see the README).
 *
 *   node dist/bench/sweep-jobs.js [--rounds 2] [--jobs 2] [--json FILE]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../node/backend-setup.js';
import { defaultSpec, type TrainSpec } from '../src/experiments/model-spec.js';
import { parseGridArg, planRuns } from '../src/experiments/sweep-plan.js';
import { backendName } from '../src/kernels/registry.js';
import { markdownTable } from '../src/reports/markdown-table.js';
import { runSweep } from '../node/experiments/sweep.js';

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
  },
});
const rounds = Number(args.rounds);
const parallel = Number(args.jobs);

async function timeSweep(c: Case, jobs: number): Promise<number> {
  const dir = await mkdtemp(join(os.tmpdir(), 'mnist-lab-bench-sweep-'));
  const axis = parseGridArg(c.grid);
  const runs = planRuns([axis], 1, 42);
  const specs = new Map(runs.map((r) => [r.id, c.spec(r.setting['hidden']!)]));
  const t0 = performance.now();
  await runSweep({
    name: c.id,
    outDir: dir,
    axes: [axis],
    runs,
    specs,
    jobs,
    trainSamples: c.trainSamples,
    testSamples: 2000,
    figures: false,
    verbose: 0,
    print: () => {},
  });
  const s = (performance.now() - t0) / 1000;
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
for (const c of CASES) {
  const times: Record<number, number[]> = { 1: [], [parallel]: [] };
  for (let r = 0; r < rounds; r++) {
    for (const jobs of r % 2 ? [parallel, 1] : [1, parallel]) {
      times[jobs]!.push(await timeSweep(c, jobs));
    }
  }
  const one = median(times[1]!);
  const many = median(times[parallel]!);
  rows.push([
    c.id,
    `${one.toFixed(1)} s`,
    `${many.toFixed(1)} s`,
    `${(one / many).toFixed(2)}x`,
    times[1]!.map((t) => t.toFixed(1)).join(', '),
    times[parallel]!.map((t) => t.toFixed(1)).join(', '),
  ]);
  records.push({ id: c.id, title: c.title, jobs1: times[1], [`jobs${parallel}`]: times[parallel] });
  console.log(`${c.id}: --jobs 1 ${one.toFixed(1)} s, --jobs ${parallel} ${many.toFixed(1)} s`);
}
console.log('');
console.log(
  markdownTable(
    [
      'sweep',
      '--jobs 1 (median)',
      `--jobs ${parallel} (median)`,
      'speed-up',
      'jobs 1, each',
      `jobs ${parallel}, each`,
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  ),
);
for (const c of CASES) console.log(`- ${c.id}: ${c.title}`);
if (args.json) await writeFile(args.json, `${JSON.stringify(records, null, 2)}\n`);
