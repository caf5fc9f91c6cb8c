import * as ops from '../ops/index.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  knownSize,
  singleInput,
  singleShape,
  type CallArgs,
  type LayerArgs,
  type LayerConfig,
} from './layer.js';
import type { LayerShape } from './layer-shape.js';

export interface ReshapeArgs extends LayerArgs {
  /** Shape of one sample after the reshape; one dimension may be -1. */
  targetShape: readonly number[];
}

/** Reshapes each sample to `targetShape` (the batch dimension is kept). */
export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args.targetShape;
    if (
      !Array.isArray(t) ||
      !t.every((d) => d === -1 || (Number.isInteger(d) && d >= 0)) ||
      t.filter((d) => d === -1).length > 1
    ) {
      throw new Error(
        `Reshape: targetShape must hold non-negative integers and at most one -1, got ${JSON.stringify(t)}.`,
      );
    }
    this.targetShape = [...t];
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    return ops.reshape(x, [x.shape[0]!, ...this.targetShape]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const shape = singleShape(inputShape, this);
    const size = knownSize(shape.slice(1));
    const unknown = this.targetShape.indexOf(-1);
    if (unknown < 0) {
      if (size !== null && size !== knownSize(this.targetShape)) {
        throw new Error(
          `Reshape '${this.name}': cannot reshape samples of ${size} values into ${formatShape(this.targetShape)}.`,
        );
      }
      return [shape[0] ?? null, ...this.targetShape];
    }
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (size !== null && (known === 0 || size % known !== 0)) {
      throw new Error(
        `Reshape '${this.name}': cannot reshape samples of ${size} values into ${formatShape(this.targetShape)}.`,
      );
    }
    const out: (number | null)[] = [...this.targetShape];
    out[unknown] = size === null ? null : size / known;
    return [shape[0] ?? null, ...out];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
