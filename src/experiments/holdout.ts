import type { Tensor } from '../tensor/tensor.js';
import { splitAt } from '../training/batching.js';
import type { HoldoutSpec } from './model-spec.js';

/**
 * Holds out the first or last `count` samples for validation. Seed notebook 003 takes the
 * first 10,000 (`x_val = x_train[:10000]`); Keras's validation_split takes the last fraction.
 */
export function splitHoldout(
  x: Tensor,
  y: Tensor,
  holdout: HoldoutSpec,
): { x: Tensor; y: Tensor; validationData: [Tensor, Tensor] } {
  const n = x.shape[0]!;
  const { where, count } = holdout;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new RangeError(
      `--holdout ${where}:${count} must leave training images: give 1 to ${n - 1} of the ${n}.`,
    );
  }
  const cut = where === 'first' ? count : n - count;
  const [xa, xb] = splitAt(x, cut);
  const [ya, yb] = splitAt(y, cut);
  return where === 'first'
    ? { x: xb, y: yb, validationData: [xa, ya] }
    : { x: xa, y: ya, validationData: [xb, yb] };
}
