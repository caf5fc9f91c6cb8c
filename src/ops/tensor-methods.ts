// Wires Tensor's chainable methods (`t.reshape`, `t.add`, ...) to the ops of the same name.
import { installTensorMethods, type Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './binary.js';
import { argmax } from './reduce.js';
import { cast, reshape } from './shape-ops.js';
import { slice } from './slice.js';

type Operand = Tensor | number;

/** Integer tensors (pixels, labels) compute in float32: `images.div(255)` gives [0, 1] floats. */
function float(v: Operand): Operand {
  return typeof v !== 'number' && v.dtype === 'int32' ? cast(v, 'float32') : v;
}

function arith(op: (a: Operand, b: Operand) => Tensor) {
  return (a: Tensor, b: Operand): Tensor => op(float(a), float(b));
}

/** Index of the largest value along `axis`, for float and integer (label) tensors alike. */
export function argMax(x: Tensor, axis = -1): Tensor {
  return argmax(x.dtype === 'int32' ? cast(x, 'float32') : x, axis);
}

installTensorMethods({
  reshape,
  add: arith(add),
  sub: arith(sub),
  mul: arith(mul),
  div: arith(div),
  argMax,
  slice,
});
