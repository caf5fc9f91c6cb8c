import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { BaseConv, regularizerOrNull } from './base-conv.js';
import { DepthwiseGeometry, type DepthwiseArgsBase } from './depthwise-conv2d.js';
import { singleInput, type CallArgs, type LayerConfig } from './layer.js';
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
export class SeparableConv2D extends BaseConv<DepthwiseGeometry> {
  static override readonly className: string = 'SeparableConv2D';
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, (where) => new DepthwiseGeometry(where, args));
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorot_uniform');
    this.depthwiseRegularizer = regularizerOrNull(args.depthwiseRegularizer);
    this.pointwiseRegularizer = regularizerOrNull(args.pointwiseRegularizer);
  }

  override build(inputShape: LayerShape): void {
    const { channels, kernel } = this.geometry.addKernel(
      this,
      inputShape,
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
    );
    this.depthwiseKernel = kernel;
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [1, 1, channels * this.geometry.depthMultiplier, this.filters],
      this.pointwiseInitializer,
      this.pointwiseRegularizer,
    );
    this.buildBias(inputShape, channels);
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
    return this.convConfig({
      depthwise: [this.depthwiseInitializer, this.depthwiseRegularizer],
      pointwise: [this.pointwiseInitializer, this.pointwiseRegularizer],
    });
  }
}
