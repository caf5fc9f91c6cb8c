import type { LayerConfig } from './layer.js';
import {
  factorConfig,
  factorRange,
  RandomWarpLayer,
  type Factor,
  type RandomImageLayerArgs,
  type WarpArgs,
} from './random-image-layer.js';

export interface RandomZoomArgs extends RandomImageLayerArgs, WarpArgs {
  /**
   * Vertical zoom as a fraction: f is [-f, f], or [lower, upper] (>= -1). Positive values zoom
   * out (the image shrinks), negative values zoom in.
   */
  heightFactor: Factor;
  /** Horizontal zoom likewise; default null: the vertical zoom, keeping the aspect ratio. */
  widthFactor?: Factor | null;
}

/**
 * Keras's RandomZoom: in training scales each image about its centre by its own random zoom
 * 1 + U(lower, upper) per axis (one draw for both when widthFactor is null).
 */
export class RandomZoom extends RandomWarpLayer {
  static override readonly className: string = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly height: [number, number];
  private readonly width: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    const { heightFactor, widthFactor, ...rest } = args;
    super(rest);
    const range = { min: -1, max: Infinity };
    this.height = factorRange(this.className, 'heightFactor', heightFactor, range);
    this.width =
      widthFactor === undefined || widthFactor === null
        ? null
        : factorRange(this.className, 'widthFactor', widthFactor, range);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor ?? null;
  }

  protected transform(height: number, width: number): number[] {
    const zy = 1 + this.stream.uniform(this.height[0], this.height[1]);
    const zx = this.width ? 1 + this.stream.uniform(this.width[0], this.width[1]) : zy;
    return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      heightFactor: factorConfig(this.heightFactor),
      widthFactor: this.widthFactor === null ? null : factorConfig(this.widthFactor),
    };
  }
}
