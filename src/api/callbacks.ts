// The `callbacks` namespace (TF.js `tf.callbacks`): factories, and the base class for custom
// callbacks. fit() also takes plain objects of hooks ({ onEpochEnd(epoch, logs) {...} }).
import { callbacks } from '../callbacks/index.js';

export const {
  earlyStopping,
  progbarLogger,
  learningRateScheduler,
  reduceLROnPlateau,
  terminateOnNaN,
} = callbacks;
export { Callback, type CallbackParams, type Logs } from '../callbacks/callback.js';
export type { History } from '../callbacks/history.js';
export type { CallbackHooks } from '../callbacks/lambda-callback.js';
export type { EarlyStoppingArgs } from '../callbacks/early-stopping.js';
export type { ProgbarLoggerOptions } from '../callbacks/progbar-logger.js';
export type {
  EpochSchedule,
  LearningRateSchedulerArgs,
} from '../callbacks/learning-rate-scheduler.js';
export type { ReduceLROnPlateauArgs } from '../callbacks/reduce-lr-on-plateau.js';
export type { TerminateOnNaNArgs } from '../callbacks/terminate-on-nan.js';
