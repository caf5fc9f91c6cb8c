import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Regularizer, checkFactor } from './regularizer.js';

/** l2 * sum(x^2) (Keras default l2 = 0.01; no 1/2 factor). */
export class L2 extends Regularizer {
  readonly className: string = 'L2';
  readonly l2: number;

  constructor(args: { l2?: number } = {}) {
    super();
    this.l2 = checkFactor(args.l2 ?? 0.01, 'l2');
  }

  apply(x: Tensor): Tensor {
    return ops.mul(ops.sum(ops.square(x)), this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}
