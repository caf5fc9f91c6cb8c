import * as ops from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { singleInput, type CallArgs, type LayerConfig } from './layer.js';
import type { LayerShape } from './layer-shape.js';

export type SpatialDropout2DArgs = DropoutArgs & {
  dataFormat?: 'channelsLast' | 'channels_last';
};

/**
 * Keras's SpatialDropout2D: in training drops whole feature maps, one draw per (sample,
 * channel) (noise shape [batch, 1, 1, channels]), scaling the kept ones by 1 / (1 - rate);
 * adjacent pixels are correlated, so per-pixel dropout would barely regularise a conv net.
 */
export class SpatialDropout2D extends Dropout {
  static override readonly className: string = 'SpatialDropout2D';

  constructor(args: SpatialDropout2DArgs) {
    const { dataFormat, ...rest } = args;
    super(rest);
    if (dataFormat !== undefined && !/^channels_?last$/i.test(dataFormat)) {
      throw new Error('SpatialDropout2D supports channels-last data only.');
    }
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { ndim: 4 };
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    if (!args.training || this.rate === 0) return x;
    const [b, , , c] = x.shape as [number, number, number, number];
    const ones = allocate(x.dtype, b * c);
    ones.fill(1);
    // The mask (0 or 1 / (1 - rate) per sample and channel) broadcasts over height and width.
    const mask = ops.dropout(new Tensor(ones, [b, 1, 1, c]), this.rate, this.nextMaskSeed());
    return ops.mul(x, mask);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: 'channels_last' };
  }
}
