import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LayerConfig } from './layer.js';
import { RandomImageLayer, type RandomImageLayerArgs } from './random-image-layer.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: readonly string[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends RandomImageLayerArgs {
  /** Which flips may happen, each with probability 1/2. Default 'horizontal_and_vertical' (Keras). */
  mode?: FlipMode;
}

/**
 * Keras's RandomFlip: in training mirrors each image left-right and/or top-bottom, each with
 * probability 1/2, drawn per image. Not for digits (a mirrored 2 is no digit).
 */
export class RandomFlip extends RandomImageLayer {
  static override readonly className: string = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    const { mode, ...rest } = args;
    super(rest);
    this.mode = mode ?? 'horizontal_and_vertical';
    if (!MODES.includes(this.mode)) {
      throw new Error(
        `RandomFlip: mode must be one of ${MODES.join(', ')}; got '${String(mode)}'.`,
      );
    }
  }

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape as [number, number, number, number];
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    const transforms = new Float64Array(n * 8);
    for (let b = 0; b < n; b++) {
      // Keras draws the horizontal flips, then the vertical ones: uniform <= 0.5 flips.
      const fx = horizontal && this.stream.next() <= 0.5;
      const fy = vertical && this.stream.next() <= 0.5;
      transforms.set([fx ? -1 : 1, 0, fx ? w - 1 : 0, 0, fy ? -1 : 1, fy ? h - 1 : 0, 0, 0], b * 8);
    }
    // Integer source coordinates: nearest sampling copies the pixels exactly.
    return ops.affineTransform(x, transforms, { fillMode: 'constant', interpolation: 'nearest' });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), mode: this.mode };
  }
}
