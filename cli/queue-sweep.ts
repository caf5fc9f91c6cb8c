import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { TrainSpec } from '../src/experiments/model-spec.js';
import type { PlannedRun } from '../src/experiments/sweep-plan.js';
import { checkRedis, parseQueueUrl } from '../node/experiments/queue-connection.js';
import { cancelQueued, queueRunner } from '../node/experiments/queue-driver.js';
import type { SweepRunner } from '../node/experiments/sweep.js';
import { asUsage, UsageError } from './parse.js';
import { trainArgs } from './train-args.js';

/** The `sweep` flags of a queued sweep. */
export interface QueueFlags {
  queue?: string;
  store?: string;
  cancel: boolean;
  out?: string;
  trainSamples?: number;
  testSamples?: number;
}

/** `sweep --queue URL --cancel [--out DIR]`: drains the queue, or one sweep's part of it. */
export async function cancelQueuedSweep(
  flags: QueueFlags,
  print: (l: string) => void,
): Promise<void> {
  if (flags.queue === undefined) throw new UsageError('--cancel goes with --queue URL.');
  const conn = asUsage(() => parseQueueUrl(flags.queue!));
  await checkRedis(conn);
  const outDir = flags.out !== undefined ? resolve(flags.out) : undefined;
  const { removed, active } = await cancelQueued(conn, outDir);
  const what = outDir !== undefined ? `the sweep in ${outDir}` : `the queue at ${conn.display}`;
  print(
    `Cancelled ${removed} queued run${removed === 1 ? '' : 's'} of ${what}; ` +
      `${active} still training will finish (collect them with --resume).`,
  );
}

/**
 * Checks a queued sweep's flags and Redis before anything is written; returns its folder (inside
 * the store) and the runner that queues its runs.
 */
export async function queueSweep(
  flags: QueueFlags,
  defaultOut: string,
  runs: readonly PlannedRun[],
  specs: ReadonlyMap<string, TrainSpec>,
  print: (l: string) => void,
): Promise<{ outDir: string; runner: SweepRunner; display: string }> {
  const conn = asUsage(() => parseQueueUrl(flags.queue!));
  if (flags.store === undefined) {
    throw new UsageError(
      '--queue needs --store DIR: a folder the driver and every worker reach (a shared filesystem).',
    );
  }
  const store = resolve(flags.store);
  if (
    !(await stat(store).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new Error(`--store ${store} is not a folder.`);
  }
  const outDir = resolve(flags.out ?? join(store, defaultOut));
  const sweepPath = relative(store, outDir);
  if (sweepPath === '' || sweepPath.startsWith('..') || isAbsolute(sweepPath)) {
    throw new UsageError(
      `--out ${outDir} must be a folder inside --store ${store}: workers write there.`,
    );
  }
  // Each job's flags, made (and checked to round-trip) before anything is queued.
  const args = new Map(
    runs.map((r) => [
      r.id,
      trainArgs({
        spec: specs.get(r.id)!,
        ...(flags.trainSamples !== undefined ? { trainSamples: flags.trainSamples } : {}),
        ...(flags.testSamples !== undefined ? { testSamples: flags.testSamples } : {}),
      }),
    ]),
  );
  await checkRedis(conn);
  const runner = queueRunner({
    conn,
    outDir,
    sweepPath: sweepPath.split(sep).join('/'),
    specs,
    args: (run) => args.get(run.id)!,
    print,
  });
  return { outDir, runner, display: conn.display };
}
