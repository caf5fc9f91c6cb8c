import * as ops from '../ops/index.js';
import type { FillMode, Interpolation } from '../ops/index.js';
import { Random } from '../tensor/random.js';
import { nextSeed } from '../tensor/seed.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, singleInput, type CallArgs, type LayerArgs, type LayerConfig } from './layer.js';
import type { LayerShape } from './layer-shape.js';

/** A factor as Keras takes it: `f` means the range [-f, f] (or [f, f], see each layer); or [lower, upper]. */
export type Factor = number | readonly [number, number];

export interface RandomImageLayerArgs extends LayerArgs {
  /** Seed of the layer's own random stream; default drawn from the global seed. */
  seed?: number | null;
  /** Only channels-last is supported (Keras's default). */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Options of the warping layers (Keras: fill_mode, interpolation, fill_value). */
export interface WarpArgs {
  /** Default 'reflect' (Keras). */
  fillMode?: FillMode;
  /** Default 'bilinear' (Keras). */
  interpolation?: Interpolation;
  /** What 'constant' fills with. Default 0. */
  fillValue?: number;
}

const FILL_MODES: readonly string[] = ['reflect', 'wrap', 'constant', 'nearest'];
const INTERPOLATIONS: readonly string[] = ['nearest', 'bilinear'];

/**
 * Base of Keras's random image augmentation layers (keras.layers.RandomTranslation and
 * friends): active only in training (inference passes the images through untouched, so a saved
 * model predicts on clean inputs), on channels-last batches [n, h, w, c]. Each image gets its
 * own random parameters, drawn from the layer's seeded stream, so runs repeat after `setSeed`.
 */
export abstract class RandomImageLayer extends Layer {
  readonly seed: number | undefined;
  protected readonly stream: Random;

  constructor(args: RandomImageLayerArgs) {
    const { seed, dataFormat, ...rest } = args;
    super(rest);
    if (dataFormat !== undefined && dataFormat !== null && !/^channels_?last$/i.test(dataFormat)) {
      throw new Error(`${this.className} supports channels-last data only, got '${dataFormat}'.`);
    }
    this.seed = seed ?? undefined;
    this.stream = new Random(this.seed ?? nextSeed());
  }

  override build(inputShape: LayerShape): void {
    this.inputSpec = { ndim: 4 };
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleInput(inputs, this);
    if (!args.training || x.shape[0] === 0) return x;
    return this.augment(x);
  }

  /** The training-time transform of a batch [n, h, w, c]. */
  protected abstract augment(x: Tensor): Tensor;

  /** The stream's position (checkpoints: a resumed run draws the same augmentations). */
  getRandomState(): number[] {
    return this.stream.getState();
  }

  setRandomState(state: readonly number[]): void {
    this.stream.setState(state);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), seed: this.seed ?? null, dataFormat: 'channels_last' };
  }
}

/** A random layer that warps each image by a per-image affine map (one batched kernel call). */
export abstract class RandomWarpLayer extends RandomImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;

  constructor(args: RandomImageLayerArgs & WarpArgs) {
    const { fillMode, interpolation, fillValue, ...rest } = args;
    super(rest);
    this.fillMode = fillMode ?? 'reflect';
    this.interpolation = interpolation ?? 'bilinear';
    this.fillValue = fillValue ?? 0;
    if (!FILL_MODES.includes(this.fillMode)) {
      throw new Error(
        `${this.className}: fillMode must be one of ${FILL_MODES.join(', ')}; got '${String(this.fillMode)}'.`,
      );
    }
    if (!INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(
        `${this.className}: interpolation must be 'nearest' or 'bilinear'; got '${String(this.interpolation)}'.`,
      );
    }
    if (!Number.isFinite(this.fillValue)) {
      throw new Error(`${this.className}: fillValue must be a finite number.`);
    }
  }

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape as [number, number, number, number];
    const transforms = new Float64Array(n * 8);
    for (let b = 0; b < n; b++) transforms.set(this.transform(h, w), b * 8);
    return ops.affineTransform(x, transforms, {
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    });
  }

  /** One image's transform (8 numbers, see ops.affineTransform), drawn from the stream. */
  protected abstract transform(height: number, width: number): number[];

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    };
  }
}

/**
 * [lower, upper] of a factor: a number f gives [-f, f] (`symmetric`) or [f, f]; a pair is taken
 * as is. Checks lower <= upper and that both lie in [min, max].
 */
export function factorRange(
  where: string,
  name: string,
  factor: Factor,
  { min, max, symmetric = true }: { min: number; max: number; symmetric?: boolean },
): [number, number] {
  const pair: readonly number[] =
    typeof factor === 'number'
      ? symmetric
        ? [-Math.abs(factor), Math.abs(factor)]
        : [factor, factor]
      : factor;
  const [lo, hi] = pair as [number, number];
  if (
    pair.length !== 2 ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo > hi ||
    lo < min ||
    hi > max
  ) {
    throw new Error(
      `${where}: ${name} must be a number or a [lower, upper] pair with ${min} <= lower <= upper <= ${max}; got ${JSON.stringify(factor)}.`,
    );
  }
  return [lo, hi];
}

/** A factor as the config stores it (a pair as a fresh array). */
export const factorConfig = (f: Factor): number | number[] => (typeof f === 'number' ? f : [...f]);
