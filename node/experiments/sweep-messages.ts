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
  verify?: boolean;
  download?: boolean;
  trainSamples?: number;
  testSamples?: number;
  /** Continue the run in `dir` from its checkpoint (else it starts afresh there). */
  resume?: boolean;
  /** Native threads for this run (the sweep shares the cores among the runs in flight). */
  threads?: number;
}

/** Sweep -> worker: change the thread count mid-run (a neighbour finished, its cores are free). */
export interface ThreadsMessage {
  type: 'threads';
  threads: number;
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
