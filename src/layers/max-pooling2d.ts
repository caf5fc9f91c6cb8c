import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { singleInput, type CallArgs } from './layer.js';
import { Pooling2D } from './pooling2d.js';

/** Max over each poolSize window (channels-last). */
export class MaxPooling2D extends Pooling2D {
  static override readonly className: string = 'MaxPooling2D';

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.maxPool2d(singleInput(inputs, this), {
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
    });
  }
}
