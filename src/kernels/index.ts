/**
 * The kernel layer's entry point: the contract's types, the backend registry, and the `js`
 * reference backend, registered on import at priority 0 so any faster backend outranks it. In
 * a browser the `wasm` backend starts loading too: `await ready()` makes it the default.
 */
import { JsBackend } from './js/js-backend.js';
import { registerBackend, registerBackendLoader } from './registry.js';
import { loadWasmFromUrl } from './wasm/browser.js';

export type {
  Backend,
  BinaryOp,
  ConvGeometry,
  EpilogueActivation,
  FloatArray,
  GemmOptions,
  OptimizerUpdate,
  PoolGeometry,
  ReduceOp,
  UnaryOp,
} from './backend.js';
export { dropoutUniform } from './backend.js';
export {
  backendName,
  findBackend,
  getBackend,
  registerBackend,
  ready,
  registeredBackends,
  setBackend,
} from './registry.js';
export { JsBackend };

export const jsBackend = new JsBackend();
registerBackend(jsBackend, 0);

// Browsers (pages and workers); Node has its own order (node/backend-setup.ts).
const g = globalThis as { document?: unknown; importScripts?: unknown; process?: unknown };
if (g.process === undefined && (g.document !== undefined || g.importScripts !== undefined)) {
  registerBackendLoader(5, () => loadWasmFromUrl());
}
