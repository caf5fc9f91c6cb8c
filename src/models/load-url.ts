// Models at URLs, browser-safe: http(s) with fetch (what the Node loader uses for URLs too),
// and in a browser localstorage:// and indexeddb:// in TF.js's layouts. Sizes are bounded by
// Content-Length and again while streaming; shards must live under model.json's folder on the
// same origin. Also the saver behind model.save(url) where no file saver is installed.
import { crc32 } from '../data/crc32.js';
import { readStoredModel, storageScheme, writeStoredModel } from './browser-storage.js';
import {
  assignWeights,
  checkModelJson,
  decodeWeights,
  modelArtifacts,
  modelFromArtifacts,
  TopologyError,
  type CheckedModelJson,
  type ModelLimits,
  type SaveOptions,
} from './layers-format.js';
import type { Model } from './model.js';
import { ModelFormatError } from './model-format-error.js';
import type { ModelSaver } from './model-saver.js';
import { modelFromJSON } from './model-from-json.js';

/** Largest model.json read (topologies of big models are a few MB). */
export const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;

export interface UrlLoadOptions extends ModelLimits {
  /** Compile with the saved training config (default true). */
  compile?: boolean;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** One buffer of several, in order. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** GETs `url`, refusing bodies over `max` bytes (by Content-Length and while streaming). */
export async function fetchBounded(
  url: URL,
  max: number,
  fetchFn: typeof fetch = fetch,
): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetchFn(url, { redirect: 'error' });
  } catch (e) {
    throw new ModelFormatError(url.href, `could not be fetched (${(e as Error).message}).`);
  }
  if (!res.ok) throw new ModelFormatError(url.href, `HTTP ${res.status} ${res.statusText}.`);
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > max) {
    await res.body?.cancel();
    throw new ModelFormatError(url.href, `is ${length} bytes, more than the ${max} expected.`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new ModelFormatError(url.href, `is more than the ${max} bytes expected.`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

function parseJson(bytes: Uint8Array, shown: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new ModelFormatError(shown, `not valid JSON (${(e as Error).message}).`);
  }
}

/** model.json and its shards from a URL, checked; the bytes of each manifest group. */
export async function readModelFromUrl(
  url: URL,
  limits: ModelLimits = {},
  fetchFn: typeof fetch = fetch,
): Promise<{ checked: CheckedModelJson; groups: Uint8Array[] }> {
  const json = parseJson(await fetchBounded(url, MAX_MODEL_JSON_BYTES, fetchFn), url.href);
  let checked: CheckedModelJson;
  try {
    checked = checkModelJson(json, limits);
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(url.href, e.message);
    throw e;
  }
  const base = new URL('.', url);
  const groups = [];
  for (const g of checked.groups) {
    const parts: Uint8Array[] = [];
    let left = g.byteLength;
    for (const p of g.paths) {
      const shard = new URL(p, base);
      if (shard.origin !== base.origin || !shard.pathname.startsWith(base.pathname)) {
        throw new ModelFormatError(
          url.href,
          `weight file '${p}' is outside the model's folder ${base.href}.`,
        );
      }
      const bytes = await fetchBounded(shard, left, fetchFn);
      left -= bytes.byteLength;
      parts.push(bytes);
    }
    if (left !== 0) {
      throw new ModelFormatError(
        url.href,
        `the weight files hold ${g.byteLength - left} bytes, but the manifest describes ${g.byteLength}.`,
      );
    }
    groups.push(concatBytes(parts));
  }
  return { checked, groups };
}

/** checkModelJson, its errors naming the file or URL they come from. */
export function checkModelJsonAt(
  json: unknown,
  shown: string,
  limits: ModelLimits,
): CheckedModelJson {
  try {
    return checkModelJson(json, limits);
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(shown, e.message);
    throw e;
  }
}

/** Checked JSON and weight bytes from http(s), localstorage:// or indexeddb://. */
async function readAny(
  url: string,
  options: UrlLoadOptions,
): Promise<{ checked: CheckedModelJson; groups: Uint8Array[]; shown: string }> {
  if (storageScheme(url)) {
    const stored = await readStoredModel(url);
    return {
      checked: checkModelJsonAt(stored.json, url, options),
      groups: [stored.weightData],
      shown: url,
    };
  }
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const resolved = base ? new URL(url, base) : new URL(url);
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new Error(
      `${url}: only http(s)://, localstorage:// and indexeddb:// can be loaded here.`,
    );
  }
  return {
    ...(await readModelFromUrl(resolved, options, options.fetch ?? fetch)),
    shown: resolved.href,
  };
}

/**
 * Loads a model in TF.js's Layers format from a URL to its model.json (relative URLs resolve
 * against the page), or from localstorage://NAME or indexeddb://NAME where TF.js or mnist-lab
 * saved it. What `loadModel` does in a browser.
 */
export async function loadModelFromUrl(url: string, options: UrlLoadOptions = {}): Promise<Model> {
  return modelFromLoaded(await readAny(String(url), options), options);
}

/**
 * The model from a checked model.json and its weight groups, read from `shown`: a warning if it
 * could not be compiled, errors naming `shown`.
 */
export function modelFromLoaded(
  loaded: { checked: CheckedModelJson; groups: Uint8Array[]; shown: string },
  options: { compile?: boolean },
): Model {
  try {
    const { model, warning } = modelFromArtifacts(
      loaded.checked,
      loaded.groups,
      modelFromJSON,
      options,
    );
    if (warning) console.warn(`${loaded.shown}: ${warning}`);
    return model;
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(loaded.shown, e.message);
    throw e;
  }
}

/** model.save(url) without a file saver: browser storage, or an http(s) POST as TF.js's. */
async function saveToUrl(
  model: Model,
  url: string,
  weightsOnly: boolean,
  options: SaveOptions,
): Promise<void> {
  if (!model.built) {
    throw new Error(
      `save(): model '${model.name}' is not built yet, so it has no weights. Call it on data or build(inputShape) first.`,
    );
  }
  const { json, shards } = modelArtifacts(
    model,
    weightsOnly ? null : model.toJSON(),
    crc32,
    options,
  );
  const data = concatBytes(shards.map((s) => s.bytes));
  if (storageScheme(url)) {
    await writeStoredModel(url, json, data);
    return;
  }
  const body = new FormData();
  const posted = {
    ...json,
    weightsManifest: [
      { paths: ['./model.weights.bin'], weights: json.weightsManifest[0]!.weights },
    ],
    mnistLab: { ...json.mnistLab, weightsCrc32: [crc32(data)] },
  };
  body.append(
    'model.json',
    new Blob([JSON.stringify(posted)], { type: 'application/json' }),
    'model.json',
  );
  body.append(
    'model.weights.bin',
    new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }),
    'model.weights.bin',
  );
  const res = await fetch(url, { method: 'POST', body });
  if (!res.ok)
    throw new Error(`save(${url}): the server answered HTTP ${res.status} ${res.statusText}.`);
}

/** The saver for URL targets, used where no file saver is installed (a browser). */
export const urlSaver: ModelSaver = {
  save: (model, url, options = {}) => saveToUrl(model, url, false, options),
  saveWeights: (model, url) => saveToUrl(model, url, true, {}),
  loadWeights: async (model, url) => {
    const { checked, groups, shown } = await readAny(url, {});
    try {
      assignWeights(model, decodeWeights(checked, groups).model, { byPosition: true });
    } catch (e) {
      if (e instanceof TopologyError) throw new ModelFormatError(shown, e.message);
      throw e;
    }
  },
};
