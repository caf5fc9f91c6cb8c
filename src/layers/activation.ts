import { canonicalActivation, getActivation, type ActivationFn } from '../activations/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';

export interface ActivationArgs extends LayerArgs {
  /** An activation name: 'relu', 'softmax', ... */
  activation: string;
}

/** Applies an activation function. */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  readonly activation: string;
  private readonly fn: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args);
    this.activation = canonicalActivation(args.activation);
    this.fn = getActivation(this.activation);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return this.fn(singleInput(inputs, this));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}
