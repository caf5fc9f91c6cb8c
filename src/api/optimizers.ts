// The `optimizers` namespace: one factory per optimizer (`optimizers.adam({ learningRate })`,
// or just a learning rate: `optimizers.adam(0.01)`), `get` for names, the base class.
import { optimizers } from '../optimizers/index.js';

export const { sgd, rmsprop, adam, adagrad, adadelta } = optimizers;
export {
  getOptimizer as get,
  serializeOptimizer as serialize,
  OPTIMIZER_NAMES as names,
  Optimizer,
  type OptimizerConfig,
  type OptimizerIdentifier,
  type SerializedOptimizer,
} from '../optimizers/index.js';
export type {
  AdadeltaConfig,
  AdagradConfig,
  AdamConfig,
  RMSpropConfig,
  SGDConfig,
} from '../optimizers/index.js';
