// The `optimizers` namespace: one factory per optimizer (`optimizers.adam({ learningRate })`,
// or just a learning rate: `optimizers.adam(0.01)`), `get` for names, the base class, and the
// learning-rate schedules (Keras's `keras.optimizers.schedules`).
import { optimizers } from '../optimizers/index.js';

export const { sgd, rmsprop, adam, adamw, adagrad, adadelta } = optimizers;
export * as schedules from './schedules.js';
export {
  getOptimizer as get,
  serializeOptimizer as serialize,
  OPTIMIZER_NAMES as names,
  Optimizer,
  type LearningRate,
  type OptimizerConfig,
  type OptimizerIdentifier,
  type SerializedOptimizer,
} from '../optimizers/index.js';
export type {
  AdadeltaConfig,
  AdagradConfig,
  AdamConfig,
  AdamWConfig,
  RMSpropConfig,
  SGDConfig,
} from '../optimizers/index.js';
