import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (Keras default 1). */
  alpha?: number;
}

/** x > 0 ? x : alpha * (exp(x) - 1). */
export class ELU extends Layer {
  static override readonly className: string = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.elu(singleInput(inputs, this), this.alpha);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
