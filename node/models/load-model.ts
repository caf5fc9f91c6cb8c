import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from '../../src/data/crc32.js';
import type { Model } from '../../src/models/index.js';
import { withoutWeights } from '../../src/layers/layer.js';
import { modelFromJSON } from '../../src/models/model-from-json.js';
import {
  assignWeights,
  buildModel,
  decodeWeights,
  TopologyError,
  type CheckedModelJson,
  type ModelLimits,
} from '../../src/models/layers-format.js';
import {
  checkModelJsonAt,
  concatBytes,
  MAX_MODEL_JSON_BYTES,
  modelFromLoaded,
  readModelFromUrl,
} from '../../src/models/load-url.js';
import { ModelFormatError } from './model-format-error.js';
import { containedPath, readBounded, regularFileSize } from './safe-read.js';

export interface LoadModelOptions extends ModelLimits {
  /** Compile with the saved optimizer, loss and metrics (default true, as Keras's load_model). */
  compile?: boolean;
}

/** Where a model lives: a local model.json, or one behind a URL. */
type Source = { kind: 'file'; file: string; dir: string } | { kind: 'http'; url: URL };

/**
 * TF.js's io handler rules: a plain path or file:// in Node (a folder, or its model.json),
 * http(s):// everywhere; indexeddb:// and localstorage:// are browser storage.
 */
export async function resolveSource(pathOrUrl: string, what: 'load' | 'save'): Promise<Source> {
  if (typeof pathOrUrl !== 'string' || pathOrUrl.length === 0) {
    throw new Error(
      `${what === 'load' ? 'loadModel' : 'save'}(): expected a folder path or URL, got ${JSON.stringify(pathOrUrl)}.`,
    );
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(pathOrUrl)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url: new URL(pathOrUrl) };
  if (scheme === 'indexeddb' || scheme === 'localstorage') {
    throw new Error(
      `${pathOrUrl}: ${scheme}:// is browser storage, which Node does not have; use a folder path, file:// or http(s):// here.`,
    );
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new Error(
      `${pathOrUrl}: '${scheme}://' is not a scheme mnist-lab can ${what} (folder paths, file://, http(s)://).`,
    );
  }
  const path = resolve(scheme === 'file' ? fileURLToPath(pathOrUrl) : pathOrUrl);
  if (what === 'save') return { kind: 'file', file: join(path, 'model.json'), dir: path };
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { kind: 'file', file: join(path, 'model.json'), dir: path };
  if (info || path.endsWith('.json')) return { kind: 'file', file: path, dir: dirname(path) };
  return { kind: 'file', file: join(path, 'model.json'), dir: path };
}

function parseJson(bytes: Uint8Array, shown: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ModelFormatError(shown, `not valid JSON (${(e as Error).message}).`);
  }
}

/** model.json of a folder, checked; ENOENT says what a model folder holds. */
async function readLocalJson(
  src: { file: string; dir: string },
  limits: ModelLimits,
): Promise<CheckedModelJson> {
  const size = await regularFileSize(src.file).catch((e: unknown) => {
    if (e instanceof ModelFormatError && /not found/.test(e.message)) {
      throw new ModelFormatError(
        src.file,
        'not found; is this a folder written by model.save() or TF.js?',
      );
    }
    throw e;
  });
  const bytes = await readBounded(src.file, src.file, {
    max: Math.min(size, MAX_MODEL_JSON_BYTES),
  });
  return checkModelJsonAt(parseJson(bytes, src.file), src.file, limits);
}

/**
 * The bytes of each manifest group: every file checked (inside the folder, regular, sizes
 * adding up to what the manifest describes) before any is read.
 */
async function readLocalWeights(
  dir: string,
  file: string,
  checked: CheckedModelJson,
): Promise<Uint8Array[]> {
  const plans = [];
  let index = 0;
  for (const [gi, g] of checked.groups.entries()) {
    const files = [];
    let total = 0;
    for (const p of g.paths) {
      const shown = join(dir, p);
      const real = await containedPath(dir, p);
      const size = await regularFileSize(real, shown);
      files.push({ shown, real, size, crc: checked.crc32?.[index++] });
      total += size;
    }
    if (total !== g.byteLength) {
      throw new ModelFormatError(
        files[0]?.shown ?? file,
        `weightsManifest[${gi}] describes ${g.byteLength} bytes of weights, but its file${files.length > 1 ? 's hold' : ' holds'} ${total}${total < g.byteLength ? ' (truncated?)' : ''}.`,
      );
    }
    plans.push(files);
  }
  return Promise.all(
    plans.map(async (files) => {
      const parts = [];
      for (const f of files) {
        const bytes = await readBounded(f.real, f.shown, {
          max: f.size,
          expected: f.size,
          what: 'its stat',
        });
        if (f.crc !== undefined) {
          const c = crc32(bytes);
          if (c !== f.crc) {
            throw new ModelFormatError(
              f.shown,
              `corrupt: CRC-32 is ${c.toString(16).padStart(8, '0')}, model.json expects ${f.crc.toString(16).padStart(8, '0')}.`,
            );
          }
        }
        parts.push(bytes);
      }
      return concatBytes(parts);
    }),
  );
}

/** Reads and checks a model from a folder, a model.json, file:// or http(s)://. */
async function readModel(
  pathOrUrl: string,
  limits: ModelLimits,
): Promise<{ checked: CheckedModelJson; groups: Uint8Array[]; shown: string }> {
  const src = await resolveSource(pathOrUrl, 'load');
  if (src.kind === 'http')
    return { ...(await readModelFromUrl(src.url, limits)), shown: src.url.href };
  const checked = await readLocalJson(src, limits);
  const groups = await readLocalWeights(src.dir, src.file, checked);
  return { checked, groups, shown: src.file };
}

/**
 * Loads a model saved by `model.save()`, by TF.js (`model.save('file://...')`, downloads,
 * http), or converted from Keras by the tensorflowjs converter (`tfjs_layers_model`); also
 * mnist-lab 0.1's version-1 folders. Weights are matched by name; everything in model.json is
 * checked before anything is allocated. By default the model is compiled with its saved
 * training config, and its optimizer state restored when it was saved.
 */
export async function loadModel(pathOrUrl: string, options: LoadModelOptions = {}): Promise<Model> {
  return modelFromLoaded(await readModel(pathOrUrl, options), options);
}

/**
 * A saved model's layers and shapes for drawing (plot-model): model.json is read and checked,
 * its weight files neither read nor allocated. The model cannot run.
 */
export async function loadTopology(dir: string, limits: ModelLimits = {}): Promise<Model> {
  const src = await resolveSource(dir, 'load');
  if (src.kind === 'http') throw new Error(`${src.url.href}: draw a local model folder.`);
  const checked = await readLocalJson(src, limits);
  try {
    return withoutWeights(() => buildModel(checked, modelFromJSON));
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(src.file, e.message);
    throw e;
  }
}

/**
 * Reads saved weights into `model`, by name; when the names differ (a model rebuilt in code
 * gets fresh automatic names), by position, each with its shape checked.
 */
export async function loadWeights(
  model: Model,
  pathOrUrl: string,
  options: ModelLimits = {},
): Promise<void> {
  const { checked, groups, shown } = await readModel(pathOrUrl, options);
  try {
    assignWeights(model, decodeWeights(checked, groups).model, { byPosition: true });
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(shown, e.message);
    throw e;
  }
}
