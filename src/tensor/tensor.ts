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
 * The type of `Tensor.data`, TF.js's method. Its `length` is typed unknown so that code written
 * for a typed-array `data` field (`t.data.length`, `Array.from(t.data)`) fails to compile instead
 * of silently reading a function.
 */
export interface TensorDataMethod {
  (): Promise<TypedArray>;
  readonly length: unknown;
}

/** The ops behind Tensor's chainable methods; ops/ installs them (the tensor sits below ops). */
export interface TensorMethods {
  reshape(x: Tensor, shape: Shape): Tensor;
  add(a: Tensor, b: Tensor | number): Tensor;
  sub(a: Tensor, b: Tensor | number): Tensor;
  mul(a: Tensor, b: Tensor | number): Tensor;
  div(a: Tensor, b: Tensor | number): Tensor;
  argMax(x: Tensor, axis: number): Tensor;
  slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor;
}

let installed: TensorMethods | undefined;

export function installTensorMethods(m: TensorMethods): void {
  installed = m;
}

function methods(): TensorMethods {
  if (!installed) throw new Error('Tensor methods need the ops module; import it first.');
  return installed;
}

/** TF.js's print layout: nested brackets, one row per line, aligned columns. */
function formatValues(t: Tensor): string {
  const cells = Array.from(t.values, (v) =>
    t.dtype === 'int32' ? String(v) : String(Number(v.toPrecision(7))),
  );
  const width = Math.max(0, ...cells.map((c) => c.length));
  const rec = (offset: number, depth: number, indent: string): string => {
    if (t.rank === 0) return cells[0]!;
    const n = t.shape[depth]!;
    const stride = sizeOf(t.shape.slice(depth + 1));
    if (depth === t.rank - 1) {
      return `[${Array.from({ length: n }, (_, i) => cells[offset + i]!.padStart(width)).join(', ')}]`;
    }
    const rows = Array.from({ length: n }, (_, i) =>
      rec(offset + i * stride, depth + 1, indent + ' '),
    );
    const sep = ',' + '\n'.repeat(t.rank - depth - 1) + indent + ' ';
    return `[${rows.join(sep)}]`;
  };
  return '    ' + rec(0, 0, '    ');
}

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

  /** The values, row-major: Float32Array, Float64Array or Int32Array (see `dtype`). */
  values: TypedArray;
  /** TF.js's `await t.data()`: a copy of the values. (The typed array itself is `t.values`.) */
  declare readonly data: TensorDataMethod;

  /** Other integer typed arrays (Uint8Array labels) are copied into an Int32Array. */
  constructor(data: TypedArrayLike, shape: Shape) {
    this.values = toTypedArray(data);
    this.shape = [...shape];
    this.size = sizeOf(shape);
    if (this.values.length !== this.size) {
      throw new Error(
        `A tensor of shape ${formatShape(shape)} needs ${this.size} values, got ${this.values.length}.`,
      );
    }
  }

  get dtype(): DType {
    return dtypeOf(this.values);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The values as a flat JS array. */
  toArray(): number[] {
    return Array.from(this.values);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new Error(`item() needs a tensor of one value, got shape ${formatShape(this.shape)}.`);
    return this.values[0]!;
  }

  /** A copy with no autograd history. */
  clone(): Tensor {
    return new Tensor(this.values.slice(), this.shape);
  }

  // TF.js's chainable methods. Each calls the op of the same name (`ops.reshape(t, shape)`), so
  // gradients flow through them as through the ops.

  /** Same values, new shape; one dimension may be -1. */
  reshape(shape: Shape): Tensor {
    return methods().reshape(this, shape);
  }

  /** Elementwise with broadcasting, like `ops.add`. */
  add(b: Tensor | number): Tensor {
    return methods().add(this, b);
  }

  sub(b: Tensor | number): Tensor {
    return methods().sub(this, b);
  }

  mul(b: Tensor | number): Tensor {
    return methods().mul(this, b);
  }

  div(b: Tensor | number): Tensor {
    return methods().div(this, b);
  }

  /** Index of the largest value along `axis` (default last), as int32. */
  argMax(axis = -1): Tensor {
    return methods().argMax(this, axis);
  }

  /** The block starting at `begin` of `size` (-1: to the end), like `tf.slice`. */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor {
    return methods().slice(this, begin, size);
  }

  /** A copy of the values, flat (TF.js `dataSync`). */
  dataSync(): TypedArray {
    return this.values.slice();
  }

  /** The values as nested arrays of the tensor's shape (TF.js `arraySync`). */
  arraySync(): NestedArray {
    const nest = (offset: number, depth: number): NestedArray => {
      if (depth === this.rank) return this.values[offset]!;
      const stride = sizeOf(this.shape.slice(depth + 1));
      return Array.from({ length: this.shape[depth]! }, (_, i) =>
        nest(offset + i * stride, depth + 1),
      );
    };
    return nest(0, 0);
  }

  /** `arraySync()` as a promise (TF.js `array`). */
  array(): Promise<NestedArray> {
    return Promise.resolve(this.arraySync());
  }

  /** Logs the tensor, TF.js style: `Tensor` then its values. */
  print(): void {
    console.log(`Tensor\n${formatValues(this)}`);
  }

  /**
   * TF.js frees GPU memory here. Tensors in mnist-lab live in ordinary typed arrays that the
   * garbage collector reclaims, so this does nothing; it exists so TF.js code runs unchanged.
   */
  dispose(): void {}

  toString(): string {
    const head = Array.from(this.values.subarray(0, 8), (v) => Number(v.toPrecision(5)));
    return `Tensor(${this.dtype} ${formatShape(this.shape)}: ${head.join(', ')}${this.size > 8 ? ', ...' : ''})`;
  }
}

