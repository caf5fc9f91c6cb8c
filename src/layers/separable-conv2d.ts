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
import { DepthwiseGeometry, type DepthwiseArgsBase } from './depthwise-conv2d.js';
import { Layer, singleInput, type CallArgs, type LayerConfig } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface SeparableConv2DArgs extends DepthwiseArgsBase {
  filters: number;
  /** Default 'glorot_uniform'. */
  pointwiseInitializer?: InitializerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier | null;
}

/**
 * Keras's SeparableConv2D: a depthwise conv (kernel 'depthwise_kernel' [kh, kw, channels,
 * depthMultiplier], no bias) then a 1x1 conv to `filters` ('pointwise_kernel' [1, 1,
 * channels * depthMultiplier, filters]) with the bias, then the activation. Far fewer weights and
 * multiply-adds than a full conv of the same reach.
 */
export class SeparableConv2D extends Layer {
  static override readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly geometry: DepthwiseGeometry;
  readonly activation: string;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;
  bias: Variable | null = null;
  private readonly activationFn: ActivationFn;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters <= 0) {
      throw new Error(`SeparableConv2D: filters must be a positive integer, got ${args.filters}.`);
    }
    this.filters = args.filters;
    this.geometry = new DepthwiseGeometry('SeparableConv2D', args);
    this.activation = canonicalActivation(args.activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    const reg = (r: RegularizerIdentifier | null | undefined): Regularizer | null =>
      r ? getRegularizer(r) : null;
    this.depthwiseRegularizer = reg(args.depthwiseRegularizer);
    this.pointwiseRegularizer = reg(args.pointwiseRegularizer);
    this.biasRegularizer = reg(args.biasRegularizer);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.geometry.channels(inputShape, this);
    const { kernelSize, depthMultiplier } = this.geometry;
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      [...kernelSize, channels, depthMultiplier],
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
    );
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [1, 1, channels * depthMultiplier, this.filters],
      this.pointwiseInitializer,
      this.pointwiseRegularizer,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [this.filters],
        this.biasInitializer,
        this.biasRegularizer,
      );
    }
    this.inputSpec = { ndim: 4, axes: { [-1]: channels } };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    const d = this.geometry.depthwise(x, this.depthwiseKernel!, null);
    // Bias and relu run fused on the pointwise conv's output, as in Conv2D.
    const fused = this.activation === 'relu' ? 'relu' : 'linear';
    const y = ops.conv2d(d, this.pointwiseKernel!, { bias: this.bias, activation: fused });
    return fused === 'relu' ? y : this.activationFn(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return this.geometry.outputShape(inputShape, this, this.filters);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.geometry.config(),
      activation: this.activation,
      useBias: this.useBias,
      depthwiseInitializer: this.depthwiseInitializer.serialize(),
      pointwiseInitializer: this.pointwiseInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      depthwiseRegularizer: this.depthwiseRegularizer?.serialize() ?? null,
      pointwiseRegularizer: this.pointwiseRegularizer?.serialize() ?? null,
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
    };
  }
}
