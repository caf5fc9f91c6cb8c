import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0. Keras 3 layer default 0.3. */
  negativeSlope?: number;
  /** TF.js's name for `negativeSlope`. */
  alpha?: number;
}

/** x > 0 ? x : negativeSlope * x. */
export class LeakyReLU extends Layer {
  static override readonly className: string = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.negativeSlope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (!(this.negativeSlope >= 0)) {
      throw new RangeError(`negativeSlope must be >= 0, got ${this.negativeSlope}.`);
    }
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.leakyRelu(singleInput(inputs, this), this.negativeSlope);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
