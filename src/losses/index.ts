import {
  binaryCrossentropy,
  binaryCrossentropyLoss,
  binaryCrossentropyPerSample,
  type BinaryCrossentropyOptions,
} from './binary-crossentropy.js';
import {
  categoricalCrossentropy,
  categoricalCrossentropyLoss,
  categoricalCrossentropyPerSample,
  type CategoricalCrossentropyOptions,
} from './categorical-crossentropy.js';
import { Registry } from '../util/options.js';
import type { Loss } from './loss.js';
import type { PerSampleFn } from './loss-utils.js';
import {
  meanAbsoluteError,
  meanAbsoluteErrorLoss,
  meanAbsoluteErrorPerSample,
} from './mean-absolute-error.js';
import {
  meanSquaredError,
  meanSquaredErrorLoss,
  meanSquaredErrorPerSample,
} from './mean-squared-error.js';
import { poisson, poissonLoss, poissonPerSample } from './poisson.js';
import {
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyLoss,
  sparseCategoricalCrossentropyPerSample,
  type SparseCategoricalCrossentropyOptions,
} from './sparse-categorical-crossentropy.js';

export type { Loss } from './loss.js';
export { EPSILON, type LossWithOptions, type PerSampleFn } from './loss-utils.js';
export {
  categoricalCrossentropy,
  categoricalCrossentropyLoss,
  categoricalCrossentropyPerSample,
  type CategoricalCrossentropyOptions,
} from './categorical-crossentropy.js';
export {
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyLoss,
  sparseCategoricalCrossentropyPerSample,
  type SparseCategoricalCrossentropyOptions,
} from './sparse-categorical-crossentropy.js';
export {
  binaryCrossentropy,
  binaryCrossentropyLoss,
  binaryCrossentropyPerSample,
  type BinaryCrossentropyOptions,
} from './binary-crossentropy.js';
export { poisson, poissonLoss, poissonPerSample } from './poisson.js';
export {
  meanSquaredError,
  meanSquaredErrorLoss,
  meanSquaredErrorPerSample,
} from './mean-squared-error.js';
export {
  meanAbsoluteError,
  meanAbsoluteErrorLoss,
  meanAbsoluteErrorPerSample,
} from './mean-absolute-error.js';

type AnyOptions = CategoricalCrossentropyOptions &
  SparseCategoricalCrossentropyOptions &
  BinaryCrossentropyOptions;

interface Entry {
  /** Keras's name, e.g. 'categorical_crossentropy'. */
  name: string;
  make: (options: AnyOptions) => Loss;
  perSample: PerSampleFn<AnyOptions>;
  /** Other accepted spellings, beyond the snake_case / camelCase / PascalCase of `name`. */
  aliases?: string[];
}

const ENTRIES: Entry[] = [
  {
    name: 'categorical_crossentropy',
    make: categoricalCrossentropyLoss,
    perSample: categoricalCrossentropyPerSample,
  },
  {
    name: 'sparse_categorical_crossentropy',
    make: sparseCategoricalCrossentropyLoss,
    perSample: sparseCategoricalCrossentropyPerSample,
  },
  {
    name: 'binary_crossentropy',
    make: binaryCrossentropyLoss,
    perSample: binaryCrossentropyPerSample,
  },
  { name: 'poisson', make: poissonLoss, perSample: poissonPerSample },
  {
    name: 'mean_squared_error',
    make: meanSquaredErrorLoss,
    perSample: meanSquaredErrorPerSample,
    aliases: ['mse'],
  },
  {
    name: 'mean_absolute_error',
    make: meanAbsoluteErrorLoss,
    perSample: meanAbsoluteErrorPerSample,
    aliases: ['mae'],
  },
];

const REGISTRY = new Registry<Entry>('loss');
for (const e of ENTRIES) REGISTRY.register(e.name, e, e.aliases);

function lookup(name: string): Entry {
  return REGISTRY.get(name);
}

/** Keras's names of the built-in losses. */
export const LOSS_NAMES = ENTRIES.map((e) => e.name);

/** A loss as Keras serialises it: `{ className: 'CategoricalCrossentropy', config: {...} }`. */
export interface SerializedLoss {
  className: string;
  config?: Record<string, unknown>;
}

export type LossIdentifier = string | SerializedLoss | Loss;

/**
 * Keras's `losses.get`: a name in snake_case or camelCase ('categorical_crossentropy',
 * 'categoricalCrossentropy', 'mse', ...), optionally with options ({ fromLogits: true }),
 * a serialised `{className, config}`, or a Loss function (returned as is).
 */
export function getLoss(identifier: LossIdentifier, options?: AnyOptions): Loss {
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') return lookup(identifier).make(options ?? {});
  if (identifier && typeof identifier === 'object' && typeof identifier.className === 'string') {
    return lookup(identifier.className).make({
      ...(identifier.config as AnyOptions | undefined),
      ...options,
    });
  }
  throw new TypeError(`Could not interpret loss identifier: ${String(identifier)}.`);
}

/** The per-sample (unreduced) form of a named loss, as Keras's `keras.losses.<name>` functions. */
export function getPerSampleLoss(name: string): PerSampleFn<AnyOptions> {
  return lookup(name).perSample;
}

/**
 * The losses in the style of `tf.losses` / `keras.losses`: each is a Loss (mean over the batch)
 * that takes options as an optional third argument.
 */
export const losses = {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryCrossentropy,
  poisson,
  meanSquaredError,
  meanAbsoluteError,
  /** Keras-style aliases. */
  mse: meanSquaredError,
  mae: meanAbsoluteError,
  get: getLoss,
};
