import type { Backend, BinaryOp, FloatArray } from '../kernels/backend.js';
import '../kernels/index.js'; // registers the js reference backend
import { findBackend, getBackend } from '../kernels/registry.js';
import { allocate, allocateUninitialized, isFloatArray, type DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The backend that runs kernels for tensors of `dtype`: the active one, or the `js` reference
 * when the active one cannot do float64 (gradient checks).
 */
export function backendFor(dtype: DType): Backend {
  const b = getBackend();
  if (dtype === 'float64' && !b.supportsFloat64) {
    const js = findBackend('js');
    if (!js) throw new Error('float64 tensors need the js backend, which is not registered.');
    return js;
  }
  return b;
}

/** The float data of `t`, or a clear error for an int32 tensor where floats are needed. */
export function floats(t: Tensor, op: string): FloatArray {
  if (!isFloatArray(t.values)) {
    throw new TypeError(`${op}: expected a float32 or float64 tensor, got ${t.dtype}.`);
  }
  return t.values;
}

/** A new zero-filled tensor of the given shape and dtype. */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/**
 * A new tensor with unspecified contents, for a kernel output written in full (inside a
 * training step its array comes from the step's buffer pool and is not cleared first).
 */
export function uninitialized(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocateUninitialized(dtype, sizeOf(shape)), shape);
}

/** The float dtype two inputs compute in (float64 wins, so gradient checks stay exact). */
export function resultType(a: Tensor, b?: Tensor): DType {
  if (a.dtype === 'float64' || b?.dtype === 'float64') return 'float64';
  return 'float32';
}

/**
 * out = a op b with a and b read at the given (broadcastable) shapes, whatever their own
 * shapes say: how ops broadcast a reduced tensor back over the reduced axes. No recording.
 */
export function broadcastBinary(
  op: BinaryOp,
  a: Tensor,
  aShape: Shape,
  b: Tensor,
  bShape: Shape,
  outShape: Shape,
): Tensor {
  const dtype = resultType(a, b);
  const out = uninitialized(outShape, dtype);
  const ad = a.dtype === dtype ? floats(a, op) : Float64Array.from(floats(a, op));
  const bd = b.dtype === dtype ? floats(b, op) : Float64Array.from(floats(b, op));
  backendFor(dtype).binary(op, ad, aShape, bd, bShape, floats(out, op), outShape);
  return out;
}
