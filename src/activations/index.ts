// Activation registry, derived from the functions of activations.ts: each is registered under
// its Keras (snake_case) name, and its camelCase export name is accepted as an alias (TF.js).
import type { Tensor } from '../tensor/tensor.js';
import { Registry, snakeCase } from '../util/options.js';
import * as fns from './activations.js';
import type { ActivationFn } from './activations.js';

export * from './activations.js';

/** Canonical (Keras) names; each function is called with its own (Keras) defaults. */
const registry = new Map<string, ActivationFn>();
for (const [name, fn] of Object.entries(fns) as [string, unknown][]) {
  if (typeof fn !== 'function') continue;
  registry.set(snakeCase(name), (x: Tensor) => (fn as (x: Tensor) => Tensor)(x));
}

// Keras 3 exports silu as swish too, and serialises both as 'silu'. Other spellings
// ('leakyRelu', 'LeakyReLU') are the same name under the registry's one rule.
const ALIASES: Readonly<Record<string, readonly string[]>> = { silu: ['swish'] };
const names = new Registry<string>('activation');
for (const name of registry.keys()) names.register(name, name, ALIASES[name] ?? []);

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
