/**
 * Reading optimizer configs: TF.js camelCase keys (`learningRate`, `beta1`) or Keras snake_case
 * keys (`learning_rate`, `beta_1`), so a config copied from a Keras `get_config()` works as is.
 */

import { camelCase, readOptions as readOptionsObject } from '../util/options.js';

/** A hyperparameter: its camelCase name, Keras's snake_case name and default. */
export interface OptionSpec<V extends number | boolean> {
  snake: string;
  default: V;
}

export type OptionSpecs<T> = { [K in keyof T]: OptionSpec<T[K] & (number | boolean)> };

/**
 * Keras base-optimizer keys that hold their "off" value in an exported config (e.g.
 * `weight_decay: null`). Accepted and ignored when off; features this library lacks otherwise.
 */
const KERAS_BASE_KEYS: Record<string, (v: unknown) => boolean> = {
  name: () => true,
  weight_decay: (v) => v === null || v === 0,
  clipnorm: (v) => v === null,
  clipvalue: (v) => v === null,
  global_clipnorm: (v) => v === null,
  use_ema: (v) => v === false,
  ema_momentum: () => true,
  ema_overwrite_frequency: () => true,
  loss_scale_factor: (v) => v === null,
  gradient_accumulation_steps: (v) => v === null,
};

/**
 * The hyperparameters of `className` from `config`, defaults filled in. Throws on unknown keys,
 * on values of the wrong type and when a camelCase and a snake_case key disagree.
 */
export function readOptions<T extends Record<string, number | boolean>>(
  className: string,
  config: Readonly<Record<string, unknown>> | undefined,
  specs: OptionSpecs<T>,
): T {
  const entries = Object.entries(specs) as [string, OptionSpec<number | boolean>][];
  for (const [camel, spec] of entries) {
    // The shared reader folds snake_case into camelCase; the specs must agree with it.
    if (camelCase(spec.snake) !== camel) {
      throw new Error(`${className}: option spec '${camel}' has snake name '${spec.snake}'.`);
    }
  }
  const given = readOptionsObject(className, config ?? {}, Object.keys(specs), {
    ignore: KERAS_BASE_KEYS,
  }) as Record<string, unknown>;
  const out: Record<string, number | boolean> = {};
  for (const [camel, spec] of entries) {
    const value = given[camel] ?? spec.default;
    if (typeof spec.default === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new TypeError(
          `${className}: '${camel}' must be a finite number, got ${String(value)}.`,
        );
      }
    } else if (typeof value !== 'boolean') {
      throw new TypeError(`${className}: '${camel}' must be true or false, got ${String(value)}.`);
    }
    out[camel] = value as number | boolean;
  }
  return out as T;
}
