import { softmax } from '../activations/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';

export interface SoftmaxArgs extends LayerArgs {
  /** Default -1. */
  axis?: number;
}

/** Softmax over `axis`; over the last axis the output keeps its logits for cross-entropy. */
export class Softmax extends Layer {
  static override readonly className: string = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return softmax(singleInput(inputs, this), this.axis);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
