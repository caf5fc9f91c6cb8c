import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import { convOutputSize, type Padding } from '../ops/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { BaseConv, ConvGeometry, regularizerOrNull, type BaseConvArgs } from './base-conv.js';
import { singleInput, singleShape, type CallArgs, type LayerConfig } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface Conv2DArgs extends BaseConvArgs {
  /** Default 'glorot_uniform'. */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
}

/**
 * 2-D convolution over [batch, height, width, channels] inputs with a kernel
 * [kh, kw, inChannels, filters], plus bias, then the activation.
 */
export class Conv2D extends BaseConv {
  static override readonly className: string = 'Conv2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  kernel: Variable | null = null;

  constructor(args: Conv2DArgs) {
    super(args, (where) => new ConvGeometry(where, args));
    ({
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    } = this.geometry);
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.kernelRegularizer = regularizerOrNull(args.kernelRegularizer);
  }

  override build(inputShape: LayerShape): void {
    const channels = this.geometry.channels(inputShape, this);
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, channels, this.filters],
      this.kernelInitializer,
      this.kernelRegularizer,
    );
    this.buildBias(inputShape, channels);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    // Bias and relu run fused on the conv output; other activations follow as ops.
    const fused = this.activation === 'relu' ? 'relu' : 'linear';
    const y = ops.conv2d(x, this.kernel!, {
      strides: this.strides,
      padding: this.padding,
      dilation: this.dilationRate,
      bias: this.bias ?? null,
      activation: fused,
    });
    return fused === 'relu' ? y : this.activationFn(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [n, h, w] = singleShape(inputShape, this);
    const size = (d: number | null | undefined, i: 0 | 1): number | null =>
      d === null || d === undefined
        ? null
        : convOutputSize(d, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding)
            .out;
    return [n ?? null, size(h, 0), size(w, 1), this.filters];
  }

  override getConfig(): LayerConfig {
    return this.convConfig({ kernel: [this.kernelInitializer, this.kernelRegularizer] });
  }
}
