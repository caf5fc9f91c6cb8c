import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../../src/data/crc32.js';
import { modelFromJSON, type Model } from '../../src/models/index.js';
import { formatShape } from '../../src/tensor/shape.js';
import { ModelFormatError } from './model-format-error.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  MODEL_JSON,
  decodeWeight,
  type ModelJson,
} from './model-format.js';

export interface LoadModelOptions {
  /** Compile with the saved optimizer, loss and metrics (default true, as Keras's load_model). */
  compile?: boolean;
}

/** Reads and checks model.json. */
async function readModelJson(dir: string): Promise<{ json: ModelJson; file: string }> {
  const file = join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFormatError(
      file,
      code === 'ENOENT'
        ? 'not found; is this a folder written by model.save()?'
        : (e as Error).message,
    );
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (e) {
    throw new ModelFormatError(file, `not valid JSON (${(e as Error).message}).`);
  }
  if (json === null || typeof json !== 'object' || json.format !== MODEL_FORMAT) {
    throw new ModelFormatError(file, `not an mnist-lab model (expected format '${MODEL_FORMAT}').`);
  }
  if (json.version !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      file,
      `format version ${String(json.version)} is not supported (this mnist-lab reads version ${MODEL_FORMAT_VERSION}).`,
    );
  }
  if (!Array.isArray(json.weightsManifest) || typeof json.weightsFile !== 'string') {
    throw new ModelFormatError(file, 'weightsManifest or weightsFile is missing.');
  }
  let expected = 0;
  for (const [i, w] of json.weightsManifest.entries()) {
    const size = Array.isArray(w.shape) ? w.shape.reduce((a, b) => a * b, 1) : NaN;
    if (w.dtype !== 'float32' || w.offset !== expected || w.byteLength !== size * 4) {
      throw new ModelFormatError(
        file,
        `weightsManifest entry ${i} ('${String(w.name)}') is inconsistent (dtype ${String(w.dtype)}, offset ${w.offset}, ${w.byteLength} bytes for shape ${JSON.stringify(w.shape)}).`,
      );
    }
    expected += w.byteLength;
  }
  if (json.weightsByteLength !== expected) {
    throw new ModelFormatError(
      file,
      `weightsByteLength ${json.weightsByteLength} does not match the manifest's ${expected} bytes.`,
    );
  }
  return { json, file };
}

/** Reads weights.bin and checks its size and CRC against model.json. */
async function readWeights(dir: string, json: ModelJson): Promise<Uint8Array> {
  const file = join(dir, json.weightsFile);
  let bin: Uint8Array;
  try {
    bin = new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFormatError(file, code === 'ENOENT' ? 'not found.' : (e as Error).message);
  }
  if (bin.byteLength < json.weightsByteLength) {
    throw new ModelFormatError(
      file,
      `truncated: model.json describes ${json.weightsByteLength} bytes of weights, the file has ${bin.byteLength}.`,
    );
  }
  if (bin.byteLength > json.weightsByteLength) {
    throw new ModelFormatError(
      file,
      `has ${bin.byteLength} bytes, more than the ${json.weightsByteLength} that model.json describes.`,
    );
  }
  const crc = crc32(bin);
  if (crc !== json.weightsCrc32 >>> 0) {
    throw new ModelFormatError(
      file,
      `corrupt: CRC-32 is ${crc.toString(16).padStart(8, '0')}, model.json expects ${(json.weightsCrc32 >>> 0).toString(16).padStart(8, '0')}.`,
    );
  }
  return bin;
}

/** Checks the saved weights fit the model one for one, then sets them. */
function assignWeights(model: Model, json: ModelJson, bin: Uint8Array, file: string): void {
  const weights = model.weights;
  const manifest = json.weightsManifest;
  if (weights.length !== manifest.length) {
    throw new ModelFormatError(
      file,
      `holds ${manifest.length} weights, but model '${model.name}' has ${weights.length}` +
        (model.built ? '.' : ' (it is not built: call it on data or build(inputShape) first).'),
    );
  }
  manifest.forEach((entry, i) => {
    const w = weights[i]!;
    if (entry.shape.length !== w.shape.length || entry.shape.some((d, j) => d !== w.shape[j])) {
      throw new ModelFormatError(
        file,
        `weight ${i} '${entry.name}' has shape ${formatShape(entry.shape)}, but the model's weight ${i} '${w.name}' has shape ${formatShape(w.shape)}.`,
      );
    }
  });
  model.setWeights(manifest.map((entry) => decodeWeight(bin, entry)));
}

/**
 * Loads a model written by `model.save(dir)`: rebuilds the topology, sets the weights and (by
 * default) compiles it with the saved training config. Predictions match the saved model's
 * bit for bit.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<Model> {
  const { json, file } = await readModelJson(dir);
  if (!json.modelTopology) {
    throw new ModelFormatError(
      file,
      'holds weights only (saved from a subclassed model): build the model in code and call model.loadWeights(dir).',
    );
  }
  const bin = await readWeights(dir, json);
  let model: Model;
  try {
    model = modelFromJSON(json.modelTopology);
  } catch (e) {
    throw new ModelFormatError(file, (e as Error).message);
  }
  assignWeights(model, json, bin, join(dir, json.weightsFile));
  const tc = json.trainingConfig;
  if (tc && options.compile !== false) {
    try {
      model.compile({ optimizer: tc.optimizer, loss: tc.loss, metrics: tc.metrics });
    } catch (e) {
      // Keras's load_model also warns and returns the model uncompiled.
      console.warn(
        `${file}: the model was loaded but not compiled (${(e as Error).message}); call compile() yourself.`,
      );
    }
  }
  return model;
}

/** Reads the weights of a saved model (or saveWeights folder) into `model`. */
export async function loadWeights(model: Model, dir: string): Promise<void> {
  const { json } = await readModelJson(dir);
  const bin = await readWeights(dir, json);
  assignWeights(model, json, bin, join(dir, json.weightsFile));
}
