import { Random } from '../tensor/random.js';
import { nextSeed } from '../tensor/seed.js';
import { Initializer } from './initializer.js';

/**
 * Base of the random initialisers. With a seed of its own an initialiser gives the same values
 * on every call (Keras's semantics for an integer seed); without one it draws its seed from the
 * global stream when constructed, so `setSeed` makes runs repeat while successive calls differ.
 */
export abstract class RandomInitializer extends Initializer {
  /** The seed the user gave, if any (serialised; the drawn one is not). */
  readonly seed: number | undefined;
  private readonly stream: Random | undefined;

  constructor(seed?: number) {
    super();
    if (seed !== undefined && !Number.isInteger(seed)) {
      throw new TypeError(`An initializer seed must be an integer, got ${seed}.`);
    }
    this.seed = seed;
    if (seed === undefined) this.stream = new Random(nextSeed());
  }

  protected random(): Random {
    return this.stream ?? new Random(this.seed!);
  }

  protected seedConfig(): { seed: number | null } {
    return { seed: this.seed ?? null };
  }
}

/** A standard normal truncated to [-2, 2] by redrawing (TensorFlow's truncated_normal). */
export function truncatedStandardNormal(r: Random): number {
  for (;;) {
    const z = r.normal();
    if (Math.abs(z) <= 2) return z;
  }
}
