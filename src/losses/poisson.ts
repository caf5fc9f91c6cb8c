import { addScalar, log, mean, mul, sub } from '../ops/index.js';
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

const NAME = 'poisson';

/** Keras 3's `poisson` per sample: mean over the last axis of yPred - yTrue * log(yPred + 1e-7). */
export function poissonPerSample(yTrue: Tensor, yPred: Tensor, options?: object): Tensor {
  readLossOptions(NAME, options, {});
  const [t, p] = alignRanks(asFloat(yTrue, floatTypeOf(yPred, NAME)), yPred);
  checkSameShape(NAME, t, p);
  const elementwise = sub(p, mul(t, log(addScalar(p, EPSILON))));
  return p.rank === 0 ? elementwise : mean(elementwise, -1);
}

/** The Poisson Loss (Keras `Poisson()`). */
export function poissonLoss(options: object = {}): LossWithOptions<object> {
  readLossOptions(NAME, options, {});
  return makeLoss(NAME, poissonPerSample);
}

/** Poisson loss, mean over the batch. */
export const poisson = poissonLoss();
