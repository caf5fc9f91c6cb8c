import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { GlobalPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';

export type GlobalMaxPooling2DArgs = GlobalPooling2DArgs;

/** Maximum over height and width: [batch, h, w, c] -> [batch, c] (Keras GlobalMaxPooling2D). */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override readonly className: string = 'GlobalMaxPooling2D';

  protected pool(x: Tensor): Tensor {
    return ops.max(x, [1, 2], this.keepdims);
  }
}
