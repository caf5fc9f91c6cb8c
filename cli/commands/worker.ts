import { Command } from 'commander';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { setBackend } from '../../src/kernels/registry.js';
import {
  checkQueueLibraries,
  checkRedis,
  parseQueueUrl,
  QUEUE_NAME,
} from '../../node/experiments/queue-connection.js';
import { BACKEND_NAMES } from '../../node/backend-names.js';
import { asUsage, oneOf, positiveInt } from '../parse.js';
import { parseTrainArgs } from '../train-args.js';

interface WorkerFlags {
  queue: string;
  store: string;
  concurrency: number;
  threads?: number;
  stallTimeout: number;
  backend?: string;
  dataDir?: string;
}

/** A folder this process can write to (checked by writing), or one clear line why not. */
async function checkStore(dir: string): Promise<void> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new Error(`--store ${dir} is not a folder; mount the sweep's shared folder.`);
  try {
    await rm(await mkdtemp(resolve(dir, '.mnist-lab-worker-')), { recursive: true });
  } catch (e) {
    throw new Error(`--store ${dir} is not writable here (${(e as Error).message}).`);
  }
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Train runs of queued sweeps (`sweep --queue`): start one on each machine, as many as you like',
    )
    .requiredOption(
      '--queue <url>',
      'the Redis the sweep queues on: redis://[:PASSWORD@]HOST[:PORT][/DB], or rediss:// (TLS)',
    )
    .requiredOption(
      '--store <dir>',
      "the shared folder the sweep driver's --store names, as mounted on this machine",
    )
    .option('--concurrency <n>', 'runs trained side by side', positiveInt('--concurrency'), 1)
    .option(
      '--threads <n>',
      'native threads per run (default: the cores shared among the runs in training)',
      positiveInt('--threads'),
    )
    .option(
      '--stall-timeout <s>',
      'seconds a lost worker keeps its run before another worker takes it over',
      positiveInt('--stall-timeout'),
      30,
    )
    .option(
      '--backend <name>',
      `${BACKEND_NAMES.join(', ')} (default: native when built)`,
      oneOf('--backend', BACKEND_NAMES),
    )
    .option('--data-dir <dir>', "this machine's folder of IDX files")
    .action(async (flags: WorkerFlags) => {
      const print = (l: string): void => console.log(l);
      if (flags.backend !== undefined) setBackend(flags.backend);
      checkQueueLibraries('worker');
      const conn = asUsage(() => parseQueueUrl(flags.queue));
      const store = resolve(flags.store);
      await checkStore(store);
      const [{ startQueueWorker }] = await Promise.all([
        import('../../node/experiments/queue-worker.js'),
        checkRedis(conn),
      ]);
      const worker = await startQueueWorker({
        conn,
        store,
        concurrency: flags.concurrency,
        ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
        stallSeconds: flags.stallTimeout,
        parseRun: parseTrainArgs,
        ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
        ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
        print,
      });
      const threads =
        flags.threads !== undefined
          ? `${flags.threads} thread${flags.threads > 1 ? 's' : ''}`
          : `the ${availableParallelism()} cores shared`;
      const runs = `${flags.concurrency} run${flags.concurrency > 1 ? 's' : ''} at a time`;
      print(
        `Worker on queue '${QUEUE_NAME}' at ${conn.display}: ${runs}, ${threads}, store ${store}. Ctrl-C stops after the runs in training.`,
      );
      // First signal: finish the runs in training, take no more. Second: leave now; the runs go
      // back to the queue once their locks run out.
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) {
          print(`worker: ${signal} again: leaving now; its runs go back to the queue.`);
          void worker.close(true).finally(() => process.exit(130));
          return;
        }
        stopping = true;
        print(`worker: ${signal}: finishing the runs in training, then leaving.`);
        void worker.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise<never>(() => {});
    });
}
