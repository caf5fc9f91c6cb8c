import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { runRecord, type RunRecord } from '../../src/experiments/run-record.js';
import { backendName, setBackend } from '../../src/kernels/registry.js';
import { NonFiniteLossError } from '../../src/training/non-finite-loss-error.js';
import type { RunTask } from './sweep-messages.js';
import { trainRun } from './train-run.js';

/** Forwards each epoch's logs and keeps the history, so a failed run still reports its epochs. */
class EpochForwarder extends Callback {
  readonly history: Record<string, number[]> = {};
  private start = 0;
  constructor(private readonly send: (epoch: number, logs: Logs, seconds: number) => void) {
    super();
  }
  override onEpochBegin(): void {
    this.start = performance.now();
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
    this.send(epoch, logs, (performance.now() - this.start) / 1000);
  }
}

/**
 * Trains one sweep run into task.dir and describes the outcome. A run that fails (a NaN loss, say)
 * is a result too: it comes back with status 'failed' and the epochs it finished.
 */
export async function runTask(
  task: RunTask,
  onEpoch: (epoch: number, logs: Logs, seconds: number) => void = () => {},
): Promise<RunRecord> {
  if (task.backend !== undefined) setBackend(task.backend);
  const forwarder = new EpochForwarder(onEpoch);
  const t0 = performance.now();
  try {
    const options = {
      outDir: task.dir,
      verbose: 0 as const,
      print: () => {},
      callbacks: [forwarder],
      data: {
        ...(task.dataDir !== undefined ? { dataDir: task.dataDir } : {}),
        ...(task.verify === false ? { verify: false } : {}),
        ...(task.download === false ? { download: false } : {}),
      },
      ...(task.trainSamples !== undefined ? { trainSamples: task.trainSamples } : {}),
      ...(task.testSamples !== undefined ? { testSamples: task.testSamples } : {}),
    };
    // A run the sweep has no result for starts afresh in its folder, or continues from its
    // checkpoint; one that cannot be continued (a damaged checkpoint, other settings) is
    // started afresh instead. A run that diverges does so again either way.
    const result = task.resume
      ? await trainRun(task.spec, { ...options, resume: true }).catch((e: unknown) => {
          if (e instanceof NonFiniteLossError) throw e;
          return trainRun(task.spec, { ...options, overwrite: true });
        })
      : await trainRun(task.spec, { ...options, overwrite: true });
    return runRecord(task.run, task.spec, backendName(), result.history, result);
  } catch (e) {
    return runRecord(task.run, task.spec, backendName(), forwarder.history, {
      error: (e as Error).message,
      failure: e instanceof NonFiniteLossError ? 'diverged' : 'error',
      trainSeconds: (performance.now() - t0) / 1000,
    });
  }
}
