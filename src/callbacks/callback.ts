/** Per-epoch or per-batch values, e.g. { loss: 0.31, accuracy: 0.91, val_loss: 0.2 }. */
export type Logs = Record<string, number>;

/** What a callback may see and steer of the model being trained. */
export interface CallbackModel {
  /** Set to true to end fit() after the current epoch (or batch). */
  stopTraining: boolean;
  /** Current weights, copied, in a fixed order (for restore_best_weights, checkpoints). */
  getWeights(): Float32Array[];
  setWeights(weights: readonly Float32Array[]): void;
  /**
   * The compiled optimizer (Keras `model.optimizer`): LearningRateScheduler and
   * ReduceLROnPlateau read and set its learning rate.
   */
  readonly optimizer?: { learningRate: number };
  /** Writes the model (topology + weights) to a folder. Node only; may throw in a browser. */
  save?(dir: string): Promise<void>;
  /**
   * The compiled metrics (Keras `model.metrics`), if the model exposes them: EarlyStopping and
   * ModelCheckpoint in mode 'auto' read a metric's direction from here.
   */
  readonly metrics?: readonly {
    readonly name: string;
    readonly direction?: 'up' | 'down' | undefined;
  }[];
}

/** Fit parameters passed to callbacks (Keras `self.params`). */
export interface CallbackParams {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  verbose: 0 | 1 | 2;
  /** Names of the values in the epoch logs, e.g. ['loss', 'accuracy', 'val_loss', 'val_accuracy']. */
  metrics: string[];
}

/**
 * Base callback: every hook is a no-op the fit loop calls (Keras 3 / TF.js names). Hooks may be
 * async; fit awaits them.
 */
export class Callback {
  model!: CallbackModel;
  params!: CallbackParams;

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}
