// The `io` namespace in Node: the core's, plus model files and ONNX. `model.save(dir)` writes a
// model in TF.js's Layers format; `loadModel(dir)` (also top-level) reads one; `exportOnnx`
// writes ONNX (`toOnnx` gives its bytes).
export * from '../../src/api/io.js';
export { loadModel, exportOnnx, toOnnx, type LoadModelOptions } from '../models/index.js';
