import { readOptions, type OptionSpecs } from '../config.js';

/**
 * A schedule's numeric and boolean options from camelCase or Keras snake_case keys; the keys
 * in `required` must be given (Keras has no default for them). Other keys are rejected, except
 * Keras's `name`.
 */
export function readScheduleOptions<T extends Record<string, number | boolean>>(
  className: string,
  config: Readonly<Record<string, unknown>>,
  specs: OptionSpecs<T>,
  required: readonly (keyof T & string)[],
): T {
  for (const key of required) {
    const snake = specs[key].snake;
    if (config[key] === undefined && config[snake] === undefined) {
      throw new TypeError(`${className}: '${key}' (${snake}) is required.`);
    }
  }
  return readOptions<T>(className, config, specs);
}
