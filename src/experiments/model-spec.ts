/**
 * A plain-data description of the notebooks' models and training settings: what `mnist-lab
 * train` flags and sweep grids set, what a run folder records in config.json.
 */
import type { FlipMode } from '../layers/random-flip.js';
import type { FillMode } from '../ops/image.js';

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
  /** Training-time augmentation layers at the model's input (none when absent). */
  augment?: AugmentSpec;
  /** cnn-bn: filters of each max-pooled block (default [32, 64]). */
  filters?: number[];
  /** cnn-bn: 3x3 convolutions per block (default 2). */
  blockConvs?: number;
}

/**
 * Keras augmentation layers at the model's input, active in training only: RandomRotation,
 * RandomZoom, RandomTranslation, RandomFlip, RandomContrast, in that order; 0 (or 'none')
 * leaves a transform out.
 */
export interface AugmentSpec {
  /** RandomTranslation factor: shift by up to this fraction of the height and of the width. */
  translate: number;
  /** RandomRotation: turn by up to this many degrees either way (Keras factor = degrees / 360). */
  rotate: number;
  /** RandomZoom factor: zoom in or out by up to this fraction. */
  zoom: number;
  /** RandomFlip mode, or 'none' (a mirrored digit is no digit). */
  flip: FlipMode | 'none';
  /** RandomContrast factor (pixels stay in [0, 1]). */
  contrast: number;
  /** The warps' fill_mode. */
  fill: FillMode;
}

/**
 * `--augment`: shifts, small turns and zooms that keep a digit a digit (the usual MNIST recipe
 * of 0.1 / 10 degrees / 0.1), no flips. Fill 'constant' (0): both datasets have black
 * backgrounds, where Keras's default 'reflect' would mirror strokes into a shifted border.
 */
export const MNIST_AUGMENT: AugmentSpec = {
  translate: 0.1,
  rotate: 10,
  zoom: 0.1,
  flip: 'none',
  contrast: 0,
  fill: 'constant',
};

/** No transform at all (the base the per-transform flags fill in without --augment). */
export const NO_AUGMENT: AugmentSpec = {
  translate: 0,
  rotate: 0,
  zoom: 0,
  flip: 'none',
  contrast: 0,
  fill: 'constant',
};

/** Whether a spec augments at all. */
export function augments(a: AugmentSpec | undefined): a is AugmentSpec {
  return (
    !!a && (a.translate > 0 || a.rotate > 0 || a.zoom > 0 || a.flip !== 'none' || a.contrast > 0)
  );
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
