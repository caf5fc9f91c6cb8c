import type { TypedArray } from './dtype.js';
import { formatShape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

let counter = 0;

/**
 * A mutable tensor that holds state: layer weights (trainable) or statistics such as
 * BatchNormalization's moving averages (not trainable). Gradients accumulate in `grad`.
 */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  constructor(value: Tensor, options: { name?: string; trainable?: boolean } = {}) {
    super(value.values.slice(), value.shape);
    this.name = options.name ?? `variable_${++counter}`;
    this.trainable = options.trainable ?? true;
    this.requiresGrad = this.trainable;
  }

  /** Replaces the values in place (same shape). */
  assign(value: Tensor | TypedArray): void {
    if (value instanceof Tensor) {
      if (!shapesEqual(value.shape, this.shape)) {
        throw new Error(
          `Cannot assign a value of shape ${formatShape(value.shape)} to variable '${this.name}' of shape ${formatShape(this.shape)}.`,
        );
      }
      this.values.set(value.values);
    } else {
      if (value.length !== this.size) {
        throw new Error(
          `Cannot assign ${value.length} values to variable '${this.name}' of ${this.size} values.`,
        );
      }
      this.values.set(value);
    }
  }
}
