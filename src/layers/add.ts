import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs } from './layer.js';
import { formatKerasShape, shapeList, type LayerShape } from './layer-shape.js';

/** Elementwise sum of a list of inputs of one shape. */
export class Add extends Layer {
  static override readonly className: string = 'Add';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    return xs.slice(1).reduce((acc, x) => ops.add(acc, x), xs[0]!);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shapes = shapeList(inputShape);
    const out: (number | null)[] = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      if (
        s.length !== out.length ||
        s.some((d, i) => d !== null && out[i] !== null && d !== out[i])
      ) {
        throw new Error(
          `Add '${this.name}' needs inputs of one shape; got ${shapes.map((x) => formatKerasShape(x)).join(', ')}.`,
        );
      }
      s.forEach((d, i) => (out[i] ??= d));
    }
    return out;
  }
}
