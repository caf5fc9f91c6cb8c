import { Queue, QueueEvents, type Job } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import { runRecord, type RunRecord } from '../../src/experiments/run-record.js';
import type { PlannedRun } from '../../src/experiments/sweep-plan.js';
import { writeJson } from '../fs/write-atomic.js';
import { QUEUE_NAME, type QueueConnection } from './queue-connection.js';
import { checkProgress, checkRecord, jobId, type QueueJobData } from './queue-job.js';
import type { RunHooks, SweepRunner } from './sweep.js';

/** Beside sweep.json: which jobs on the queue are this sweep's, so --resume re-attaches to them. */
export const QUEUE_FILE = 'queue.json';

interface QueueFile {
  version: 1;
  /** Prefix of this sweep's job ids. */
  key: string;
  queue: string;
}

export interface QueueRunnerOptions {
  conn: QueueConnection;
  /** The sweep folder (inside the store). */
  outDir: string;
  /** The sweep folder relative to the store, as workers find it under their own --store. */
  sweepPath: string;
  specs: ReadonlyMap<string, TrainSpec>;
  /** The run's `train` flags, as the job carries them. */
  args: (run: PlannedRun) => string[];
  /** How often the driver also asks Redis for the state of its jobs (events can be missed). */
  pollMs?: number;
  print: (line: string) => void;
}