Object.defineProperty(Tensor.prototype, 'data', {
  value: function data(this: Tensor): Promise<TypedArray> {
    return Promise.resolve(this.dataSync());
  },
  writable: true,
  configurable: true,
});

/** Any typed array a tensor can be made from; integer ones become int32, floats keep their width. */
export type TypedArrayLike =
  TypedArray | Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Uint32Array;

/** Numbers, flat or nested (`[[1, 2], [3, 4]]`), as `tensor()` and its TF.js relatives take them. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** What every tensor constructor accepts. */
export type TensorLike = TypedArrayLike | NestedArray | ArrayLike<number>;

/**
 * Makes a tensor, as `tf.tensor` does: from a number, a nested array (shape inferred, ragged
 * arrays rejected) or any typed array. Integer typed arrays (a dataset's Uint8Array labels) become
 * int32, which the sparse losses and metrics take as class indices; nested and plain arrays
 * become float32 unless `dtype` says otherwise. A typed array already of `dtype` is used as is,
 * not copied.
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    throw new TypeError('tensor() was given a Tensor; use t.clone() to copy one.');
  }
  if (typeof values === 'number' || typeof values === 'boolean') {
    return new Tensor(fill(dtype ?? 'float32', 1, Number(values)), shape ?? []);
  }
  if (ArrayBuffer.isView(values)) {
    const data = toTypedArray(values as TypedArrayLike, dtype);
    return new Tensor(data, shape ?? [data.length]);
  }
  if (!Array.isArray(values)) {
    // Array-likes that are neither typed nor plain arrays ({ length, 0: ... }).
    const flat = Array.from(values as ArrayLike<number>);
    return tensor(flat, shape, dtype);
  }
  const inferred: number[] = [];
  for (let v: unknown = values; Array.isArray(v); v = v[0]) inferred.push(v.length);
  const data = allocate(dtype ?? 'float32', sizeOf(inferred));
  let k = 0;
  const walk = (v: readonly NestedArray[], depth: number, path: string): void => {
    if (v.length !== inferred[depth]) {
      throw new Error(
        `tensor(): ragged nested array: element ${path || '[]'} has ${v.length} entries where ${inferred[depth]} were expected (inferred shape ${formatShape(inferred)}).`,
      );
    }
    const leaf = depth === inferred.length - 1;
    v.forEach((e, i) => {
      if (leaf) {
        if (typeof e !== 'number' && typeof e !== 'boolean') {
          throw new TypeError(
            `tensor(): element ${path}[${i}] is ${Array.isArray(e) ? 'an array' : JSON.stringify(e)}, expected a number (inferred shape ${formatShape(inferred)}).`,
          );
        }
        data[k++] = Number(e);
      } else {
        if (!Array.isArray(e)) {
          throw new Error(
            `tensor(): ragged nested array: element ${path}[${i}] is not an array (inferred shape ${formatShape(inferred)}).`,
          );
        }
        walk(e as readonly NestedArray[], depth + 1, `${path}[${i}]`);
      }
    });
  };
  walk(values as readonly NestedArray[], 0, '');
  if (shape !== undefined && sizeOf(shape) !== data.length && inferred.length > 1) {
    throw new Error(
      `tensor(): the nested array has shape ${formatShape(inferred)} (${data.length} values), which does not fit shape ${formatShape(shape)}.`,
    );
  }
  return new Tensor(data, shape ?? inferred);
}

/** `values` as one of the three storage types, converted (copied) only when needed. */
export function toTypedArray(values: TypedArrayLike, dtype?: DType): TypedArray {
  const own =
    values instanceof Float32Array ||
    values instanceof Float64Array ||
    values instanceof Int32Array;
  const natural: DType =
    values instanceof Float32Array
      ? 'float32'
      : values instanceof Float64Array
        ? 'float64'
        : 'int32';
  const want = dtype ?? natural;
  if (own && want === natural) return values;
  const out = allocate(want, values.length);
  out.set(values as ArrayLike<number>);
  return out;
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
