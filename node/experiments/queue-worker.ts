import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import type { RunRecord } from '../../src/experiments/run-record.js';
import { settingLabel } from '../../src/experiments/sweep-plan.js';
import { QUEUE_NAME, type QueueConnection } from './queue-connection.js';
import { checkJobData, type QueueProgress } from './queue-job.js';
import type { RunTask, ThreadsMessage, WorkerMessage } from './sweep-messages.js';

const TRAINER = fileURLToPath(new URL('./queue-trainer.js', import.meta.url));

/** A run parsed from a job's flags (by the CLI's own parsers: see cli/train-args.ts). */
export interface ParsedRun {
  spec: TrainSpec;
  trainSamples?: number;
  testSamples?: number;
}

export interface QueueWorkerOptions {
  conn: QueueConnection;
  /** The shared folder the sweep drivers write to, as this machine mounts it. */
  store: string;
  /** Runs trained side by side, each in its own process. */
  concurrency: number;
  /**
   * Native threads per run. Default: the cores split among the runs in training, rebalanced as
   * runs start and finish (as a local sweep does).
   */
  threads?: number;
  /** Seconds without a lock renewal after which another worker takes a run over. */
  stallSeconds: number;
  parseRun: (args: unknown) => ParsedRun;
  backend?: string;
  dataDir?: string;
  print: (line: string) => void;
}

export interface QueueWorker {
  /** Stops taking runs; waits for the runs in training unless `force`. */
  close(force?: boolean): Promise<void>;
}

