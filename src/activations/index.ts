// Activation registry, derived from the functions of activations.ts: each is registered under
// its Keras (snake_case) name, and its camelCase export name is accepted as an alias (TF.js).
import type { Tensor } from '../tensor/tensor.js';
import * as fns from './activations.js';
import type { ActivationFn } from './activations.js';

export * from './activations.js';

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Canonical (Keras) names; each function is called with its own (Keras) defaults. */
const registry = new Map<string, ActivationFn>();
// Keras 3 exports silu as swish too, and serialises both as 'silu'.
const aliases = new Map<string, string>([
  ['leakyrelu', 'leaky_relu'],
  ['swish', 'silu'],
]);
for (const [name, fn] of Object.entries(fns) as [string, unknown][]) {
  if (typeof fn !== 'function') continue;
  const key = snakeCase(name);
  registry.set(key, (x: Tensor) => (fn as (x: Tensor) => Tensor)(x));
  if (key !== name) aliases.set(name, key);
}

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
