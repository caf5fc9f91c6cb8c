import * as ops from '../ops/index.js';
import { scalar, type Tensor } from '../tensor/tensor.js';
import { Regularizer, checkFactor } from './regularizer.js';

/**
 * l1 * sum(|x|) + l2 * sum(x^2). The class defaults are 0 and 0 as in Keras 3's `L1L2`; the
 * 'l1_l2' name and the `regularizers.l1l2()` factory use 0.01 and 0.01 (Keras's string default).
 */
export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor(args.l1 ?? 0, 'l1');
    this.l2 = checkFactor(args.l2 ?? 0, 'l2');
  }

  apply(x: Tensor): Tensor {
    let penalty: Tensor | null = null;
    if (this.l1) penalty = ops.mul(ops.sum(ops.abs(x)), this.l1);
    if (this.l2) {
      const p2 = ops.mul(ops.sum(ops.square(x)), this.l2);
      penalty = penalty ? ops.add(penalty, p2) : p2;
    }
    return penalty ?? scalar(0, x.dtype === 'float64' ? 'float64' : 'float32');
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}
