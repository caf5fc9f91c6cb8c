import { record } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { backendFor, empty, floats } from './engine.js';

/**
 * Inverted dropout: zeroes each value with probability `rate` and scales the survivors by
 * 1 / (1 - rate), so inference needs no rescaling (Keras's semantics). `seed` picks the mask.
 */
export function dropout(x: Tensor, rate: number, seed: number): Tensor {
  if (!(rate >= 0 && rate < 1))
    throw new RangeError(`dropout rate must be in [0, 1), got ${rate}.`);
  if (rate === 0) return x;
  const k = backendFor(x.dtype);
  const mask = empty(x.shape, x.dtype);
  k.dropoutMask(rate, seed >>> 0, floats(mask, 'dropout'));
  const out = empty(x.shape, x.dtype);
  k.binary(
    'mul',
    floats(x, 'dropout'),
    x.shape,
    floats(mask, 'dropout'),
    mask.shape,
    floats(out, 'dropout'),
    x.shape,
  );
  return record(out, 'dropout', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    k.binary(
      'mul',
      floats(dy, 'dropout'),
      x.shape,
      floats(mask, 'dropout'),
      x.shape,
      floats(dx, 'dropout'),
      x.shape,
    );
    return [dx];
  });
}
