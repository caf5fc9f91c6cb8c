import type { SerializedObject } from '../initializers/initializer.js';
import type { Tensor } from '../tensor/tensor.js';

/** A weight penalty added to the loss (Keras `Regularizer`): a differentiable scalar. */
export abstract class Regularizer {
  /** Registry name in Keras's class spelling, e.g. 'L2'. */
  abstract readonly className: string;

  /** The penalty for weight `x`, recorded for autograd. */
  abstract apply(x: Tensor): Tensor;

  abstract getConfig(): Record<string, unknown>;

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

export function checkFactor(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative finite number, got ${value}.`);
  }
  return value;
}
