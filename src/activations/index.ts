// Activation registry: Keras (snake_case) and TF.js (camelCase) spellings.
import type { Tensor } from '../tensor/tensor.js';
import { Registry } from '../util/options.js';
import * as fns from './activations.js';
import type { ActivationFn } from './activations.js';

export type { ActivationFn } from './activations.js';
export {
  elu,
  leakyRelu,
  linear,
  relu,
  relu6,
  sigmoid,
  softmax,
  softplus,
  tanh,
} from './activations.js';

/** Canonical (Keras) names. */
const registry = new Map<string, ActivationFn>([
  ['linear', fns.linear],
  ['relu', fns.relu],
  ['relu6', fns.relu6],
  ['leaky_relu', (x: Tensor) => fns.leakyRelu(x)],
  ['elu', (x: Tensor) => fns.elu(x)],
  ['sigmoid', fns.sigmoid],
  ['tanh', fns.tanh],
  ['softplus', fns.softplus],
  ['softmax', (x: Tensor) => fns.softmax(x)],
]);

const names = new Registry<string>('activation');
for (const name of registry.keys()) names.register(name, name);

/** Valid activation names (Keras spelling). */
export function activationNames(): string[] {
  return names.names();
}

/**
 * The canonical name of an activation identifier ('relu', 'Relu', 'leakyRelu', 'leaky_relu');
 * `null`/`undefined` mean 'linear' (Keras's `activation=None`). Throws, listing the valid
 * names, for an unknown one.
 */
export function canonicalActivation(name: string | null | undefined): string {
  if (name === null || name === undefined) return 'linear';
  return names.get(name);
}

/** The activation function for a name (see `canonicalActivation`). */
export function getActivation(name: string | null | undefined): ActivationFn {
  return registry.get(canonicalActivation(name))!;
}
