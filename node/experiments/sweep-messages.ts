import type { RunRecord } from '../../src/experiments/run-record.js';
import type { TrainSpec } from '../../src/experiments/model-spec.js';
import type { PlannedRun } from '../../src/experiments/sweep-plan.js';

/** What the sweep asks a worker process to do: one run, into its own folder. */
export interface RunTask {
  type: 'run';
  run: PlannedRun;
  spec: TrainSpec;
  dir: string;
  backend?: string;
  dataDir?: string;
  trainSamples?: number;
  testSamples?: number;
}

/** Worker -> sweep. */
export type WorkerMessage =
  | { type: 'ready' }
  | {
      type: 'epoch';
      id: string;
      epoch: number;
      logs: Record<string, number>;
      seconds: number;
    }
  | { type: 'done'; record: RunRecord };
