import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';
import { formatKerasShape, type ShapeN } from './layer-shape.js';
import type { Node } from './node.js';

let nextId = 1;

/**
 * A placeholder for a tensor in a functional model (Keras's KerasTensor): its shape (batch
 * dimension null) and the layer call that makes it. Applying a layer to symbolic tensors
 * records the call and returns new symbolic tensors; no numbers are computed.
 */
export class SymbolicTensor {
  readonly id = nextId++;

  constructor(
    readonly shape: ShapeN,
    readonly dtype: DType,
    /** The layer call that produces this tensor. */
    readonly node: Node,
    /** Which of that call's outputs this is. */
    readonly tensorIndex: number,
  ) {}

  /** The layer that produces this tensor. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  get name(): string {
    const suffix = this.tensorIndex > 0 ? `_${this.tensorIndex}` : '';
    return `${this.node.layer.name}${suffix}`;
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatKerasShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}
