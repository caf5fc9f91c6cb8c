import { allocate } from '../tensor/dtype.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { FloatDType } from './initializer.js';
import { RandomInitializer } from './random-initializer.js';

/** Normal values (Keras defaults: mean 0, stddev 0.05). */
export class RandomNormal extends RandomInitializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed ?? undefined);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    const r = this.random();
    const data = allocate(dtype, sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = r.normal(this.mean, this.stddev);
    return new Tensor(data, shape);
  }

  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, ...this.seedConfig() };
  }
}
