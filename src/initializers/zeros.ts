import type { Shape } from '../tensor/shape.js';
import { zeros, type Tensor } from '../tensor/tensor.js';
import { Initializer, type FloatDType } from './initializer.js';

/** All zeros (Keras's default bias initializer). */
export class Zeros extends Initializer {
  readonly className: string = 'Zeros';

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    return zeros(shape, dtype);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}