/** A job error is retried (a worker without the store, a trainer that crashed) a few times. */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 2000 },
  // Collected jobs are removed by the driver; these only bound what an abandoned sweep leaves.
  removeOnComplete: { age: 14 * 24 * 3600 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

async function readQueueFile(outDir: string): Promise<QueueFile | null> {
  let text: string;
  try {
    text = await readFile(join(outDir, QUEUE_FILE), 'utf8');
  } catch {
    return null;
  }
  const file = JSON.parse(text) as QueueFile;
  if (file.version !== 1 || typeof file.key !== 'string' || !/^[0-9a-f]{16}$/.test(file.key)) {
    throw new Error(`${join(outDir, QUEUE_FILE)} was not written by this sweep.`);
  }
  return file;
}

/** Logs Redis trouble once per outage, not once per retry. */
function outageReporter(print: (line: string) => void, who: string) {
  let down = false;
  return {
    error: (e: Error): void => {
      if (down) return;
      down = true;
      print(`${who}: lost Redis (${e.message}); reconnecting...`);
    },
    ok: (): void => {
      if (!down) return;
      down = false;
      print(`${who}: Redis is back.`);
    },
  };
}

/**
 * Runs a sweep's pending runs on the BullMQ queue: one job per run (its id stable for the
 * sweep, so a resumed driver finds the same jobs and adding one twice is a no-op), collected
 * exactly once each as workers finish them, in any order. The jobs outlive the driver: a driver
 * stopped with Ctrl-C re-attaches with --resume.
 */
export function queueRunner(options: QueueRunnerOptions): SweepRunner {
  const { conn, outDir, print } = options;
  return {
    describe: `on the queue at ${conn.display} (start workers with \`mnist-lab worker\`)`,
    run: async (pending: readonly PlannedRun[], hooks: RunHooks): Promise<void> => {
      const saved = await readQueueFile(outDir);
      const key = saved?.key ?? randomBytes(8).toString('hex');
      if (!saved) {
        await writeJson(join(outDir, QUEUE_FILE), { version: 1, key, queue: conn.display });
      }
      const queue = new Queue(QUEUE_NAME, { connection: conn.options });
      const events = new QueueEvents(QUEUE_NAME, { connection: conn.options });
      const outage = outageReporter(print, 'sweep');
      queue.on('error', outage.error);
      events.on('error', outage.error);
      try {
        await events.waitUntilReady();
        await collectAll(queue, events, key, pending, hooks, options, outage.ok);
      } finally {
        await Promise.allSettled([events.close(), queue.close()]);
      }
      // Folders of attempts whose worker was killed mid-run (their trainers are gone too).
      const runs = join(outDir, 'runs');
      for (const name of await readdir(runs)) {
        if (name.startsWith('.') && name.endsWith('.partial')) {
          await rm(join(runs, name), { recursive: true, force: true });
        }
      }
    },
  };
}

async function collectAll(
  queue: Queue,
  events: QueueEvents,
  key: string,
  pending: readonly PlannedRun[],
  hooks: RunHooks,
  options: QueueRunnerOptions,
  redisOk: () => void,
): Promise<void> {
  const { print, specs } = options;
  const outstanding = new Map(pending.map((r) => [jobId(key, r.id), r]));
  const cancelled: string[] = [];
  const checking = new Set<string>();
  let failure: Error | null = null;
  let wake: () => void = () => {};

  /** Looks the job up and, once it has ended, hands its record to the sweep (once). */
  const check = async (id: string): Promise<void> => {
    const run = outstanding.get(id);
    if (!run || checking.has(id)) return;
    checking.add(id);
    try {
      let job: Job | undefined;
      let state: string;
      try {
        // State first: a job read before it finished would carry no result even once it has.
        state = await queue.getJobState(id);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
        job = state === 'unknown' ? undefined : ((await queue.getJob(id)) as Job | undefined);
        redisOk();
      } catch {
        return; // Redis is away: the next poll asks again.
      }
      if (!job) {
        outstanding.delete(id);
        cancelled.push(run.id);
        print(`  ${run.id}: its job was removed from the queue (cancelled).`);
        return;
      }
      const failed = (error: string): RunRecord =>
        runRecord(run, specs.get(run.id)!, 'unknown', {}, { error, trainSeconds: 0 });
      let record: RunRecord;
      if (state === 'completed') {
        try {
          record = checkRecord(job.returnvalue, run.id);
        } catch (e) {
          record = failed((e as Error).message);
        }
      } else if (state === 'failed') {
        record = failed(`its job failed on the worker: ${job.failedReason}`);
      } else return;
      outstanding.delete(id);
      try {
        await hooks.finished(record);
      } catch (e) {
        failure ??= e as Error;
        return;
      }
      // On disk now: the job has served its purpose.
      await job.remove().catch(() => {});
    } finally {
      checking.delete(id);
      wake();
    }
  };

  const mine = (id: string): PlannedRun | undefined => outstanding.get(id);
  events.on('active', ({ jobId: id }) => {
    const run = mine(id);
    if (run) hooks.started(run.id);
  });
  events.on('progress', ({ jobId: id, data }) => {
    const run = mine(id);
    const p = checkProgress(data);
    if (run && p) hooks.epoch(run.id, p.epoch, p.logs, p.seconds);
  });
  events.on('stalled', ({ jobId: id }) => {
    const run = mine(id);
    if (run) print(`  ${run.id}: its worker stopped answering; the run goes back to the queue.`);
  });
  events.on('completed', ({ jobId: id }) => void check(id));
  events.on('failed', ({ jobId: id }) => void check(id));

  // Queue what is not on the queue yet; a job left by an interrupted driver is kept as it is.
  const toAdd: { name: string; data: QueueJobData; opts: object }[] = [];
  for (const [id, run] of outstanding) {
    if (await queue.getJob(id)) continue;
    toAdd.push({
      name: 'run',
      data: {
        v: 1,
        sweep: options.sweepPath,
        run: {
          id: run.id,
          settingId: run.settingId,
          setting: run.setting,
          repeat: run.repeat,
          seed: run.seed,
        },
        args: options.args(run),
      },
      opts: { ...JOB_OPTIONS, jobId: id },
    });
  }
  if (toAdd.length > 0) await queue.addBulk(toAdd);
  const attached = outstanding.size - toAdd.length;
  print(
    `Queued ${toAdd.length} run${toAdd.length === 1 ? '' : 's'}` +
      (attached > 0 ? `; ${attached} already on the queue from before` : '') +
      '.',
  );

  const poll = setInterval(() => {
    for (const id of outstanding.keys()) void check(id);
  }, options.pollMs ?? 3000);
  try {
    for (const id of [...outstanding.keys()]) await check(id);
    while (outstanding.size > 0 || checking.size > 0) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure) throw failure;
  } finally {
    clearInterval(poll);
  }
  if (cancelled.length > 0) {
    throw new Error(
      `${cancelled.length} run${cancelled.length === 1 ? ' was' : 's were'} cancelled on the queue ` +
        `(${cancelled.join(', ')}); the finished runs are in ${options.outDir}. ` +
        'Queue the rest again with the same command plus --resume.',
    );
  }
}

/**
 * `sweep --queue URL --cancel`: removes waiting and delayed jobs (only one sweep's, given its
 * folder) so no worker takes them. Runs already training finish; their results wait on the
 * queue for --resume.
 */
export async function cancelQueued(
  conn: QueueConnection,
  outDir: string | undefined,
): Promise<{ removed: number; active: number }> {
  const queue = new Queue(QUEUE_NAME, { connection: conn.options });
  try {
    let prefix = '';
    if (outDir !== undefined) {
      const file = await readQueueFile(outDir);
      if (!file) throw new Error(`${outDir} holds no queued sweep (no ${QUEUE_FILE}).`);
      prefix = `${file.key}.`;
    }
    const states = ['wait', 'delayed', 'prioritized', 'waiting-children'] as const;
    let removed = 0;
    if (prefix === '') {
      removed = await queue.getJobCountByTypes(...states);
      await queue.drain(true);
    } else {
      for (const job of await queue.getJobs([...states])) {
        if (job?.id?.startsWith(prefix)) {
          await job.remove();
          removed++;
        }
      }
    }
    const active = (await queue.getJobs(['active'])).filter((j) => j?.id?.startsWith(prefix));
    return { removed, active: active.length };
  } finally {
    await queue.close();
  }
}
