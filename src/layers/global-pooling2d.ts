import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Keep the spatial axes as size 1 (default false). */
  keepdims?: boolean;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Base of the global 2-D poolings: a reduction over height and width, [b, h, w, c] -> [b, c]. */
export abstract class GlobalPooling2D extends Layer {
  readonly keepdims: boolean;

  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error(`${this.className} supports channels-last data only.`);
    }
    this.keepdims = args.keepdims ?? false;
  }

  /** The reduction over axes [1, 2]. */
  protected abstract pool(x: Tensor): Tensor;

  override build(inputShape: LayerShape): void {
    this.inputSpec = { ndim: 4 };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return this.pool(singleInput(inputs, this));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [n, , , c] = singleShape(inputShape, this);
    return this.keepdims ? [n ?? null, 1, 1, c ?? null] : [n ?? null, c ?? null];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}
