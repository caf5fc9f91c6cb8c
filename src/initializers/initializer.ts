import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Float dtypes weights can be created in (float64 is for gradient checks). */
export type FloatDType = 'float32' | 'float64';

/** A serialised object: its registry class name and constructor config (Keras's shape). */
export interface SerializedObject {
  className: string;
  config: Record<string, unknown>;
}

/** Makes the initial value of a weight from its shape (Keras `Initializer.__call__`). */
export abstract class Initializer {
  /** Registry name in Keras's class spelling, e.g. 'GlorotUniform'. */
  abstract readonly className: string;

  abstract apply(shape: Shape, dtype?: FloatDType): Tensor;

  /** Constructor arguments, JSON-safe. */
  abstract getConfig(): Record<string, unknown>;

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}
