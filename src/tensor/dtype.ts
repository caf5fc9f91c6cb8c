import type { FloatArray } from '../kernels/backend.js';
import { activePool, fresh } from './buffer-pool.js';

/** Element types a Tensor can hold. float64 exists for gradient checks. */
export type DType = 'float32' | 'float64' | 'int32';

export type TypedArray = Float32Array | Float64Array | Int32Array;

/** A zero-filled array (from the active buffer pool, if a training step opened one). */
export function allocate(dtype: DType, size: number): TypedArray {
  const pool = activePool();
  return pool ? pool.take(dtype, size, true) : fresh(dtype, size);
}

/**
 * An array whose contents are unspecified (stale values when it comes from a buffer pool), for
 * outputs a kernel overwrites in full: it skips the pool's zero-fill.
 */
export function allocateUninitialized(dtype: DType, size: number): TypedArray {
  const pool = activePool();
  return pool ? pool.take(dtype, size, false) : fresh(dtype, size);
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

export function isFloatArray(data: TypedArray): data is FloatArray {
  return !(data instanceof Int32Array);
}
