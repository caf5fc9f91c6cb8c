import { clip, log, softmaxCrossEntropy, softmaxLogits } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  classIndices,
  EPSILON,
  floatTypeOf,
  makeLoss,
  readLossOptions,
  warnOnce,
  type LossWithOptions,
} from './loss-utils.js';

export interface SparseCategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  from_logits?: boolean;
}

const NAME = 'sparse_categorical_crossentropy';
const DEFAULTS = { fromLogits: false };

/**
 * Keras 3's `sparse_categorical_crossentropy` per sample. yTrue holds class indices, shaped
 * like yPred without its last axis, or with a trailing 1 ([n] or [n, 1] for yPred [n, k]),
 * in any dtype. With logits (fromLogits, or yPred the output of a softmax op) it is the
 * fused softmax cross-entropy; otherwise, as Keras does, the fused op runs on
 * log(clip(yPred, 1e-7, 1 - 1e-7)), which also renormalises yPred.
 */
export function sparseCategoricalCrossentropyPerSample(
  yTrue: Tensor,
  yPred: Tensor,
  options?: SparseCategoricalCrossentropyOptions,
): Tensor {
  const o = readLossOptions(NAME, options, DEFAULTS);
  floatTypeOf(yPred, NAME);
  if (yPred.rank === 0) throw new Error(`${NAME}: y_pred needs a class axis, got a scalar.`);
  const labels = classIndices(NAME, yTrue, yPred);
  const fromSoftmax = softmaxLogits(yPred);
  if (fromSoftmax) {
    if (o.fromLogits) {
      warnOnce(
        `${NAME} received fromLogits: true, but y_pred was produced by a softmax activation and thus ` +
          'does not represent logits. Was this intended?',
      );
    }
    return softmaxCrossEntropy(fromSoftmax, labels);
  }
  const logits = o.fromLogits ? yPred : log(clip(yPred, EPSILON, 1 - EPSILON));
  return softmaxCrossEntropy(logits, labels);
}

/** A configured sparse categorical cross-entropy Loss (Keras `SparseCategoricalCrossentropy(...)`). */
export function sparseCategoricalCrossentropyLoss(
  options: SparseCategoricalCrossentropyOptions = {},
): LossWithOptions<SparseCategoricalCrossentropyOptions> {
  readLossOptions(NAME, options, DEFAULTS);
  return makeLoss(NAME, sparseCategoricalCrossentropyPerSample, options);
}

/** Sparse categorical cross-entropy with the defaults, mean over the batch. */
export const sparseCategoricalCrossentropy = sparseCategoricalCrossentropyLoss();
