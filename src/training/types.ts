import type { Callback, CallbackModel, Logs } from '../callbacks/callback.js';
import type { CallbackHooks } from '../callbacks/lambda-callback.js';
import type { Loss } from '../losses/loss.js';
import type { Metric } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { FitState } from './fit-state.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

/** What the training loop needs from a model (Sequential, functional or subclassed). */
export interface TrainingTarget extends CallbackModel {
  /** The forward pass; `training` switches Dropout / BatchNormalization behaviour. */
  forward(x: Tensor | Tensor[], training: boolean): Tensor;
  /** Variables the optimizer updates. */
  trainableWeights(): Variable[];
  /** Sum of the layers' weight-regularisation penalties, recorded for autograd; null if none. */
  regularizationLoss(): Tensor | null;
}

/** The result of `compile`. */
export interface CompiledModel {
  optimizer: Optimizer;
  loss: Loss;
  /** Makes fresh metric objects (one set for training, one for validation). */
  makeMetrics(): Metric[];
}

export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32 (Keras). */
  batchSize?: number;
  /** Fraction of the samples, taken from the END before shuffling, held out for validation. */
  validationSplit?: number;
  /** [x, y] to evaluate at each epoch end (wins over validationSplit). */
  validationData?: [Tensor | Tensor[], Tensor];
  /** Shuffle the training samples at each epoch (default true), seeded from the global seed. */
  shuffle?: boolean;
  /** Callback objects, or plain objects of hooks like TF.js's `{ onEpochEnd: (epoch, logs) => ... }`. */
  callbacks?: Callback | CallbackHooks | readonly (Callback | CallbackHooks)[];
  /** 0 silent, 1 progress bar (plain lines when not a TTY), 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Epoch to start from (for resuming). */
  initialEpoch?: number;
  /** Run validation every N epochs (default 1). */
  validationFreq?: number;
  /**
   * The loop's position, updated at every batch and epoch end. A state from an earlier fit
   * (restored from a checkpoint with the weights and optimizer state) continues it exactly;
   * its `stopRequested` stops after the current batch. Wins over `initialEpoch`.
   */
  state?: FitState;
  /**
   * How often fit hands the thread back to the event loop (TF.js's option): 'auto' every 125 ms,
   * 'batch', 'epoch', a number of milliseconds, or 'never'. Default 'auto' in browsers and
   * workers, where a page must keep painting; 'never' in Node.
   */
  yieldEvery?: YieldEvery;
}

export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** Keras's History: per-epoch logs. */
export interface HistoryLike {
  epoch: number[];
  history: Record<string, number[]>;
}

export type { Logs };
