import { canonicalActivation, getActivation, type ActivationFn } from '../activations/index.js';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import {
  getRegularizer,
  type Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import {
  Layer,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  /** Default none (linear). */
  activation?: string | null;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorot_uniform' (Keras). */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

/**
 * A fully connected layer: activation(x · kernel + bias) over the last axis. 'relu' and
 * 'linear' run fused into the GEMM; other activations follow as separate ops.
 */
export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;
  private readonly activationFn: ActivationFn;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`Dense: units must be a positive integer, got ${args.units}.`);
    }
    this.units = args.units;
    this.activation = canonicalActivation(args.activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
  }

  override build(inputShape: LayerShape): void {
    const shape = singleShape(inputShape, this);
    const inputDim = shape.at(-1);
    if (shape.length < 2 || inputDim === null || inputDim === undefined) {
      throw new Error(
        `Dense '${this.name}' needs inputs [batch, ..., features] with known features; got ${JSON.stringify(shape)}.`,
      );
    }
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, this.units],
      this.kernelInitializer,
      this.kernelRegularizer,
    );
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.biasRegularizer);
    }
    this.inputSpec = { minNdim: 2, axes: { [-1]: inputDim } };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    let x = singleInput(inputs, this);
    const lead = x.shape.slice(0, -1);
    if (x.rank > 2) x = ops.reshape(x, [-1, x.shape.at(-1)!]);
    const fused = this.activation === 'relu' ? 'relu' : 'linear';
    let y = ops.dense(x, this.kernel!, this.bias, fused);
    if (lead.length > 1) y = ops.reshape(y, [...lead, this.units]);
    return fused === this.activation ? y : this.activationFn(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = singleShape(inputShape, this);
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: this.kernelRegularizer?.serialize() ?? null,
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
    };
  }
}
