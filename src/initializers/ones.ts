import type { Shape } from '../tensor/shape.js';
import { ones, type Tensor } from '../tensor/tensor.js';
import { Initializer, type FloatDType } from './initializer.js';

/** All ones. */
export class Ones extends Initializer {
  readonly className: string = 'Ones';

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    return ones(shape, dtype);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}
