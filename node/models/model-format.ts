// The on-disk model format (docs/model-format.md): model.json plus weights.bin.
import type { TrainingConfig } from '../../src/models/index.js';

export const MODEL_FORMAT = 'mnist-lab-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface WeightEntry {
  /** The variable's name, '<layer>/<weight>', e.g. 'dense/kernel'. */
  name: string;
  shape: number[];
  /** Always 'float32' in version 1 (float64 weights are rounded when saved). */
  dtype: 'float32';
  /** Byte offset of the first value in weights.bin. */
  offset: number;
  byteLength: number;
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: number;
  /** `model.toJSON()`; null when only weights were saved (subclassed models). */
  modelTopology: { className: string; config: Record<string, unknown> } | null;
  weightsManifest: WeightEntry[];
  /** File name of the weights, relative to model.json. */
  weightsFile: string;
  /** Size of weights.bin in bytes. */
  weightsByteLength: number;
  /** CRC-32 (IEEE) of weights.bin, to catch a corrupt or mismatched file. */
  weightsCrc32: number;
  /** What compile() was given, or null. */
  trainingConfig: TrainingConfig | null;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Concatenates weight values as little-endian float32. */
export function encodeWeights(values: readonly ArrayLike<number>[]): Uint8Array {
  const total = values.reduce((n, v) => n + v.length, 0);
  const floats = new Float32Array(total);
  let offset = 0;
  for (const v of values) {
    floats.set(v, offset);
    offset += v.length;
  }
  const bytes = new Uint8Array(floats.buffer);
  if (!littleEndian) {
    const view = new DataView(floats.buffer);
    for (let i = 0; i < total; i++) view.setFloat32(i * 4, floats[i]!, true);
  }
  return bytes;
}

/** The float32 values of one manifest entry. */
export function decodeWeight(bin: Uint8Array, entry: WeightEntry): Float32Array {
  const count = entry.byteLength / 4;
  const out = new Float32Array(count);
  const view = new DataView(bin.buffer, bin.byteOffset + entry.offset, entry.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
