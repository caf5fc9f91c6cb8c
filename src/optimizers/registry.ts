// Every optimizer, declared once. The name registry (`getOptimizer`, the format loaders), the
// CLI's choices and the public factories (`optimizers.adam(0.01)`, `train.adam(0.01)`) all
// derive from OPTIMIZER_CLASSES; adding an optimizer is its class file plus one entry here.
// This module exports only the public factories and config types (src/api re-exports it whole);
// the table itself is its default export.
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { RMSprop } from './rmsprop.js';
import { LearningRateSchedule } from './schedules/index.js';
import { SGD } from './sgd.js';

export type { AdadeltaConfig } from './adadelta.js';
export type { AdagradConfig } from './adagrad.js';
export type { AdamConfig } from './adam.js';
export type { AdamaxConfig } from './adamax.js';
export type { AdamWConfig } from './adamw.js';
export type { LionConfig } from './lion.js';
export type { NadamConfig } from './nadam.js';
export type { RMSpropConfig } from './rmsprop.js';
export type { SGDConfig } from './sgd.js';

/** An optimizer class: built from a config (TF.js camelCase or Keras snake_case keys). */
type OptimizerClass = new (config?: never) => Optimizer;

/** The optimizer classes under their factory names (tf.train's spelling). */
const OPTIMIZER_CLASSES = {
  sgd: SGD,
  rmsprop: RMSprop,
  adam: Adam,
  adamw: AdamW,
  adagrad: Adagrad,
  adadelta: Adadelta,
  nadam: Nadam,
  adamax: Adamax,
  lion: Lion,
} satisfies Record<string, OptimizerClass>;
export default OPTIMIZER_CLASSES;

/** Factory names: `optimizers.<name>`, `train.<name>` and the CLI's `--optimizer <name>`. */
export type OptimizerName = keyof typeof OPTIMIZER_CLASSES;

type ConfigOf<K extends OptimizerName> = NonNullable<
  ConstructorParameters<(typeof OPTIMIZER_CLASSES)[K]>[0]
>;
type RateOr<C> = C | number | LearningRateSchedule;
type Factories = {
  [K in OptimizerName]: (
    config?: RateOr<ConfigOf<K>>,
  ) => InstanceType<(typeof OPTIMIZER_CLASSES)[K]>;
};

/** Config, or just the learning rate (a number or a schedule) as in `tf.train.adam(0.01)`. */
function configOf(config: unknown): object {
  return typeof config === 'number' || config instanceof LearningRateSchedule
    ? { learningRate: config }
    : ((config as object | undefined) ?? {});
}

const FACTORIES = Object.fromEntries(
  Object.entries(OPTIMIZER_CLASSES).map(([name, Class]) => [
    name,
    (config?: unknown) => new (Class as new (c: object) => Optimizer)(configOf(config)),
  ]),
) as Factories;

// The public factories; index.ts checks that every OptimizerName is exported here.
export const { sgd, rmsprop, adam, adamw, adagrad, adadelta, nadam, adamax, lion } = FACTORIES;
