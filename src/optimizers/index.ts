import { Registry } from '../util/options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import OPTIMIZER_CLASSES, * as factories from './registry.js';
import type { OptimizerName } from './registry.js';

export {
  Optimizer,
  type LearningRate,
  type NamedTensor,
  type OptimizerConfig,
} from './optimizer.js';
export { SGD, type SGDConfig } from './sgd.js';
export { RMSprop, type RMSpropConfig } from './rmsprop.js';
export { Adam, type AdamConfig } from './adam.js';
export { AdamW, type AdamWConfig } from './adamw.js';
export { Adagrad, type AdagradConfig } from './adagrad.js';
export { Adadelta, type AdadeltaConfig } from './adadelta.js';
export * from './schedules/index.js';

/** An optimizer as Keras / TF.js serialise it: `{ className: 'Adam', config: {...} }`. */
export interface SerializedOptimizer {
  className: string;
  config?: OptimizerConfig;
}

export type OptimizerIdentifier = string | SerializedOptimizer | Optimizer;

const REGISTRY = new Registry<(config: OptimizerConfig) => Optimizer>('optimizer');
for (const Class of Object.values(OPTIMIZER_CLASSES)) {
  const make = (c: OptimizerConfig): Optimizer =>
    new (Class as new (config: OptimizerConfig) => Optimizer)(c);
  REGISTRY.register(make({}).className, make);
}

/** Registry names, in Keras's spelling of the class. */
export const OPTIMIZER_NAMES = REGISTRY.names();
export type { OptimizerName } from './registry.js';

// Every optimizer has its public factory (a missing one fails to compile).
const everyFactoryExported: Record<OptimizerName, unknown> = factories;
void everyFactoryExported;

/**
 * Keras's `optimizers.get`: a name ('adam', 'SGD', 'RMSprop'; any case) gives a new optimizer
 * with default hyperparameters, `{className, config}` a configured one, and an Optimizer is
 * returned as is.
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return REGISTRY.get(identifier)({});
  if (identifier && typeof identifier === 'object' && 'className' in identifier) {
    return REGISTRY.get(identifier.className)(identifier.config ?? {});
  }
  throw new TypeError(`Could not interpret optimizer identifier: ${String(identifier)}.`);
}

/** `{className, config}` of an optimizer, which `getOptimizer` turns back into an equal one. */
export function serializeOptimizer(optimizer: Optimizer): Required<SerializedOptimizer> {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** Factories in the style of `tf.train`: `optimizers.adam({ learningRate: 0.01 })`. */
export const optimizers = {
  ...(Object.fromEntries(
    Object.keys(OPTIMIZER_CLASSES).map((k) => [k, factories[k as OptimizerName]]),
  ) as Pick<typeof factories, OptimizerName>),
  get: getOptimizer,
  serialize: serializeOptimizer,
};
