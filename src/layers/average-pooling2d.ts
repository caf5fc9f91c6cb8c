import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { singleInput, type CallArgs } from './layer.js';
import { Pooling2D } from './pooling2d.js';

/** Mean over each poolSize window; 'same' padding averages the in-bounds values only. */
export class AveragePooling2D extends Pooling2D {
  static override readonly className: string = 'AveragePooling2D';

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.avgPool2d(singleInput(inputs, this), {
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
    });
  }
}
