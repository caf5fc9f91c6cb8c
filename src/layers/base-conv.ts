import { canonicalActivation, getActivation, type ActivationFn } from '../activations/index.js';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
} from '../initializers/index.js';
import { convOutputSize, type Padding } from '../ops/index.js';
import {
  getRegularizer,
  type Regularizer,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import type { Variable } from '../tensor/variable.js';
import { Layer, singleShape, type LayerArgs, type LayerConfig } from './layer.js';
import { pair, type LayerShape } from './layer-shape.js';

/** The spatial options every 2-D conv layer takes (Keras's BaseConv), channels-last only. */
export interface ConvGeometryArgs {
  kernelSize: number | readonly [number, number];
  /** Default 1. */
  strides?: number | readonly [number, number];
  /** Default 'valid'. */
  padding?: Padding;
  /** Only channels-last is supported (Keras's default). */
  dataFormat?: 'channelsLast' | 'channels_last';
  /** Default 1. */
  dilationRate?: number | readonly [number, number];
}

/** A conv layer's spatial options, checked as Keras checks them; `where` names the layer. */
export class ConvGeometry {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dilationRate: [number, number];

  constructor(where: string, args: ConvGeometryArgs) {
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error(`${where} supports channels-last data only, got '${args.dataFormat}'.`);
    }
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

  /** The options as config, in Keras's order (`extra`, e.g. depthMultiplier, after padding). */
  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      ...extra,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
    };
  }
}

/** A regularizer argument made into one (null when absent). */
export function regularizerOrNull(
  id: RegularizerIdentifier | null | undefined,
): Regularizer | null {
  return id ? getRegularizer(id) : null;
}

/** What Conv2D and SeparableConv2D share besides their kernels. */
export interface BaseConvArgs extends LayerArgs, ConvGeometryArgs {
  filters: number;
  activation?: string | null;
  useBias?: boolean;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
}

/**
 * A conv layer to `filters` output channels (Keras's BaseConv): its geometry, the bias over
 * `filters` and the activation; subclasses add their kernels in `build` and then call
 * `buildBias`, so the bias comes last among the weights, as in Keras.
 */
export abstract class BaseConv<G extends ConvGeometry = ConvGeometry> extends Layer {
  readonly filters: number;
  readonly geometry: G;
  readonly activation: string;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  bias: Variable | null = null;
  protected readonly activationFn: ActivationFn;

  protected constructor(args: BaseConvArgs, geometry: (where: string) => G) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters <= 0) {
      throw new Error(
        `${this.className}: filters must be a positive integer, got ${args.filters}.`,
      );
    }
    this.filters = args.filters;
    this.geometry = geometry(this.className);
    this.activation = canonicalActivation(args.activation);
    this.activationFn = getActivation(this.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.biasRegularizer = regularizerOrNull(args.biasRegularizer);
  }

  /** Adds the bias (when used), pins the input's channels and marks the layer built. */
  protected buildBias(inputShape: LayerShape, channels: number): void {
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

  /**
   * The config: Layer's, filters, the geometry, activation, useBias, then each
   * kernel's initializer and the bias's, then their regularizers: Keras's order.
   */
  protected convConfig(
    kernels: Record<string, readonly [Initializer, Regularizer | null]>,
  ): LayerConfig {
    const each = (pick: (k: string, i: Initializer, r: Regularizer | null) => [string, unknown]) =>
      Object.fromEntries(Object.entries(kernels).map(([k, [i, r]]) => pick(k, i, r)));
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.geometry.config(),
      activation: this.activation,
      useBias: this.useBias,
      ...each((k, i) => [`${k}Initializer`, i.serialize()]),
      biasInitializer: this.biasInitializer.serialize(),
      ...each((k, _, r) => [`${k}Regularizer`, r?.serialize() ?? null]),
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
    };
  }
}
