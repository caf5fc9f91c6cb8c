import type { LayerConfig } from './layer.js';
import {
  factorConfig,
  factorRange,
  RandomWarpLayer,
  type Factor,
  type RandomImageLayerArgs,
  type WarpArgs,
} from './random-image-layer.js';

export interface RandomRotationArgs extends RandomImageLayerArgs, WarpArgs {
  /**
   * Rotation as a fraction of a full turn (2 pi): f is [-f, f], or [lower, upper]. Positive
   * angles turn counter-clockwise. 0.03 is about +-10.8 degrees.
   */
  factor: Factor;
}

/**
 * Keras's RandomRotation: in training rotates each image about its centre by its own random
 * angle U(lower, upper) * 2 pi, with Keras's centre and offsets (keras/src/layers/
 * preprocessing/image_preprocessing/random_rotation.py).
 */
export class RandomRotation extends RandomWarpLayer {
  static override readonly className: string = 'RandomRotation';
  readonly factor: Factor;
  private readonly range: [number, number];

  constructor(args: RandomRotationArgs) {
    const { factor, ...rest } = args;
    super(rest);
    this.range = factorRange(this.className, 'factor', factor, { min: -Infinity, max: Infinity });
    this.factor = factor;
  }

  protected transform(height: number, width: number): number[] {
    const angle = this.stream.uniform(this.range[0], this.range[1]) * 2 * Math.PI;
    return rotationTransform(angle, height, width);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: factorConfig(this.factor) };
  }
}

/** Keras's rotation about the image centre ((w - 1) / 2, (h - 1) / 2), output -> input. */
export function rotationTransform(angle: number, height: number, width: number): number[] {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const xOffset = (width - 1 - (cos * (width - 1) - sin * (height - 1))) / 2;
  const yOffset = (height - 1 - (sin * (width - 1) + cos * (height - 1))) / 2;
  return [cos, -sin, xOffset, sin, cos, yOffset, 0, 0];
}
