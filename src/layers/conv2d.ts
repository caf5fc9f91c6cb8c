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

export interface Conv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'valid'. */
  padding?: Padding;
  /** Only channels-last is supported (Keras's default). */
  dataFormat?: 'channelsLast' | 'channels_last';
  /** Default 1. */
  dilationRate?: number | readonly [number, number];
  activation?: string | null;
  useBias?: boolean;
  /** Default 'glorot_uniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
}

/**
 * 2-D convolution over [batch, height, width, channels] inputs with a kernel
 * [kh, kw, inChannels, filters], plus bias, then the activation.
 */
export class Conv2D extends Layer {
  static override readonly className: string = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;
  private readonly activationFn: ActivationFn;

  constructor(args: Conv2DArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters <= 0) {
      throw new Error(`Conv2D: filters must be a positive integer, got ${args.filters}.`);
    }
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error(`Conv2D supports channels-last data only, got '${args.dataFormat}'.`);
    }
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 'kernelSize');
    this.strides = pair(args.strides ?? 1, 'strides');
    this.dilationRate = pair(args.dilationRate ?? 1, 'dilationRate');
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same') {
      throw new Error(`padding must be 'valid' or 'same', got '${String(this.padding)}'.`);
    }
    // Keras: strides > 1 cannot be combined with dilation > 1.
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new Error(
        `Conv2D: strides ${JSON.stringify(this.strides)} > 1 cannot be combined with dilationRate ${JSON.stringify(this.dilationRate)} > 1.`,
      );
    }
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
    const channels = shape[3];
    if (shape.length !== 4 || channels === null || channels === undefined) {
      throw new Error(
        `Conv2D '${this.name}' needs inputs [batch, height, width, channels] with known channels; got ${JSON.stringify(shape)}.`,
      );
    }
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, channels, this.filters],
      this.kernelInitializer,
      this.kernelRegularizer,
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
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: this.kernelRegularizer?.serialize() ?? null,
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
    };
  }
}
