// The `callbacks` namespace (TF.js `tf.callbacks`): factories, and the base class for custom
// callbacks. fit() also takes plain objects of hooks ({ onEpochEnd(epoch, logs) {...} }).
import { callbacks } from '../callbacks/index.js';

export const { earlyStopping, progbarLogger } = callbacks;
export { Callback, type CallbackParams, type Logs } from '../callbacks/callback.js';
export type { History } from '../callbacks/history.js';
export type { CallbackHooks } from '../callbacks/lambda-callback.js';
export type { EarlyStoppingArgs } from '../callbacks/early-stopping.js';
export type { ProgbarLoggerOptions } from '../callbacks/progbar-logger.js';
