import { add, clip, log, mean, mul, neg, softplus, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  alignRanks,
  asFloat,
  checkSameShape,
  EPSILON,
  floatTypeOf,
  makeLoss,
  readLossOptions,
  type LossWithOptions,
} from './loss-utils.js';

export interface BinaryCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** In [0, 1]: targets become y * (1 - s) + 0.5 * s (default 0). */
  labelSmoothing?: number;
  /** The axis the elementwise losses are averaged over (default -1). */
  axis?: number;
  from_logits?: boolean;
  label_smoothing?: number;
}

const NAME = 'binary_crossentropy';
const DEFAULTS = { fromLogits: false, labelSmoothing: 0, axis: -1 };

/**
 * Keras 3's `binary_crossentropy` per sample: the mean over `axis` of the elementwise loss.
 * Probabilities are clipped to [1e-7, 1 - 1e-7] and the loss is -(y log p + (1 - y) log(1 - p));
 * from logits x it is TensorFlow's stable max(x, 0) - x y + log(1 + exp(-|x|)), written as
 * softplus(x) - x y (same value, exact gradient sigmoid(x) - y everywhere).
 *
 * yPred.logits is not used: it holds a softmax layer's logits, which are not sigmoid logits.
 */
export function binaryCrossentropyPerSample(
  yTrue: Tensor,
  yPred: Tensor,
  options?: BinaryCrossentropyOptions,
): Tensor {
  const o = readLossOptions(NAME, options, DEFAULTS);
  if (!(o.labelSmoothing >= 0 && o.labelSmoothing <= 1)) {
    throw new RangeError(`${NAME}: labelSmoothing must be in [0, 1], got ${o.labelSmoothing}.`);
  }
  const dtype = floatTypeOf(yPred, NAME);
  let [t, p] = alignRanks(asFloat(yTrue, dtype), yPred);
  checkSameShape(NAME, t, p);
  if (o.labelSmoothing > 0) t = add(mul(t, 1 - o.labelSmoothing), 0.5 * o.labelSmoothing);
  let elementwise: Tensor;
  if (o.fromLogits) {
    elementwise = sub(softplus(p), mul(p, t));
  } else {
    p = clip(p, EPSILON, 1 - EPSILON);
    elementwise = neg(add(mul(t, log(p)), mul(sub(1, t), log(sub(1, p)))));
  }
  return p.rank === 0 ? elementwise : mean(elementwise, o.axis);
}

/** A configured binary cross-entropy Loss (Keras `BinaryCrossentropy(...)`). */
export function binaryCrossentropyLoss(
  options: BinaryCrossentropyOptions = {},
): LossWithOptions<BinaryCrossentropyOptions> {
  readLossOptions(NAME, options, DEFAULTS);
  return makeLoss(NAME, binaryCrossentropyPerSample, options);
}

/** Binary cross-entropy with the defaults, mean over the batch. */
export const binaryCrossentropy = binaryCrossentropyLoss();
