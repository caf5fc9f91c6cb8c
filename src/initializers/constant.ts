import type { Shape } from '../tensor/shape.js';
import { full, type Tensor } from '../tensor/tensor.js';
import { Initializer, type FloatDType } from './initializer.js';

/** Every value `value` (Keras default 0). */
export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;

  constructor(args: { value?: number } = {}) {
    super();
    this.value = args.value ?? 0;
  }

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    return full(shape, this.value, dtype);
  }

  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}
