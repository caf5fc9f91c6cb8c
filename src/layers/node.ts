import type { DType } from '../tensor/dtype.js';
import type { Layer } from './layer.js';
import type { ShapeN } from './layer-shape.js';
import { SymbolicTensor } from './symbolic-tensor.js';

/**
 * One call of a layer on symbolic tensors (Keras's Node): the edges of a functional model's
 * graph. A layer called twice (shared) has two nodes.
 */
export class Node {
  /** Position in `layer.inboundNodes`. */
  readonly index: number;
  readonly outputs: readonly SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    /** Whether the layer was called with a list (even of one tensor) rather than a tensor. */
    readonly inputsAsList: boolean,
    outputShapes: readonly ShapeN[],
    dtype: DType,
  ) {
    this.index = layer.inboundNodes.length;
    layer.inboundNodes.push(this);
    this.outputs = outputShapes.map((s, i) => new SymbolicTensor(s, dtype, this, i));
  }
}
