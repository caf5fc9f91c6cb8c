import { dropoutUniform, type FloatArray } from '../backend.js';

/**
 * Inverted-dropout mask: mask[i] = u_i >= rate ? 1 / (1 - rate) : 0 with u_i from the shared
 * counter-based `dropoutUniform`, so every backend draws the same mask. The comparison and the
 * scale are computed in doubles from `rate` as given; the scale is rounded once when stored.
 */
export function dropoutMask(rate: number, seed: number, mask: FloatArray): void {
  if (!(rate >= 0 && rate <= 1))
    throw new RangeError(`dropoutMask: rate must be in [0, 1], got ${rate}`);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = dropoutUniform(seed, i) >= rate ? keep : 0;
}
