import type { Tensor } from '../tensor/tensor.js';

/**
 * A loss maps (yTrue, yPred) to a scalar: the mean over the batch of the per-sample loss
 * (Keras's default reduction, "sum_over_batch_size"). Differentiable in yPred.
 */
export interface Loss {
  /** Registry name in Keras spelling, e.g. 'categorical_crossentropy'. */
  readonly name: string;
  (yTrue: Tensor, yPred: Tensor): Tensor;
}
