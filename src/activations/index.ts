// Activation registry: Keras (snake_case) and TF.js (camelCase) spellings.
import type { Tensor } from '../tensor/tensor.js';
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
  silu,
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
  ['silu', fns.silu],
  ['softmax', (x: Tensor) => fns.softmax(x)],
]);

const aliases = new Map<string, string>([
  ['leakyRelu', 'leaky_relu'],
  ['leakyrelu', 'leaky_relu'],
  // Keras 3 exports silu as swish too, and serialises both as 'silu'.
  ['swish', 'silu'],
]);

/** Valid activation names (Keras spelling). */
export function activationNames(): string[] {
  return [...registry.keys()];
}

/**
 * The canonical name of an activation identifier; `null`/`undefined` mean 'linear' (Keras's
 * `activation=None`). Throws, listing the valid names, for an unknown one.
 */
export function canonicalActivation(name: string | null | undefined): string {
  if (name === null || name === undefined) return 'linear';
  const key = aliases.get(name) ?? name;
  if (!registry.has(key)) {
    throw new Error(
      `Unknown activation '${name}'. Valid activations: ${[...registry.keys(), ...aliases.keys()].join(', ')}.`,
    );
  }
  return key;
}

/** The activation function for a name (see `canonicalActivation`). */
export function getActivation(name: string | null | undefined): ActivationFn {
  return registry.get(canonicalActivation(name))!;
}
