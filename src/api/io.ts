// The `io` namespace, browser-safe part: models from URLs (http(s), and TF.js's
// localstorage:// and indexeddb:// in a browser) and from JSON, and custom layer classes for
// loading. `model.save(url)` writes to the same places. The Node entry adds files and ONNX.
export { modelFromJSON, loadModelFromUrl, ModelFormatError } from '../models/index.js';
export type { LayersModelJson, ModelLimits, SaveOptions, UrlLoadOptions } from '../models/index.js';
export { registerLayer, type LayerFactory } from '../layers/layer-registry.js';
