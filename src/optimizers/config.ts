/**
 * Reading optimizer configs: TF.js camelCase keys (`learningRate`, `beta1`) or Keras snake_case
 * keys (`learning_rate`, `beta_1`), so a config copied from a Keras `get_config()` works as is.
 */

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
  const given = config ?? {};
  const out: Record<string, number | boolean> = {};
  const known = new Set<string>();
  for (const [camel, spec] of Object.entries(specs) as [string, OptionSpec<number | boolean>][]) {
    known.add(camel).add(spec.snake);
    const a = given[camel];
    const b = given[spec.snake];
    if (a !== undefined && b !== undefined && a !== b) {
      throw new Error(
        `${className}: '${camel}' (${String(a)}) and '${spec.snake}' (${String(b)}) disagree.`,
      );
    }
    const value = a ?? b ?? spec.default;
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
  for (const [key, value] of Object.entries(given)) {
    if (known.has(key) || value === undefined) continue;
    const allowed = KERAS_BASE_KEYS[key];
    if (allowed) {
      if (allowed(value)) continue;
      throw new Error(`${className}: '${key}' = ${JSON.stringify(value)} is not supported.`);
    }
    const names = Object.entries(specs as Record<string, OptionSpec<number | boolean>>).map(
      ([camel, spec]) => (camel === spec.snake ? camel : `${camel} (${spec.snake})`),
    );
    throw new Error(`${className}: unknown option '${key}'. Options: ${names.join(', ')}.`);
  }
  return out as T;
}
