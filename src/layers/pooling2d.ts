import { convOutputSize, type Padding } from '../ops/index.js';
import { Layer, singleShape, type LayerArgs, type LayerConfig } from './layer.js';
import { pair, type LayerShape } from './layer-shape.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Default 2 (Keras). */
  poolSize?: number | readonly [number, number];
  /** Default: the pool size. */
  strides?: number | readonly [number, number] | null;
  /** Default 'valid'. */
  padding?: Padding;
  /** Only channels-last is supported. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Shared shape logic of the 2-D pooling layers (channels-last). */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;

  constructor(args: Pooling2DArgs = {}) {
    super(args);
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error(`${this.className} supports channels-last data only.`);
    }
    this.poolSize = pair(args.poolSize ?? 2, 'poolSize');
    this.strides = pair(args.strides ?? this.poolSize, 'strides');
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same') {
      throw new Error(`padding must be 'valid' or 'same', got '${String(this.padding)}'.`);
    }
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { ndim: 4 };
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [n, h, w, c] = singleShape(inputShape, this);
    const size = (d: number | null | undefined, i: 0 | 1): number | null =>
      d === null || d === undefined
        ? null
        : convOutputSize(d, this.poolSize[i], this.strides[i], 1, this.padding).out;
    return [n ?? null, size(h, 0), size(w, 1), c ?? null];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
    };
  }
}
