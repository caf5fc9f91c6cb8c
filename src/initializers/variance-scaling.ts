import { allocate } from '../tensor/dtype.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { computeFans } from './compute-fans.js';
import type { FloatDType } from './initializer.js';
import { RandomInitializer, truncatedStandardNormal } from './random-initializer.js';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type VarianceDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  /** Default 1. */
  scale?: number;
  /** Default 'fan_in'. */
  mode?: FanMode;
  /** Default 'truncated_normal'. */
  distribution?: VarianceDistribution;
  seed?: number | null;
}

/**
 * Keras 3's VarianceScaling: variance scale / n, n the fan-in, fan-out or their average.
 * 'truncated_normal' draws from a normal truncated at two standard deviations whose stddev is
 * sqrt(scale / n) / 0.87962566103423978 (the stddev of a standard normal truncated to [-2, 2]),
 * so the values end with stddev sqrt(scale / n); 'uniform' uses limit sqrt(3 * scale / n).
 */
export class VarianceScaling extends RandomInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceDistribution;

  constructor(args: VarianceScalingArgs = {}) {
    super(args.seed ?? undefined);
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    this.distribution = args.distribution ?? 'truncated_normal';
    if (!(this.scale > 0)) throw new RangeError(`scale must be positive, got ${this.scale}.`);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(this.mode)) {
      throw new Error(`Unknown mode '${this.mode}': use 'fan_in', 'fan_out' or 'fan_avg'.`);
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(this.distribution)) {
      throw new Error(
        `Unknown distribution '${this.distribution}': use 'truncated_normal', 'untruncated_normal' or 'uniform'.`,
      );
    }
  }

  apply(shape: Shape, dtype: FloatDType = 'float32'): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const r = this.random();
    const data = allocate(dtype, sizeOf(shape));
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      for (let i = 0; i < data.length; i++) data[i] = r.uniform(-limit, limit);
    } else if (this.distribution === 'truncated_normal') {
      const stddev = Math.sqrt(scale) / 0.87962566103423978;
      for (let i = 0; i < data.length; i++) data[i] = stddev * truncatedStandardNormal(r);
    } else {
      const stddev = Math.sqrt(scale);
      for (let i = 0; i < data.length; i++) data[i] = stddev * r.normal();
    }
    return new Tensor(data, shape);
  }

  getConfig(): Record<string, unknown> {
    return {
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      ...this.seedConfig(),
    };
  }
}
