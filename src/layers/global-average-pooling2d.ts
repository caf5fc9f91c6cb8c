import * as ops from '../ops/index.js';
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

export interface GlobalAveragePooling2DArgs extends LayerArgs {
  /** Keep the spatial axes as size 1 (default false). */
  keepdims?: boolean;
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Mean over height and width: [batch, h, w, c] -> [batch, c]. */
export class GlobalAveragePooling2D extends Layer {
  static override readonly className: string = 'GlobalAveragePooling2D';
  readonly keepdims: boolean;

  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(args);
    if (args.dataFormat !== undefined && !/^channels_?last$/i.test(args.dataFormat)) {
      throw new Error('GlobalAveragePooling2D supports channels-last data only.');
    }
    this.keepdims = args.keepdims ?? false;
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { ndim: 4 };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.mean(singleInput(inputs, this), [1, 2], this.keepdims);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [n, , , c] = singleShape(inputShape, this);
    return this.keepdims ? [n ?? null, 1, 1, c ?? null] : [n ?? null, c ?? null];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}
