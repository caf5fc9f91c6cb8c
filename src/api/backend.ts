// Choosing the compute backend, in TF.js's spelling.
import { backendName, setBackend as select } from '../kernels/registry.js';

/** The active backend's name: 'native' or 'js' (TF.js `tf.getBackend()`). */
export function getBackend(): string {
  return backendName();
}

/**
 * Makes `name` the active backend (TF.js `tf.setBackend`); resolves to true. Throws, naming the
 * registered backends, for an unknown name. The switch happens at once; awaiting is optional.
 */
export function setBackend(name: string): Promise<boolean> {
  select(name);
  return Promise.resolve(true);
}

/** Resolves when the active backend is ready (TF.js `tf.ready()`); always at once here. */
export function ready(): Promise<void> {
  return Promise.resolve();
}
