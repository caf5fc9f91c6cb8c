import { canonicalActivation, getActivation, type ActivationFn } from '../activations/index.js';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import * as ops from '../ops/index.js';
import { convOutputSize, type Padding } from '../ops/index.js';
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
import { pair, type LayerShape } from './layer-shape.js';

/** What DepthwiseConv2D and SeparableConv2D share (Keras's BaseDepthwiseConv / BaseSeparableConv). */
export interface DepthwiseArgsBase extends LayerArgs {
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'valid'. */
  padding?: Padding;
  /** Filters per input channel. Default 1. */
  depthMultiplier?: number;
  /** Only channels-last is supported (Keras's default). */
  dataFormat?: 'channelsLast' | 'channels_last';
  /** Default 1. */
  dilationRate?: number | readonly [number, number];
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

/** The spatial options of a depthwise-based layer, checked as Keras checks them. */
export class DepthwiseGeometry {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;

  constructor(where: string, args: DepthwiseArgsBase) {
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error(`${where} supports channels-last data only, got '${args.dataFormat}'.`);
    }
    this.kernelSize = pair(args.kernelSize, 'kernelSize');
    this.strides = pair(args.strides ?? 1, 'strides');
    this.dilationRate = pair(args.dilationRate ?? 1, 'dilationRate');
    this.padding = args.padding ?? 'valid';
    this.depthMultiplier = args.depthMultiplier ?? 1;
    if (this.padding !== 'valid' && this.padding !== 'same') {
      throw new Error(`padding must be 'valid' or 'same', got '${String(this.padding)}'.`);
    }
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new Error(
        `${where}: depthMultiplier must be a positive integer, got ${args.depthMultiplier}.`,
      );
    }
    // Keras: strides > 1 cannot be combined with dilation > 1.
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new Error(
        `${where}: strides ${JSON.stringify(this.strides)} > 1 cannot be combined with dilationRate ${JSON.stringify(this.dilationRate)} > 1.`,
      );
    }
  }

  /** The input's channel count, after checking the input is [batch, h, w, channels]. */
  channels(inputShape: LayerShape, layer: Layer): number {
    const shape = singleShape(inputShape, layer);
    const channels = shape[3];
    if (shape.length !== 4 || channels === null || channels === undefined) {
      throw new Error(
        `${layer.className} '${layer.name}' needs inputs [batch, height, width, channels] with known channels; got ${JSON.stringify(shape)}.`,
      );
    }
    return channels;
  }

  outputShape(inputShape: LayerShape, layer: Layer, channels: number | null): LayerShape {
    const [n, h, w] = singleShape(inputShape, layer);
    const size = (d: number | null | undefined, i: 0 | 1): number | null =>
      d === null || d === undefined
        ? null
        : convOutputSize(d, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding)
            .out;
    return [n ?? null, size(h, 0), size(w, 1), channels];
  }

  depthwise(x: Tensor, kernel: Variable, bias: Variable | null): Tensor {
    return ops.depthwiseConv2d(x, kernel, {
      strides: this.strides,
      padding: this.padding,
      dilation: this.dilationRate,
      bias,
    });
  }

  config(): Record<string, unknown> {
    return {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
    };
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
    this.depthwiseRegularizer = args.depthwiseRegularizer
      ? getRegularizer(args.depthwiseRegularizer)
      : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null;
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
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [channels * depthMultiplier],
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
