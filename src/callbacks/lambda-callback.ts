import { closest } from '../util/options.js';
import { Callback, type Logs } from './callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/**
 * Hooks as plain functions: TF.js names (`onEpochEnd`, the `callbacks: {...}` object of
 * `model.fit`) or Keras LambdaCallback names (`on_epoch_end`).
 */
export interface CallbackHooks {
  onTrainBegin?: Hook<[logs?: Logs]>;
  onTrainEnd?: Hook<[logs?: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs?: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs?: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs?: Logs]>;
  on_train_begin?: Hook<[logs?: Logs]>;
  on_train_end?: Hook<[logs?: Logs]>;
  on_epoch_begin?: Hook<[epoch: number, logs?: Logs]>;
  on_epoch_end?: Hook<[epoch: number, logs?: Logs]>;
  on_train_batch_begin?: Hook<[batch: number, logs?: Logs]>;
  on_train_batch_end?: Hook<[batch: number, logs?: Logs]>;
}

const KERAS_NAMES: Record<string, keyof CallbackHooks> = {
  on_train_begin: 'onTrainBegin',
  on_train_end: 'onTrainEnd',
  on_epoch_begin: 'onEpochBegin',
  on_epoch_end: 'onEpochEnd',
  on_train_batch_begin: 'onBatchBegin',
  on_train_batch_end: 'onBatchEnd',
};
const TFJS_NAMES = new Set(Object.values(KERAS_NAMES));

/**
 * A callback made of functions (Keras's LambdaCallback, TF.js's CustomCallback). Unknown hook
 * names are rejected, so a misspelt `onEpochEnds` fails loudly instead of never running.
 */
export class LambdaCallback extends Callback {
  private readonly hooks: Partial<Record<keyof CallbackHooks, Hook<unknown[]>>> = {};

  constructor(hooks: CallbackHooks) {
    super();
    for (const [key, fn] of Object.entries(hooks)) {
      if (fn === undefined) continue;
      const name = (TFJS_NAMES.has(key as keyof CallbackHooks) ? key : KERAS_NAMES[key]) as
        keyof CallbackHooks | undefined;
      if (!name) {
        const hint = closest(key, [...TFJS_NAMES, ...Object.keys(KERAS_NAMES)]);
        throw new TypeError(
          `Unknown callback hook '${key}'${hint ? `; did you mean '${hint}'?` : '.'} Hooks: ${[...TFJS_NAMES].join(', ')} (or Keras's ${Object.keys(KERAS_NAMES).join(', ')}).`,
        );
      }
      if (typeof fn !== 'function')
        throw new TypeError(`Callback hook '${key}' must be a function.`);
      if (this.hooks[name]) throw new TypeError(`Callback hook '${name}' is given twice.`);
      this.hooks[name] = fn as Hook<unknown[]>;
    }
  }

  override onTrainBegin(logs?: Logs): void | Promise<void> {
    return this.hooks.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs?: Logs): void | Promise<void> {
    return this.hooks.onTrainEnd?.(logs);
  }
  override onEpochBegin(epoch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  override onBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onBatchBegin?.(batch, logs);
  }
  override onBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}

/** TF.js's name for the same thing: `new CustomCallback({ onEpochEnd })`. */
export const CustomCallback = LambdaCallback;
export type CustomCallback = LambdaCallback;

/** A Callback as is, or a plain object of hooks wrapped in a LambdaCallback. */
export function toCallback(callback: Callback | CallbackHooks): Callback {
  if (callback instanceof Callback) return callback;
  if (callback === null || typeof callback !== 'object') {
    throw new TypeError(`Expected a Callback or an object of hooks, got ${String(callback)}.`);
  }
  return new LambdaCallback(callback);
}

/**
 * What `model.fit({ callbacks })` accepts in TF.js: one callback or hooks object, or a list of
 * them; as a list of Callbacks.
 */
export function toCallbacks(
  callbacks?: Callback | CallbackHooks | readonly (Callback | CallbackHooks)[],
): Callback[] {
  if (callbacks === undefined) return [];
  return (Array.isArray(callbacks) ? callbacks : [callbacks]).map((c) =>
    toCallback(c as Callback | CallbackHooks),
  );
}
