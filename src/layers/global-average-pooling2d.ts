import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';

export type GlobalAveragePooling2DArgs = GlobalPooling2DArgs;

/** Mean over height and width: [batch, h, w, c] -> [batch, c]. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override readonly className: string = 'GlobalAveragePooling2D';

  protected pool(x: Tensor): Tensor {
    return ops.mean(x, [1, 2], this.keepdims);
  }
}
