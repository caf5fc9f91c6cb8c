import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  knownSize,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

/** [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]. */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { minNdim: 1 };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return ops.flatten(singleInput(inputs, this));
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = singleShape(inputShape, this);
    return [shape[0] ?? null, knownSize(shape.slice(1))];
  }
}
