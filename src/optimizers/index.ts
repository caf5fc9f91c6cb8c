import { Adadelta, type AdadeltaConfig } from './adadelta.js';
import { Adagrad, type AdagradConfig } from './adagrad.js';
import { Adam, type AdamConfig } from './adam.js';
import { AdamW, type AdamWConfig } from './adamw.js';
import { Registry } from '../util/options.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, type RMSpropConfig } from './rmsprop.js';
import { LearningRateSchedule } from './schedules/index.js';
import { SGD, type SGDConfig } from './sgd.js';

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
REGISTRY.register('SGD', (c) => new SGD(c as SGDConfig));
REGISTRY.register('RMSprop', (c) => new RMSprop(c as RMSpropConfig));
REGISTRY.register('Adam', (c) => new Adam(c as AdamConfig));
REGISTRY.register('AdamW', (c) => new AdamW(c as AdamWConfig));
REGISTRY.register('Adagrad', (c) => new Adagrad(c as AdagradConfig));
REGISTRY.register('Adadelta', (c) => new Adadelta(c as AdadeltaConfig));

/** Registry names, in Keras's spelling of the class. */
export const OPTIMIZER_NAMES = REGISTRY.names();

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

/** Config, or just the learning rate (a number or a schedule) as in `tf.train.adam(0.01)`. */
function configOf<C>(config: C | number | LearningRateSchedule | undefined): C {
  return (
    typeof config === 'number' || config instanceof LearningRateSchedule
      ? { learningRate: config }
      : (config ?? {})
  ) as C;
}

type RateOr<C> = C | number | LearningRateSchedule;

/** Factories in the style of `tf.train`: `optimizers.adam({ learningRate: 0.01 })`. */
export const optimizers = {
  sgd: (config?: RateOr<SGDConfig>): SGD => new SGD(configOf(config)),
  rmsprop: (config?: RateOr<RMSpropConfig>): RMSprop => new RMSprop(configOf(config)),
  adam: (config?: RateOr<AdamConfig>): Adam => new Adam(configOf(config)),
  adamw: (config?: RateOr<AdamWConfig>): AdamW => new AdamW(configOf(config)),
  adagrad: (config?: RateOr<AdagradConfig>): Adagrad => new Adagrad(configOf(config)),
  adadelta: (config?: RateOr<AdadeltaConfig>): Adadelta => new Adadelta(configOf(config)),
  get: getOptimizer,
  serialize: serializeOptimizer,
};
