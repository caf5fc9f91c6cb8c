// Node-only model persistence. Importing this module installs the file saver behind
// model.save(dir) / saveWeights(dir) / loadWeights(dir).
import { registerModelSaver } from '../../src/models/index.js';
import { loadWeights } from './load-model.js';
import { saveModel, saveWeights } from './save-model.js';

export { loadModel, loadWeights, type LoadModelOptions } from './load-model.js';
export { saveModel, saveWeights } from './save-model.js';
export { ModelFormatError } from './model-format-error.js';
export { exportOnnx, toOnnx, ONNX_OPSET } from './onnx.js';

registerModelSaver({ save: saveModel, saveWeights, loadWeights: (m, dir) => loadWeights(m, dir) });
