import { crc32 } from '../src/data/crc32.js';
import { modelFromJSON, type Model } from '../src/models/index.js';
import { decodeWeight, MODEL_FORMAT, type ModelJson } from '../node/models/model-format.js';

const MAX_WEIGHTS_BYTES = 256 * 1024 * 1024;

/** A saved run's model (model.json + weights.bin over HTTP), checked as loadModel checks files. */
export async function fetchModel(runId: string): Promise<Model> {
  const base = `/files/${runId.split('/').map(encodeURIComponent).join('/')}/model/`;
  const res = await fetch(`${base}model.json`);
  if (!res.ok) throw new Error(`${runId} has no saved model (${res.status}).`);
  const json = (await res.json()) as ModelJson;
  if (json?.format !== MODEL_FORMAT || !json.modelTopology) {
    throw new Error(`${runId}/model/model.json is not an mnist-lab model with a topology.`);
  }
  if (!(json.weightsByteLength >= 0 && json.weightsByteLength <= MAX_WEIGHTS_BYTES)) {
    throw new Error(`${runId}: weightsByteLength ${json.weightsByteLength} is out of range.`);
  }
  if (!/^[\w.-]+$/.test(json.weightsFile)) throw new Error(`${runId}: bad weightsFile name.`);
  const bin = new Uint8Array(await (await fetch(`${base}${json.weightsFile}`)).arrayBuffer());
  if (bin.byteLength !== json.weightsByteLength || crc32(bin) !== json.weightsCrc32 >>> 0) {
    throw new Error(`${runId}: weights.bin does not match model.json (size or CRC-32).`);
  }
  let expected = 0;
  for (const w of json.weightsManifest) {
    if (w.offset !== expected || w.byteLength !== w.shape.reduce((a, b) => a * b, 1) * 4) {
      throw new Error(`${runId}: weight '${w.name}' is inconsistent in model.json.`);
    }
    expected += w.byteLength;
  }
  const model = modelFromJSON(json.modelTopology);
  model.setWeights(json.weightsManifest.map((w) => decodeWeight(bin, w)));
  return model;
}
