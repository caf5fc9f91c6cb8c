import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Regularizer, checkFactor } from './regularizer.js';

/** l1 * sum(|x|) (Keras default l1 = 0.01). */
export class L1 extends Regularizer {
  readonly className: string = 'L1';
  readonly l1: number;

  constructor(args: { l1?: number } = {}) {
    super();
    this.l1 = checkFactor(args.l1 ?? 0.01, 'l1');
  }

  apply(x: Tensor): Tensor {
    return ops.mul(ops.sum(ops.abs(x)), this.l1);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}
