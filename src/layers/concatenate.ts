import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';
import { formatKerasShape, shapeList, type LayerShape, type ShapeN } from './layer-shape.js';

export interface ConcatenateArgs extends LayerArgs {
  /** Default -1. */
  axis?: number;
}

/** Joins a list of inputs along `axis` (they must agree on every other axis). */
export class Concatenate extends Layer {
  static override readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    return ops.concat(xs, this.axis);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shapes = shapeList(inputShape);
    const rank = shapes[0]!.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank) {
      throw new Error(
        `Concatenate '${this.name}': axis ${this.axis} is out of range for rank ${rank}.`,
      );
    }
    const out: (number | null)[] = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const clash =
        s.length !== rank ||
        s.some((d, i) => i !== axis && d !== null && out[i] !== null && d !== out[i]);
      if (clash) {
        throw new Error(
          `Concatenate '${this.name}' needs inputs that match except on axis ${this.axis}; got ${shapes.map((x: ShapeN) => formatKerasShape(x)).join(', ')}.`,
        );
      }
      out[axis] = out[axis] === null || s[axis] === null ? null : out[axis]! + s[axis]!;
    }
    return out;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
