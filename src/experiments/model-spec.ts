/**
 * A plain-data description of the notebooks' models and training settings: what `mnist-lab
 * train` flags and sweep grids set, what a run folder records in config.json.
 */
/** The model kinds `--model` builds. */
export const MODEL_KINDS = ['mlp', 'cnn', 'cnn-bn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Whether a kind takes [h, w, 1] images rather than flattened pixels. */
export function isConvolutional(kind: ModelKind): boolean {
  return kind !== 'mlp';
}

export interface ModelSpec {
  /**
   * 'mlp': Dense layers on flattened pixels; 'cnn': the seed notebook's convolutional net;
   * 'cnn-bn': blocks of 3x3 'same' convolutions with BatchNormalization (by default two blocks
   * of two, 32 then 64 filters; see `filters`, `blockConvs`), each block max-pooled, then
   * Dense(hidden) with BatchNormalization and Dropout (no hidden sizes: Dropout, then the
   * softmax layer).
   */
  model: ModelKind;
  /** Hidden Dense sizes, e.g. [512] or [512, 256] (for the CNN: the Dense layer after Flatten). */
  hidden: number[];
  activation: string;
  /** Dropout rate after each hidden layer (0 = none). */
  dropout: number;
  /** BatchNormalization after each hidden Dense (before its activation's dropout). */
  batchnorm: boolean;
  /** cnn-bn: filters of each max-pooled block (default [32, 64]). */
  filters?: number[];
  /** cnn-bn: 3x3 convolutions per block (default 2). */
  blockConvs?: number;
}

/** A learning-rate schedule in epochs; steps per epoch turn it into a Keras schedule at run time. */
export type LrScheduleSpec =
  /** ExponentialDecay: the rate times decayRate every decayEpochs (smoothly, or in steps). */
  | { kind: 'exponential'; decayRate: number; decayEpochs: number; staircase: boolean }
  /** CosineDecay to alpha times the rate by the last epoch, after a linear warm-up from 0. */
  | { kind: 'cosine'; alpha: number; warmupEpochs: number }
  /** PiecewiseConstantDecay: values[i] from epoch boundaries[i - 1] on (values[0] first). */
  | { kind: 'piecewise'; boundaries: number[]; values: number[] };

/** The validation images taken from the training set: its first or last `count`. */
export interface HoldoutSpec {
  where: 'first' | 'last';
  count: number;
}

export interface TrainSpec extends ModelSpec {
  optimizer: string;
  /** undefined: the optimizer's Keras default. */
  lr?: number;
  /** SGD / RMSprop momentum. */
  momentum?: number;
  loss: string;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  /** EarlyStopping(monitor val_loss, patience) when set. */
  earlyStopping?: number;
  /** Validation images held out of the training set (instead of validationSplit). */
  holdout?: HoldoutSpec;
  /** A schedule for the learning rate (`lr`, or the optimizer's default, is its peak). */
  lrSchedule?: LrScheduleSpec;
  /** ReduceLROnPlateau on val_loss (loss without validation) when set. */
  reduceLrOnPlateau?: { patience: number; factor: number; minLr: number };
  /** Label smoothing of the categorical / binary cross-entropy. */
  labelSmoothing?: number;
  /** AdamW's decoupled weight decay. */
  weightDecay?: number;
  seed: number;
  dataset: 'mnist' | 'fashion-mnist';
}

/** The seed notebooks' defaults: seed-001's MLP, and the seed CNN. */
export function defaultSpec(model: ModelKind = 'mlp'): TrainSpec {
  return {
    model,
    hidden: model === 'cnn' ? [64] : model === 'cnn-bn' ? [128] : [512],
    activation: 'relu',
    dropout: 0,
    batchnorm: false,
    optimizer: 'adam',
    loss: 'categorical_crossentropy',
    epochs: 5,
    batchSize: model === 'cnn' ? 64 : 128,
    validationSplit: 0,
    seed: 42,
    dataset: 'mnist',
  };
}
