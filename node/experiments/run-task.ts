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
    const result = await trainRun(task.spec, {
      outDir: task.dir,
      // The sweep starts a run afresh in its folder (one it has not recorded as done).
      overwrite: true,
      verbose: 0,
      print: () => {},
      callbacks: [forwarder],
      data: {
        ...(task.dataDir !== undefined ? { dataDir: task.dataDir } : {}),
        ...(task.verify === false ? { verify: false } : {}),
        ...(task.download === false ? { download: false } : {}),
      },
      ...(task.trainSamples !== undefined ? { trainSamples: task.trainSamples } : {}),
      ...(task.testSamples !== undefined ? { testSamples: task.testSamples } : {}),
    });
    return runRecord(task.run, task.spec, backendName(), result.history, result);
  } catch (e) {
    return runRecord(task.run, task.spec, backendName(), forwarder.history, {
      error: (e as Error).message,
      failure: e instanceof NonFiniteLossError ? 'diverged' : 'error',
      trainSeconds: (performance.now() - t0) / 1000,
    });
  }
}
