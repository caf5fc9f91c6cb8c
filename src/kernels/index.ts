/**
 * The kernel layer's entry point: the contract's types, the backend registry, and the `js`
 * reference backend, registered on import at priority 0 so any faster backend outranks it.
 */
import { JsBackend } from './js/js-backend.js';
import { registerBackend } from './registry.js';

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
  registeredBackends,
  setBackend,
} from './registry.js';
export { JsBackend };

export const jsBackend = new JsBackend();
registerBackend(jsBackend, 0);
