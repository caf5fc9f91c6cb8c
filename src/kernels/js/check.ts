/**
 * Argument checks shared by the reference kernels. Typed arrays silently drop out-of-range
 * writes and read `undefined` (NaN) past their end, so a short array would otherwise turn into
 * wrong numbers far from the call that caused them.
 */

export function checkLength(
  kernel: string,
  what: string,
  arr: ArrayLike<number>,
  needed: number,
): void {
  if (arr.length < needed) {
    throw new RangeError(`${kernel}: ${what} has ${arr.length} items, needs ${needed}`);
  }
}

export function checkCount(kernel: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${kernel}: ${what} must be a non-negative integer, got ${value}`);
  }
}

export function checkPositive(kernel: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${kernel}: ${what} must be a positive integer, got ${value}`);
  }
}

/** Number of items of a dense array of this shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides of a dense array of this shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}
