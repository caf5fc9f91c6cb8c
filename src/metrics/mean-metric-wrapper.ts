import { noGrad } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Mean } from './mean.js';

/** A function giving one value per sample, e.g. 1 / 0 for a correct / wrong prediction. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras's `MeanMetricWrapper`: the running mean of a per-sample function over all samples. */
export class MeanMetricWrapper extends Mean {
  override readonly direction: 'up' | 'down' | undefined;

  constructor(
    readonly fn: MetricFn,
    name: string,
    direction?: 'up' | 'down',
  ) {
    super(name);
    this.direction = direction;
  }

  override updateState(yTrue: Tensor, yPred: Tensor): void {
    this.update(noGrad(() => this.fn(yTrue, yPred)));
  }
}
