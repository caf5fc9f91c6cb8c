import { Random } from './random.js';

/**
 * The global seed (Keras `keras.utils.set_random_seed`): initialisers without a seed of their
 * own, dropout masks and fit's shuffling all draw their seeds from this stream, so two runs
 * after the same `setSeed` compute the same numbers.
 */
let stream = new Random(Date.now() >>> 0);

export function setSeed(seed: number): void {
  stream = new Random(seed >>> 0);
}

/** A fresh 32-bit seed from the global stream. */
export function nextSeed(): number {
  return stream.uint32();
}
