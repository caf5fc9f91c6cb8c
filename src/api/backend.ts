// Choosing the compute backend, in TF.js's spelling.
import { backendName, getBackend as active, setBackend as select } from '../kernels/registry.js';

/** The active backend's name: 'native', 'wasm' or 'js' (TF.js `tf.getBackend()`). */
export function getBackend(): string {
  return backendName();
}

/**
 * The instruction set the active backend's kernels run: 'relaxed-simd' or 'simd128' on wasm
 * (the relaxed build where the engine has relaxed SIMD), 'avx512', 'avx2' or 'generic' on
 * native, 'js' on the reference.
 */
export function getBackendIsa(): string {
  return active().isa();
}

/**
 * Makes `name` the active backend (TF.js `tf.setBackend`); resolves to true. Throws, naming the
 * registered backends, for an unknown name, and with the loader's reason for one that did not
 * load (a missing wasm module, a bad MNIST_LAB_WASM_ISA). The switch happens at once; awaiting is optional.
 * In a browser, `await ready()` first: the wasm kernels register once they have loaded.
 */
export function setBackend(name: string): Promise<boolean> {
  select(name);
  return Promise.resolve(true);
}

/**
 * TF.js `tf.ready()`: resolves once the backends still loading (the wasm kernels, in a browser)
 * have loaded or failed, with the active backend's name. In Node every backend is ready at once.
 */
export { ready } from '../kernels/registry.js';
