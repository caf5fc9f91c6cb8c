import { allocate, dtypeOf, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/** How an op's output was made: its inputs and the function mapping dOutput to dInputs. */
export interface GradNode {
  /** Op name, for error messages and debugging. */
  op: string;
  inputs: readonly Tensor[];
  /** Returns one gradient per input (null where the input needs none). */
  backward: (dy: Tensor) => (Tensor | null)[];
}

let nextId = 1;

/**
 * A dense n-dimensional array: a typed array plus its shape (row-major). Tensors are values:
 * ops make new ones. A tensor produced by an op while gradients are recorded remembers how
 * (`node`), which is how `backward()` finds its way to the variables that made it.
 */
export class Tensor {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly size: number;
  /** Set by ops when recording; null for constants and leaves. */
  node: GradNode | null = null;
  /** Whether gradients flow to this tensor (true for trainable variables and what they make). */
  requiresGrad = false;
  /** Accumulated gradient after `backward()` (leaves that require grad only). */
  grad: Tensor | null = null;

  constructor(
    public data: TypedArray,
    shape: Shape,
  ) {
    this.shape = [...shape];
    this.size = sizeOf(shape);
    if (data.length !== this.size) {
      throw new Error(
        `A tensor of shape ${formatShape(shape)} needs ${this.size} values, got ${data.length}.`,
      );
    }
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The values as a flat JS array. */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new Error(`item() needs a tensor of one value, got shape ${formatShape(this.shape)}.`);
    return this.data[0]!;
  }

  /** A copy with no autograd history. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  toString(): string {
    const head = Array.from(this.data.subarray(0, 8), (v) => Number(v.toPrecision(5)));
    return `Tensor(${this.dtype} ${formatShape(this.shape)}: ${head.join(', ')}${this.size > 8 ? ', ...' : ''})`;
  }
}

/** Makes a tensor from nested or flat numbers (float32 unless `dtype` says otherwise). */
export function tensor(
  values: ArrayLike<number> | TypedArray | number,
  shape?: Shape,
  dtype?: DType,
): Tensor {
  if (typeof values === 'number')
    return new Tensor(fill(dtype ?? 'float32', 1, values), shape ?? []);
  const want = dtype ?? (ArrayBuffer.isView(values) ? dtypeOf(values as TypedArray) : 'float32');
  let data: TypedArray;
  if (ArrayBuffer.isView(values) && dtypeOf(values as TypedArray) === want) {
    data = values as TypedArray;
  } else {
    data = allocate(want, values.length);
    for (let i = 0; i < values.length; i++) data[i] = values[i]!;
  }
  return new Tensor(data, shape ?? [data.length]);
}

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return new Tensor(fill(dtype, 1, value), []);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return new Tensor(fill(dtype, sizeOf(shape), 1), shape);
}

export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  return new Tensor(fill(dtype, sizeOf(shape), value), shape);
}

function fill(dtype: DType, size: number, value: number): TypedArray {
  const a = allocate(dtype, size);
  a.fill(value);
  return a;
}