/**
 * `mnist-lab worker`: takes runs off the sweep queue and trains each in a child process with the
 * local sweep's run code, so this process stays free to renew the job's lock and report progress
 * while an epoch keeps the trainer busy. A worker killed mid-run stops renewing; once the lock
 * runs out BullMQ hands the run to another worker, and each attempt writes into its own hidden
 * folder, renamed into place only when the run finished.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { print, store } = options;
  const idle: ChildProcess[] = [];
  const live = new Set<ChildProcess>();
  const busy = new Set<ChildProcess>();
  const cores = availableParallelism();
  const share = (runs: number): number =>
    options.threads ?? Math.max(1, Math.floor(cores / Math.max(1, runs)));
  /** Cores left idle by a finished run go to the runs still training. */
  const rebalance = (): void => {
    if (options.threads !== undefined) return;
    const m: ThreadsMessage = { type: 'threads', threads: share(busy.size) };
    for (const child of busy) if (child.connected) child.send(m);
  };

  const spawnTrainer = (): Promise<ChildProcess> =>
    new Promise((resolveChild, reject) => {
      const child = fork(TRAINER, [], {
        env: { ...process.env, MNIST_LAB_NUM_THREADS: String(share(options.concurrency)) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      live.add(child);
      child.once('exit', () => {
        live.delete(child);
        const i = idle.indexOf(child);
        if (i >= 0) idle.splice(i, 1);
      });
      const onReady = (m: WorkerMessage): void => {
        if (m.type !== 'ready') return;
        child.off('message', onReady);
        child.off('exit', onEarlyExit);
        resolveChild(child);
      };
      const onEarlyExit = (code: number | null): void =>
        reject(new Error(`a trainer process failed to start (exit code ${code})`));
      child.on('message', onReady);
      child.once('exit', onEarlyExit);
    });

  const train = (child: ChildProcess, task: RunTask, job: Job): Promise<RunRecord> =>
    new Promise((resolveRun, reject) => {
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'epoch' && m.id === task.run.id) {
          const progress: QueueProgress = { epoch: m.epoch, logs: m.logs, seconds: m.seconds };
          job.updateProgress(progress).catch(() => {});
        } else if (m.type === 'done' && m.record.id === task.run.id) {
          cleanup();
          resolveRun(m.record);
        }
      };
      const onExit = (code: number | null, signal: string | null): void => {
        cleanup();
        reject(new Error(`its trainer process died (${signal ?? `exit code ${code}`})`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(task);
    });

  const processRun = async (job: Job): Promise<RunRecord> => {
    let data;
    let parsed: ParsedRun;
    try {
      data = checkJobData(job.data);
      parsed = options.parseRun(data.args);
      if (parsed.spec.seed !== data.run.seed) throw new Error('its seed and its flags disagree.');
    } catch (e) {
      // Retrying cannot fix a job that is wrong in itself.
      throw new UnrecoverableError(`rejected: ${(e as Error).message}`);
    }
    const sweepDir = resolve(store, data.sweep);
    if (!sweepDir.startsWith(store + sep)) throw new UnrecoverableError('rejected: bad folder');
    const found = await stat(join(sweepDir, 'sweep.json')).then(
      () => true,
      () => false,
    );
    if (!found) {
      throw new Error(
        `this worker's --store ${store} holds no sweep ${data.sweep}: ` +
          "give the worker the folder the driver's --store is (a shared filesystem)",
      );
    }
    const runs = join(sweepDir, 'runs');
    const dir = join(runs, data.run.id);
    const attempt = join(runs, `.${data.run.id}.${randomBytes(4).toString('hex')}.partial`);
    const label = settingLabel(data.run.setting, ' ') || data.run.id;
    print(`${data.sweep}: ${label} (${data.run.id}), attempt ${job.attemptsMade + 1}`);
    const task: RunTask = {
      type: 'run',
      run: { ...data.run, flags: {} },
      spec: parsed.spec,
      dir: attempt,
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(parsed.trainSamples !== undefined ? { trainSamples: parsed.trainSamples } : {}),
      ...(parsed.testSamples !== undefined ? { testSamples: parsed.testSamples } : {}),
    };
    const child = idle.pop() ?? (await spawnTrainer());
    busy.add(child);
    task.threads = share(busy.size);
    rebalance();
    let record: RunRecord;
    try {
      record = await train(child, task, job);
    } catch (e) {
      await rm(attempt, { recursive: true, force: true });
      throw e;
    } finally {
      busy.delete(child);
      rebalance();
    }
    if (child.connected) idle.push(child);
    // The run's folder appears whole, or not at all.
    await rm(dir, { recursive: true, force: true });
    await rename(attempt, dir).catch(async (e: Error) => {
      await rm(attempt, { recursive: true, force: true });
      throw e;
    });
    const result =
      record.status === 'ok'
        ? `test acc ${(100 * record.testAccuracy!).toFixed(2)}%, ${record.trainSeconds.toFixed(1)} s`
        : `FAILED: ${record.error ?? ''}`;
    print(`${data.sweep}: ${label}: ${result}`);
    return record;
  };

  // Trainers start (and load the backend) before the first run arrives, not after.
  idle.push(...(await Promise.all(Array.from({ length: options.concurrency }, spawnTrainer))));

  const worker = new Worker(QUEUE_NAME, processRun, {
    connection: options.conn.options,
    concurrency: options.concurrency,
    lockDuration: options.stallSeconds * 1000,
    stalledInterval: options.stallSeconds * 1000,
    // A run whose worker is lost a third time (a machine out of memory, say) fails, not loops.
    maxStalledCount: 2,
    autorun: false,
  });
  let down = false;
  worker.on('error', (e) => {
    if (down) return;
    down = true;
    print(`worker: lost Redis (${e.message}); reconnecting...`);
  });
  const back = (): void => {
    if (down) print('worker: Redis is back.');
    down = false;
  };
  worker.on('active', back);
  worker.on('progress', back);
  worker.on('completed', back);
  worker.on('failed', (job, e) => {
    back();
    if (job) print(`job ${job.id} failed: ${e.message}`);
  });
  void worker.run();
  await worker.waitUntilReady();

  // Trainers leave with the worker (they also watch for a parent killed outright).
  const killAll = (): void => {
    for (const child of live) child.kill();
  };
  process.on('exit', killAll);
  return {
    close: async (force = false) => {
      await worker.close(force);
      for (const child of live) if (child.connected) child.disconnect();
      if (force) killAll();
      process.off('exit', killAll);
    },
  };
}
