import {
  add,
  clip,
  div,
  log,
  mul,
  neg,
  softmaxCrossEntropy,
  softmaxLogits,
  sum,
} from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  alignRanks,
  asFloat,
  checkSameShape,
  EPSILON,
  floatTypeOf,
  makeLoss,
  moveAxisLast,
  readLossOptions,
  warnOnce,
  type LossWithOptions,
} from './loss-utils.js';

export interface CategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** In [0, 1]: targets become y * (1 - s) + s / numClasses (default 0). */
  labelSmoothing?: number;
  /** The class axis (default -1). */
  axis?: number;
  from_logits?: boolean;
  label_smoothing?: number;
}

const NAME = 'categorical_crossentropy';
const DEFAULTS = { fromLogits: false, labelSmoothing: 0, axis: -1 };

/**
 * Keras 3's `categorical_crossentropy` per sample: the class axis is reduced away. With logits
 * (fromLogits, or yPred the output of a softmax op, as Keras's TensorFlow backend finds them)
 * it is the fused, exact softmax cross-entropy; otherwise yPred is renormalised to sum to 1,
 * clipped to [1e-7, 1 - 1e-7] and -sum(yTrue * log(yPred)) is taken.
 */
export function categoricalCrossentropyPerSample(
  yTrue: Tensor,
  yPred: Tensor,
  options?: CategoricalCrossentropyOptions,
): Tensor {
  const o = readLossOptions(NAME, options, DEFAULTS);
  if (!(o.labelSmoothing >= 0 && o.labelSmoothing <= 1)) {
    throw new RangeError(`${NAME}: labelSmoothing must be in [0, 1], got ${o.labelSmoothing}.`);
  }
  const dtype = floatTypeOf(yPred, NAME);
  const fromSoftmax = softmaxLogits(yPred);
  let [t, p] = alignRanks(asFloat(yTrue, dtype), yPred);
  checkSameShape(NAME, t, p);
  if (p.rank === 0) throw new Error(`${NAME}: y_pred needs a class axis, got a scalar.`);
  const classes = p.shape.at(o.axis) ?? 0;
  if (classes === 1) {
    warnOnce(
      `${NAME}: expected y_pred of shape (batch_size, num_classes) with num_classes > 1, got ${p.shape.join('x')}. ` +
        "Consider 'binary_crossentropy' if you only have 2 classes.",
    );
  }
  if (o.labelSmoothing > 0) {
    t = add(mul(t, 1 - o.labelSmoothing), o.labelSmoothing / classes);
  }
  let logits: Tensor | null = o.fromLogits ? p : null;
  // (A prediction reshaped to line up with yTrue has one class: nothing to fuse.)
  if (fromSoftmax && p === yPred) {
    if (o.fromLogits) {
      warnOnce(
        `${NAME} received fromLogits: true, but y_pred was produced by a softmax activation and thus ` +
          'does not represent logits. Was this intended?',
      );
    }
    logits = fromSoftmax;
  }
  if (logits) {
    return softmaxCrossEntropy(moveAxisLast(logits, o.axis), moveAxisLast(t, o.axis));
  }
  p = div(p, sum(p, o.axis, true));
  p = clip(p, EPSILON, 1 - EPSILON);
  return neg(sum(mul(t, log(p)), o.axis));
}

/** A configured categorical cross-entropy Loss (Keras `CategoricalCrossentropy(...)`). */
export function categoricalCrossentropyLoss(
  options: CategoricalCrossentropyOptions = {},
): LossWithOptions<CategoricalCrossentropyOptions> {
  readLossOptions(NAME, options, DEFAULTS);
  return makeLoss(NAME, categoricalCrossentropyPerSample, options);
}

/**
 * Categorical cross-entropy, mean over the batch; a Loss with the defaults that also takes
 * options as a third argument: `categoricalCrossentropy(yTrue, yPred, { fromLogits: true })`.
 */
export const categoricalCrossentropy = categoricalCrossentropyLoss();
