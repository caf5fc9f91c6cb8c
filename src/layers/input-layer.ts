import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerConfig } from './layer.js';
import { formatKerasShape, type ShapeN } from './layer-shape.js';
import { Node } from './node.js';
import type { SymbolicTensor } from './symbolic-tensor.js';

export interface InputLayerArgs {
  /** Shape of one sample, without the batch dimension. */
  shape?: readonly (number | null)[];
  /** Alias of `shape` (TF.js). */
  inputShape?: readonly (number | null)[];
  batchSize?: number;
  /** Full shape including the batch dimension; wins over `shape`. */
  batchInputShape?: readonly (number | null)[];
  /** Alias of `batchInputShape` (Keras 3's `batch_shape`). */
  batchShape?: readonly (number | null)[];
  dtype?: DType;
  name?: string;
}

/**
 * The entry point of a functional model: owns the symbolic tensor that `input()` returns and
 * passes values through unchanged.
 */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  /** The input's dtype (int32 inputs are allowed; layers cast them). */
  readonly inputDtype: DType;

  constructor(args: InputLayerArgs = {}) {
    const batchShape =
      args.batchInputShape ??
      args.batchShape ??
      ((args.shape ?? args.inputShape)
        ? [args.batchSize ?? null, ...(args.shape ?? args.inputShape)!]
        : undefined);
    if (!batchShape) {
      throw new Error(
        'An input needs a shape: input({ shape: [...] }) (batch dimension left out).',
      );
    }
    super({
      batchInputShape: batchShape,
      ...(args.name !== undefined ? { name: args.name } : {}),
      dtype: args.dtype === 'float64' ? 'float64' : 'float32',
    });
    this.inputDtype = args.dtype ?? 'float32';
    this.autocast = false;
    this.built = true;
    this.buildInputShape = this.batchInputShape!;
    new Node(this, [], false, [this.batchInputShape!], this.inputDtype);
  }

  /** The symbolic tensor standing for this input. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0]!.outputs[0]!;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return singleInput(inputs, this);
  }

  override getConfig(): LayerConfig {
    return {
      name: this.name,
      dtype: this.inputDtype,
      batchInputShape: [...(this.batchInputShape as ShapeN)],
    };
  }

  override toString(): string {
    return `InputLayer ${this.name} ${formatKerasShape(this.batchInputShape!)}`;
  }
}

/**
 * A symbolic input for the functional API (`tf.input` / `keras.Input`):
 * `const x = input({ shape: [784] })`.
 */
export function input(args: InputLayerArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
