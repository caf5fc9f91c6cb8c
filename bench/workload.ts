/**
 * What a benchmark workload is: one operation, timed the same way on every engine.
 *
 * A workload says how to set itself up on each kind of engine (our kernel backends, TF.js, and
 * optionally a PyTorch script run out of process) and how to turn a time per call into the
 * reported value. The harness (timing.ts) does warm-up, repetitions and statistics; main.ts
 * owns the engines, the table and the JSON. A new workload is one file under workloads/ plus
 * one line in main.ts's list.
 */
import type { Backend } from '../src/kernels/backend.js';
import type { Tf } from './engines.js';

/** One timed call. Async steps are awaited; sync steps are not (no microtask per call). */
export type Step = () => void | Promise<void>;

/** A workload set up on one engine, ready to be called repeatedly. */
export interface Prepared {
  step: Step;
  /** Run once after timing: a description of a wrong result, or undefined when it looks right. */
  check?: () => string | undefined | Promise<string | undefined>;
  /** Frees what setup allocated (TF.js tensors, large buffers). */
  dispose?: () => void;
}

/** How the PyTorch side reproduces a workload: a script under bench/ and this workload's spec. */
export interface TorchSpec {
  /** File name under bench/, e.g. 'torch_gemm.py'. Workloads sharing a script run in one process. */
  script: string;
  /** JSON handed to the script; it must carry `id` equal to the workload's id. */
  spec: { id: string } & Record<string, unknown>;
}

export interface Workload {
  /** Short name used by --only and in the JSON, e.g. 'gemm-128x784x512'. */
  readonly id: string;
  /** One line for the legend under the table. */
  readonly title: string;
  /** Unit of `value`, e.g. 'GFLOP/s'. */
  readonly unit: string;
  /** Reported value for a time per call. Ratios are computed from times, so any unit works. */
  value(msPerCall: number): number;
  /** Setup on one of our kernel backends; absent when the workload does not apply. */
  ours?(backend: Backend): Prepared | Promise<Prepared>;
  /** Setup on TF.js; the harness has already switched `tf` to the engine's backend. */
  tfjs?(tf: Tf): Prepared | Promise<Prepared>;
  torch?: TorchSpec;
}
