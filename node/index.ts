// The Node entry (`mnist-lab`): the core, plus the native backend, dataset loaders, model
// files and the callbacks that write files. Namespaces extended here live in node/api/.
import './backend-setup.js';
import './models/index.js'; // installs the file saver behind model.save(dir)

export * from '../src/index.js';
export * as datasets from './api/datasets.js';
export * as callbacks from './api/callbacks.js';
export * as io from './api/io.js';
export { loadModel } from './models/index.js';
export { nativeInfo, type NativeInfo } from './native/isa.js';
export { wasmInfo, type WasmInfo } from './wasm/load.js';
