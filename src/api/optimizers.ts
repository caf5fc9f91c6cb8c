// The `optimizers` namespace: one factory per optimizer (`optimizers.adam({ learningRate })`,
// or just a learning rate: `optimizers.adam(0.01)`; the list is src/optimizers/registry.ts),
// `get` for names, the base class, and the learning-rate schedules (Keras's
// `keras.optimizers.schedules`).
export * from '../optimizers/registry.js';
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
