import { readOptions } from '../util/options.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { History } from './history.js';
import { LambdaCallback, type CallbackHooks } from './lambda-callback.js';
import {
  LearningRateScheduler,
  type EpochSchedule,
  type LearningRateSchedulerArgs,
} from './learning-rate-scheduler.js';
import { ProgbarLogger, type ProgbarLoggerOptions } from './progbar-logger.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN, type TerminateOnNaNArgs } from './terminate-on-nan.js';

export { Callback, type CallbackModel, type CallbackParams, type Logs } from './callback.js';
export { History } from './history.js';
export { MonitorCallback, type MonitorMode } from './monitor-callback.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { ProgbarLogger, formatLogValue, type ProgbarLoggerOptions } from './progbar-logger.js';
export {
  LearningRateScheduler,
  type EpochSchedule,
  type LearningRateSchedulerArgs,
} from './learning-rate-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN, type TerminateOnNaNArgs } from './terminate-on-nan.js';
export {
  CustomCallback,
  LambdaCallback,
  toCallback,
  toCallbacks,
  type CallbackHooks,
} from './lambda-callback.js';

/** Factories in the style of `tf.callbacks`: `callbacks.earlyStopping({ patience: 3 })`. */
export const callbacks = {
  earlyStopping: (args?: EarlyStoppingArgs): EarlyStopping => new EarlyStopping(args),
  history: (): History => new History(),
  progbarLogger: (options?: ProgbarLoggerOptions): ProgbarLogger =>
    new ProgbarLogger(
      readOptions('progbarLogger()', options, [
        'verbose',
        'write',
        'isTTY',
        'color',
        'intervalMs',
        'width',
        'now',
        'stage',
      ]),
    ),
  lambda: (hooks: CallbackHooks): LambdaCallback => new LambdaCallback(hooks),
  learningRateScheduler: (
    schedule: EpochSchedule,
    args?: LearningRateSchedulerArgs,
  ): LearningRateScheduler => new LearningRateScheduler(schedule, args),
  reduceLROnPlateau: (args?: ReduceLROnPlateauArgs): ReduceLROnPlateau =>
    new ReduceLROnPlateau(args),
  terminateOnNaN: (args?: TerminateOnNaNArgs): TerminateOnNaN => new TerminateOnNaN(args),
};
