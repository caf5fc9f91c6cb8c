// The models API: Model (functional and subclassed), Sequential, their factories, and the hook
// through which the Node entry provides save / load.
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { Layer } from '../layers/layer.js';
import { readOptions } from '../util/options.js';
import '../layers/index.js';
import { urlSaver } from './load-url.js';
import { Model } from './model.js';
import { registerUrlSaver } from './model-saver.js';
import { Sequential, type SequentialArgs } from './sequential.js';

export { Model, type ModelArgs, type EvaluateArgs, type PredictArgs } from './model.js';
export { Sequential, type SequentialArgs } from './sequential.js';
export type { CompileArgs, TrainingConfig } from './compile-args.js';
export {
  FunctionalGraph,
  type GraphConfig,
  type SerializedGraphLayer,
  type TensorRef,
} from './functional-graph.js';
export { registerModelSaver, type ModelSaver } from './model-saver.js';
export { ModelFormatError } from './model-format-error.js';
export { loadModelFromUrl, type UrlLoadOptions } from './load-url.js';
export {
  checkModelJson,
  LAYERS_MODEL_FORMAT,
  SHARD_BYTES,
  type LayersModelJson,
  type SaveOptions,
  type WeightSpec,
  type WeightsGroup,
  type ModelLimits,
} from './layers-format.js';
export { readableMemorySize, type PrintFn } from './summary.js';
export { modelFromJSON } from './model-from-json.js';

registerUrlSaver(urlSaver);

/** A functional model from symbolic inputs and outputs (`tf.model` / `keras.Model`). */
export function model(args: {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}): Model {
  return new Model(readOptions('model()', args, ['inputs', 'outputs', 'name', 'trainable']));
}

/**
 * A Sequential model: `sequential()`, `sequential({ layers: [...] })` (TF.js) or
 * `sequential([...])` (Keras's `Sequential([...])`).
 */
export function sequential(args: SequentialArgs | readonly Layer[] = {}): Sequential {
  if (Array.isArray(args)) return new Sequential({ layers: args as readonly Layer[] });
  return new Sequential(
    readOptions('sequential()', args as SequentialArgs, ['layers', 'name', 'trainable']),
  );
}
