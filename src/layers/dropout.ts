import * as ops from '../ops/index.js';
import { Random } from '../tensor/random.js';
import { nextSeed } from '../tensor/seed.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Seed of the layer's mask stream; default drawn from the global seed. */
  seed?: number | null;
}

/**
 * Inverted dropout (Keras): in training, zeroes each input with probability `rate` and scales
 * the rest by 1 / (1 - rate); at inference passes inputs through. Each training call draws a
 * fresh mask seed from the layer's own seeded stream, so runs repeat after `setSeed`.
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly stream: Random;

  constructor(args: DropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`Dropout rate must be in [0, 1), got ${args.rate}.`);
    }
    this.rate = args.rate;
    this.seed = args.seed ?? undefined;
    this.stream = new Random(this.seed ?? nextSeed());
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    if (!args.training || this.rate === 0) return x;
    return ops.dropout(x, this.rate, this.nextMaskSeed());
  }

  /** The next mask seed from the layer's stream. */
  protected nextMaskSeed(): number {
    return this.stream.uint32();
  }

  /** The mask stream's position (checkpoints: a resumed run draws the same masks). */
  getRandomState(): number[] {
    return this.stream.getState();
  }

  setRandomState(state: readonly number[]): void {
    this.stream.setState(state);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}
