import * as ops from '../ops/index.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { LayerConfig } from './layer.js';
import {
  factorConfig,
  RandomImageLayer,
  type Factor,
  type RandomImageLayerArgs,
} from './random-image-layer.js';

export interface RandomContrastArgs extends RandomImageLayerArgs {
  /** f in [0, 1] draws the contrast factor from [1 - f, 1 + f]; [lower, upper] from [1 - lower, 1 + upper]. */
  factor: Factor;
  /** Outputs are clipped to this range. Default [0, 255] (Keras); [0, 1] for scaled pixels. */
  valueRange?: readonly [number, number];
}

/**
 * Keras's RandomContrast: in training scales each image's deviation from its per-channel mean
 * by its own random factor, (x - mean) * f + mean, then clips to valueRange.
 */
export class RandomContrast extends RandomImageLayer {
  static override readonly className: string = 'RandomContrast';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly range: [number, number];

  constructor(args: RandomContrastArgs) {
    const { factor, valueRange, ...rest } = args;
    super(rest);
    // Keras: one number is both bounds; a pair is (lower, upper), each in [0, 1], unordered.
    const [lower, upper] = typeof factor === 'number' ? [factor, factor] : [factor[0], factor[1]];
    if (!(lower >= 0 && lower <= 1 && upper >= 0 && upper <= 1)) {
      throw new Error(
        `RandomContrast: factor must be a number or a [lower, upper] pair in [0, 1]; got ${JSON.stringify(factor)}.`,
      );
    }
    this.range = [1 - lower, 1 + upper];
    this.factor = factor;
    this.valueRange = valueRange ? [valueRange[0], valueRange[1]] : [0, 255];
    if (!(this.valueRange[0] < this.valueRange[1])) {
      throw new Error(`RandomContrast: valueRange must be [low, high] with low < high.`);
    }
  }

  protected augment(x: Tensor): Tensor {
    const n = x.shape[0]!;
    const f = allocate(x.dtype === 'float64' ? 'float64' : 'float32', n);
    for (let b = 0; b < n; b++) f[b] = this.stream.uniform(this.range[0], this.range[1]);
    const mean = ops.mean(x, [1, 2], true);
    const y = ops.add(ops.mul(ops.sub(x, mean), new Tensor(f, [n, 1, 1, 1])), mean);
    return ops.clip(y, this.valueRange[0], this.valueRange[1]);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      factor: factorConfig(this.factor),
      valueRange: [...this.valueRange],
    };
  }
}
