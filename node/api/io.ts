// The `io` namespace in Node: the core's, plus the model files. `model.save(dir)` writes a
// model; `loadModel(dir)` (also top-level) reads one.
export * from '../../src/api/io.js';
export { loadModel, ModelFormatError, type LoadModelOptions } from '../models/index.js';
