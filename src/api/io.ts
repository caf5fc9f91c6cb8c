// The `io` namespace, browser-safe part: models from JSON and custom layer classes for loading.
// The Node entry adds the file formats.
export { modelFromJSON } from '../models/index.js';
export { registerLayer, type LayerFactory } from '../layers/layer-registry.js';
