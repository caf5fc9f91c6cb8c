import type { LayerConfig } from './layer.js';
import {
  factorConfig,
  factorRange,
  RandomWarpLayer,
  type Factor,
  type RandomImageLayerArgs,
  type WarpArgs,
} from './random-image-layer.js';

export interface RandomTranslationArgs extends RandomImageLayerArgs, WarpArgs {
  /** Vertical shift as a fraction of the height: f is [-f, f], or [lower, upper]; |values| <= 1. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, likewise. */
  widthFactor: Factor;
}

/**
 * Keras's RandomTranslation: in training shifts each image by its own random offset,
 * dy = U(lower, upper) * height and dx likewise (fractional: 'bilinear' blends neighbours);
 * uncovered pixels are filled by fillMode ('reflect' by default).
 */
export class RandomTranslation extends RandomWarpLayer {
  static override readonly className: string = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly height: [number, number];
  private readonly width: [number, number];

  constructor(args: RandomTranslationArgs) {
    const { heightFactor, widthFactor, ...rest } = args;
    super(rest);
    const range = { min: -1, max: 1 };
    this.height = factorRange(this.className, 'heightFactor', heightFactor, range);
    this.width = factorRange(this.className, 'widthFactor', widthFactor, range);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
  }

  protected transform(height: number, width: number): number[] {
    // Keras draws the height shift first, then the width shift.
    const dy = this.stream.uniform(this.height[0], this.height[1]) * height;
    const dx = this.stream.uniform(this.width[0], this.width[1]) * width;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      heightFactor: factorConfig(this.heightFactor),
      widthFactor: factorConfig(this.widthFactor),
    };
  }
}
