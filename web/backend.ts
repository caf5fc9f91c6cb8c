import { registeredBackends, setBackend, backendName } from '../src/kernels/index.js';

/**
 * The fastest backend the library offers in this page: wasm when it is registered (it outranks
 * js by priority once loaded), else the js reference.
 */
export function pickBackend(): string {
  if (registeredBackends().includes('wasm') && backendName() !== 'wasm') setBackend('wasm');
  return backendName();
}
