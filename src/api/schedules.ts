// `optimizers.schedules` (Keras's `keras.optimizers.schedules`): learning rates that follow the
// optimizer's step count, given as `learningRate` (`optimizers.adam(new
// schedules.CosineDecay({...}))`), `get` for `{className, config}`, and the base class for
// custom schedules.
export {
  CosineDecay,
  ExponentialDecay,
  PiecewiseConstantDecay,
  LearningRateSchedule,
  getSchedule as get,
  serializeSchedule as serialize,
  type CosineDecayConfig,
  type ExponentialDecayConfig,
  type PiecewiseConstantDecayConfig,
  type ScheduleConfig,
  type SerializedSchedule,
} from '../optimizers/schedules/index.js';
