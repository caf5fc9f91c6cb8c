import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../../src/data/crc32.js';
import type { Model } from '../../src/models/index.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  MODEL_JSON,
  WEIGHTS_BIN,
  encodeWeights,
  type ModelJson,
  type WeightEntry,
} from './model-format.js';

/** Writes `data` to `path` via a temporary file and a rename, so readers never see half a file. */
async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function checkBuilt(model: Model, what: string): void {
  if (!model.built) {
    throw new Error(
      `${what}: model '${model.name}' is not built yet, so it has no weights. Call it on data or build(inputShape) first.`,
    );
  }
}

async function write(
  model: Model,
  dir: string,
  topology: ModelJson['modelTopology'],
): Promise<void> {
  const weights = model.weights;
  const manifest: WeightEntry[] = [];
  let offset = 0;
  for (const w of weights) {
    const byteLength = w.size * 4;
    manifest.push({ name: w.name, shape: [...w.shape], dtype: 'float32', offset, byteLength });
    offset += byteLength;
  }
  const bin = encodeWeights(weights.map((w) => w.data));
  const json: ModelJson = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    modelTopology: topology,
    weightsManifest: manifest,
    weightsFile: WEIGHTS_BIN,
    weightsByteLength: bin.byteLength,
    weightsCrc32: crc32(bin),
    trainingConfig: model.trainingConfig,
  };
  await mkdir(dir, { recursive: true });
  // Weights first: model.json (renamed last) holds the CRC of the weights it belongs with.
  await writeAtomic(join(dir, WEIGHTS_BIN), bin);
  await writeAtomic(join(dir, MODEL_JSON), `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Saves topology, weights and training config to `dir` (model.json + weights.bin). Subclassed
 * models have no serialisable topology: as in Keras, save their weights with saveWeights().
 */
export async function saveModel(model: Model, dir: string): Promise<void> {
  checkBuilt(model, 'save()');
  let topology: ModelJson['modelTopology'];
  try {
    topology = model.toJSON();
  } catch (e) {
    throw new Error(`Cannot save model '${model.name}' to ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  await write(model, dir, topology);
}

/** Saves the weights only (model.json with a null topology, plus weights.bin). */
export async function saveWeights(model: Model, dir: string): Promise<void> {
  checkBuilt(model, 'saveWeights()');
  await write(model, dir, null);
}
