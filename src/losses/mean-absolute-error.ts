import { abs, mean, sub } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  alignRanks,
  asFloat,
  checkSameShape,
  floatTypeOf,
  makeLoss,
  readLossOptions,
  type LossWithOptions,
} from './loss-utils.js';

const NAME = 'mean_absolute_error';

/** Keras 3's `mean_absolute_error` per sample: mean over the last axis of |yTrue - yPred|. */
export function meanAbsoluteErrorPerSample(yTrue: Tensor, yPred: Tensor, options?: object): Tensor {
  readLossOptions(NAME, options, {});
  const [t, p] = alignRanks(asFloat(yTrue, floatTypeOf(yPred, NAME)), yPred);
  checkSameShape(NAME, t, p);
  const elementwise = abs(sub(p, t));
  return p.rank === 0 ? elementwise : mean(elementwise, -1);
}

/** The mean absolute error Loss (Keras `MeanAbsoluteError()`). */
export function meanAbsoluteErrorLoss(options: object = {}): LossWithOptions<object> {
  readLossOptions(NAME, options, {});
  return makeLoss(NAME, meanAbsoluteErrorPerSample);
}

/** Mean absolute error, mean over the batch. */
export const meanAbsoluteError = meanAbsoluteErrorLoss();
