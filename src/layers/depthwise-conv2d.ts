import { canonicalActivation, getActivation, type ActivationFn } from '../activations/index.js';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ConvGeometry, regularizerOrNull, type ConvGeometryArgs } from './base-conv.js';
import {
  Layer,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

/** What DepthwiseConv2D and SeparableConv2D share (Keras's BaseDepthwiseConv / BaseSeparableConv). */
export interface DepthwiseArgsBase extends LayerArgs, ConvGeometryArgs {
  /** Filters per input channel. Default 1. */
  depthMultiplier?: number;
  activation?: string | null;
  useBias?: boolean;
  /** Default 'glorot_uniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

export type DepthwiseConv2DArgs = DepthwiseArgsBase;

/** A conv's spatial options plus the depthwise kernel's channel multiplier. */
export class DepthwiseGeometry extends ConvGeometry {
  readonly depthMultiplier: number;

  constructor(where: string, args: DepthwiseArgsBase) {
    super(where, args);
    this.depthMultiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new Error(
        `${where}: depthMultiplier must be a positive integer, got ${args.depthMultiplier}.`,
      );
    }
  }

  /**
   * The input's channels and `layer`'s 'depthwise_kernel' weight for them
   * ([kh, kw, channels, depthMultiplier]).
   */
  addKernel(
    layer: Layer,
    inputShape: LayerShape,
    initializer: Initializer,
    regularizer: Regularizer | null,
  ): { channels: number; kernel: Variable } {
    const channels = this.channels(inputShape, layer);
    const kernel = layer.addWeight(
      'depthwise_kernel',
      [...this.kernelSize, channels, this.depthMultiplier],
      initializer,
      regularizer,
    );
    return { channels, kernel };
  }

  depthwise(x: Tensor, kernel: Variable, bias: Variable | null): Tensor {
    return ops.depthwiseConv2d(x, kernel, {
      strides: this.strides,
      padding: this.padding,
      dilation: this.dilationRate,
      bias,
    });
  }

  override config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return super.config({ depthMultiplier: this.depthMultiplier, ...extra });
  }
}

/**
 * Keras's DepthwiseConv2D: each input channel convolved with its own depthMultiplier filters,
 * kernel [kh, kw, channels, depthMultiplier] (weight 'depthwise_kernel'), output channels
 * channels * depthMultiplier (channel c's filters adjacent), plus bias, then the activation.
 */
export class DepthwiseConv2D extends Layer {
  static override readonly className: string = 'DepthwiseConv2D';
  readonly geometry: DepthwiseGeometry;
  readonly activation: string;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel: Variable | null = null;
  bias: Variable | null = null;
  private readonly activationFn: ActivationFn;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    this.geometry = new DepthwiseGeometry('DepthwiseConv2D', args);
    this.activation = canonicalActivation(args.activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = regularizerOrNull(args.depthwiseRegularizer);
    this.biasRegularizer = regularizerOrNull(args.biasRegularizer);
  }

  override build(inputShape: LayerShape): void {
    const { channels, kernel } = this.geometry.addKernel(
      this,
      inputShape,
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
    );
    this.depthwiseKernel = kernel;
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [channels * this.geometry.depthMultiplier],
        this.biasInitializer,
        this.biasRegularizer,
      );
    }
    this.inputSpec = { ndim: 4, axes: { [-1]: channels } };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    return this.activationFn(this.geometry.depthwise(x, this.depthwiseKernel!, this.bias));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const c = singleShape(inputShape, this)[3];
    const channels = c === null || c === undefined ? null : c * this.geometry.depthMultiplier;
    return this.geometry.outputShape(inputShape, this, channels);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      ...this.geometry.config(),
      activation: this.activation,
      useBias: this.useBias,
      depthwiseInitializer: this.depthwiseInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      depthwiseRegularizer: this.depthwiseRegularizer?.serialize() ?? null,
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
    };
  }
}
