import { allocate } from '../tensor/dtype.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { FloatDType } from './initializer.js';
import { RandomInitializer } from './random-initializer.js';

/** Uniform values in [minval, maxval) (Keras defaults: -0.05, 0.05). */
export class RandomUniform extends RandomInitializer {
  readonly className: string = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args.seed ?? undefined);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    if (!(this.maxval >= this.minval)) {
      throw new RangeError(`maxval (${this.maxval}) must be >= minval (${this.minval}).`);
    }
  }

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    const r = this.random();
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = r.uniform(this.minval, this.maxval);
    return new Tensor(data, shape);
  }

  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, ...this.seedConfig() };
  }
}
