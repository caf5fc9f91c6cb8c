// Initializers: classes, TF.js-style factories and a registry by name (snake, camel or class).
import { Registry } from '../util/options.js';
import { Constant } from './constant.js';
import { GlorotNormal } from './glorot-normal.js';
import { GlorotUniform } from './glorot-uniform.js';
import { HeNormal } from './he-normal.js';
import { HeUniform } from './he-uniform.js';
import { Initializer, type SerializedObject } from './initializer.js';
import { LecunNormal } from './lecun-normal.js';
import { LecunUniform } from './lecun-uniform.js';
import { Ones } from './ones.js';
import { RandomNormal } from './random-normal.js';
import { RandomUniform } from './random-uniform.js';
import { TruncatedNormal } from './truncated-normal.js';
import { VarianceScaling, type VarianceScalingArgs } from './variance-scaling.js';
import { Zeros } from './zeros.js';

export { Initializer, type FloatDType, type SerializedObject } from './initializer.js';
export { RandomInitializer } from './random-initializer.js';
export { computeFans } from './compute-fans.js';
export {
  VarianceScaling,
  type VarianceScalingArgs,
  type FanMode,
  type VarianceDistribution,
} from './variance-scaling.js';
export {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  Ones,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  Zeros,
};

/** A name ('glorot_uniform', 'glorotUniform', 'GlorotUniform'), an instance or a serialised one. */
export type InitializerIdentifier = string | Initializer | SerializedObject;

type Seeded = { seed?: number | null };
type Factory = (config: Record<string, unknown>) => Initializer;

const classes = new Registry<Factory>('initializer');

/** Registers an initializer class under its class name (and snake / camel spellings). */
export function registerInitializer(className: string, factory: Factory): void {
  classes.register(className, factory);
}

registerInitializer('Zeros', () => new Zeros());
registerInitializer('Ones', () => new Ones());
registerInitializer('Constant', (c) => new Constant(c as { value?: number }));
registerInitializer('RandomNormal', (c) => new RandomNormal(c as Seeded));
registerInitializer('RandomUniform', (c) => new RandomUniform(c as Seeded));
registerInitializer('TruncatedNormal', (c) => new TruncatedNormal(c as Seeded));
registerInitializer('VarianceScaling', (c) => new VarianceScaling(c as VarianceScalingArgs));
registerInitializer('GlorotUniform', (c) => new GlorotUniform(c as Seeded));
registerInitializer('GlorotNormal', (c) => new GlorotNormal(c as Seeded));
registerInitializer('HeUniform', (c) => new HeUniform(c as Seeded));
registerInitializer('HeNormal', (c) => new HeNormal(c as Seeded));
registerInitializer('LecunUniform', (c) => new LecunUniform(c as Seeded));
registerInitializer('LecunNormal', (c) => new LecunNormal(c as Seeded));

/** Valid initializer names (Keras class spelling). */
export function initializerNames(): string[] {
  return classes.names();
}

/**
 * Resolves an initializer identifier. A name or serialised form makes a new instance (so an
 * unseeded one draws a fresh seed from the global stream); an instance is returned as is.
 */
export function getInitializer(id: InitializerIdentifier): Initializer {
  if (id instanceof Initializer) return id;
  const [name, config] = typeof id === 'string' ? [id, {}] : [id.className, id.config ?? {}];
  return classes.get(name)(config);
}

export function serializeInitializer(init: Initializer): SerializedObject {
  return init.serialize();
}

/** TF.js-style factories: `initializers.glorotUniform({ seed: 1 })`. */
export const initializers = {
  zeros: (): Initializer => new Zeros(),
  ones: (): Initializer => new Ones(),
  constant: (args: { value?: number } = {}): Initializer => new Constant(args),
  randomNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
    new RandomNormal(args),
  randomUniform: (args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer =>
    new RandomUniform(args),
  truncatedNormal: (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer =>
    new TruncatedNormal(args),
  varianceScaling: (args: VarianceScalingArgs = {}): Initializer => new VarianceScaling(args),
  glorotUniform: (args: { seed?: number } = {}): Initializer => new GlorotUniform(args),
  glorotNormal: (args: { seed?: number } = {}): Initializer => new GlorotNormal(args),
  heUniform: (args: { seed?: number } = {}): Initializer => new HeUniform(args),
  heNormal: (args: { seed?: number } = {}): Initializer => new HeNormal(args),
  lecunUniform: (args: { seed?: number } = {}): Initializer => new LecunUniform(args),
  lecunNormal: (args: { seed?: number } = {}): Initializer => new LecunNormal(args),
};
