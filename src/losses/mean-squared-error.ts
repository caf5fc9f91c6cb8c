import { mean, squaredDifference } from '../ops/index.js';
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

const NAME = 'mean_squared_error';

/** Keras 3's `mean_squared_error` per sample: mean over the last axis of (yTrue - yPred)^2. */
export function meanSquaredErrorPerSample(yTrue: Tensor, yPred: Tensor, options?: object): Tensor {
  readLossOptions(NAME, options, {});
  const [t, p] = alignRanks(asFloat(yTrue, floatTypeOf(yPred, NAME)), yPred);
  checkSameShape(NAME, t, p);
  const elementwise = squaredDifference(p, t);
  return p.rank === 0 ? elementwise : mean(elementwise, -1);
}

/** The mean squared error Loss (Keras `MeanSquaredError()`). */
export function meanSquaredErrorLoss(options: object = {}): LossWithOptions<object> {
  readLossOptions(NAME, options, {});
  return makeLoss(NAME, meanSquaredErrorPerSample);
}

/** Mean squared error, mean over the batch. */
export const meanSquaredError = meanSquaredErrorLoss();
