/**
 * What a benchmark workload is: one operation (or one training epoch), timed the same way on
 * every engine.
 *
 * A workload says how to set itself up on each kind of engine (our kernel backends, TF.js, and
 * optionally a PyTorch script run out of process) and how to turn a time per call into the
 * reported value. The harness (timing.ts) does warm-up, repetitions and statistics; main.ts
 * owns the engines, the table and the JSON. A new workload is one file under workloads/ plus
 * one line in main.ts's list.
 */
import type { Backend } from '../src/kernels/backend.js';
import type { Ort, Tf } from './engines.js';
import type { TorchResult } from './torch.js';
import type { EpochTiming } from './timing.js';

/** One timed call. Async steps are awaited; sync steps are not (no microtask per call). */
export type Step = () => void | Promise<void>;

/**
 * A model in training on one engine. `epoch` runs one epoch over freshly shuffled samples, calling
 * `onStep` after each optimizer step with that batch's mean loss; returning false stops the epoch
 * there (the harness times whole epochs or a run of steps: see measureEpochs).
 */
export interface EpochRunner {
  samples: number;
  batchSize: number;
  epoch(onStep: (step: number, batchLoss: number) => boolean): Promise<void>;
}

interface PreparedBase {
  /** Run once after timing: a description of a wrong result, or undefined when it looks right. */
  check?: () => string | undefined | Promise<string | undefined>;
  /** Frees what setup allocated (TF.js tensors, large buffers). */
  dispose?: () => void;
}

/** A workload set up on one engine, ready to be called repeatedly. */
export interface PreparedStep extends PreparedBase {
  step: Step;
}

/** A training workload set up on one engine: timed by epochs instead of calls. */
export interface PreparedEpochs extends PreparedBase {
  runner: EpochRunner;
}

/** One whole run (a speedrun), timed by itself: its time and the accuracy it reached. */
export interface RunResult {
  ms: number;
  accuracy: number;
}

/** A workload run once per engine instead of repeated calls (see Workload.once). */
export interface PreparedRun extends PreparedBase {
  run(): Promise<RunResult>;
}

export type Prepared = PreparedStep | PreparedEpochs | PreparedRun;

/** Thrown by a setup hook when the engine cannot run the workload: `skipped`, not `failed`. */
export class SkipError extends Error {
  override readonly name = 'SkipError';
}

/** How the PyTorch side reproduces a workload: a script under bench/ and this workload's spec. */
export interface TorchSpec {
  /** File under bench/, e.g. 'torch_gemm.py'. Workloads sharing a script run in one process. */
  script: string;
  /** JSON handed to the script; it must carry `id` equal to the workload's id. */
  spec: { id: string } & Record<string, unknown>;
  /** Run just before the script: more spec fields, e.g. files it reads that must exist first. */
  prepare?(): Promise<Record<string, unknown>>;
  /** Judges one of the script's rows, as `Prepared.check` does ours: a problem, or undefined. */
  check?(result: TorchResult): string | undefined | Promise<string | undefined>;
}

export interface Workload {
  /** Short name used by --only and in the JSON, e.g. 'gemm-128x784x512' or 'mlp-epoch'. */
  readonly id: string;
  /** One line for the legend under the table. */
  readonly title: string;
  /** Unit of `value`, e.g. 'GFLOP/s' or 's/epoch'. */
  readonly unit: string;
  /** Whether a smaller value is better (a time); only for display, ratios use times either way. */
  readonly lowerIsBetter?: boolean;
  /**
   * Useful floating-point operations per call (the multiply-adds of the GEMMs and convolutions,
   * 2 per multiply-add; elementwise work is not counted): gives each row its useful GFLOP/s and
   * its fraction of the machine's measured peak. The counts are written out in bench/README.md.
   */
  readonly flops?: number;
  /** Reported value for a time per call. Ratios are computed from times, so any unit works. */
  value(msPerCall: number): number;
  /**
   * Set for training workloads: a call is one epoch, setups return a `runner`, and `check`
   * judges every engine's losses (PyTorch's too) so a broken fast path cannot post a time.
   */
  readonly epochs?: {
    check(t: EpochTiming): string | undefined;
    /** The check in words, for the header. */
    rule: string;
  };
  /**
   * Set for workloads too long to repeat (a whole training run to a target accuracy): each
   * engine runs once, setups return a `run`, and `check` judges every engine's accuracy
   * (PyTorch's too).
   */
  readonly once?: {
    check(accuracy: number): string | undefined;
  };
  /** Setup on one of our kernel backends; absent when the workload does not apply. */
  ours?(backend: Backend): Prepared | Promise<Prepared>;
  /** Setup on TF.js; the harness has already switched `tf` to the engine's backend. */
  tfjs?(tf: Tf): Prepared | Promise<Prepared>;
  /** Setup on ONNX Runtime, with this many intra-op threads. */
  onnxruntime?(ort: Ort, threads: number): Prepared | Promise<Prepared>;
  torch?: TorchSpec;
}
