// localstorage:// and indexeddb:// in a browser, in TF.js's own layouts, so a page can save with
// TF.js and load here, or the other way round. Browser-only at run time (no node: imports).
import type { LayersModelJson } from './layers-format.js';
import { ModelFormatError } from './model-format-error.js';

/** The artifacts a storage holds: model.json's fields, with the weights inline. */
export interface StoredModel {
  json: Record<string, unknown>;
  weightData: Uint8Array;
}

// The few DOM storage types used here (the core compiles without the DOM library).
interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
interface Req<T> {
  result: T;
  error: Error | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface Store {
  put(value: unknown): unknown;
  get(key: string): Req<unknown>;
}
interface IDBTransaction {
  objectStore(name: string): Store;
  error: Error | null;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
interface IDBDatabase {
  createObjectStore(name: string, options: { keyPath: string }): unknown;
  transaction(stores: string | string[], mode: 'readonly' | 'readwrite'): IDBTransaction;
  close(): void;
}
interface OpenReq extends Req<IDBDatabase> {
  onupgradeneeded: (() => void) | null;
}

function localStore(): StorageLike {
  const s = (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!s) throw new Error('localstorage:// needs a browser (window.localStorage).');
  return s;
}

function indexedDb(): { open(name: string, version: number): OpenReq } {
  const db = (globalThis as { indexedDB?: { open(name: string, version: number): OpenReq } })
    .indexedDB;
  if (!db) throw new Error('indexeddb:// needs a browser (window.indexedDB).');
  return db;
}

const LS_PREFIX = 'tensorflowjs_models';
const DB_NAME = 'tensorflowjs';
const DB_VERSION = 1;
const MODEL_STORE = 'models_store';
const INFO_STORE = 'model_info_store';
/** The one "path" a stored model's weights have (they are inline, not a file). */
export const STORED_WEIGHTS = 'weights';

export function storageScheme(
  url: string,
): { scheme: 'localstorage' | 'indexeddb'; path: string } | null {
  const m = /^(localstorage|indexeddb):\/\/(.+)$/i.exec(url);
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase() as 'localstorage' | 'indexeddb', path: m[2]! };
}

function lsKeys(
  path: string,
): Record<'info' | 'topology' | 'weightSpecs' | 'weightData' | 'metadata', string> {
  const key = (suffix: string): string => [LS_PREFIX, path, suffix].join('/');
  return {
    info: key('info'),
    topology: key('model_topology'),
    weightSpecs: key('weight_specs'),
    weightData: key('weight_data'),
    metadata: key('model_metadata'),
  };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unbase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function info(json: LayersModelJson, bytes: number): Record<string, unknown> {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(json.modelTopology).length,
    weightSpecsBytes: JSON.stringify(json.weightsManifest[0]?.weights ?? []).length,
    weightDataBytes: bytes,
  };
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDb().open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(MODEL_STORE, { keyPath: 'modelPath' });
      req.result.createObjectStore(INFO_STORE, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened.'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted.'));
  });
}

/** Saves model.json's fields and the weights under `url` (TF.js's layout for that storage). */
export async function writeStoredModel(
  url: string,
  json: LayersModelJson,
  weightData: Uint8Array,
): Promise<void> {
  const where = storageScheme(url)!;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const metadata = {
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
    mnistLab: json.mnistLab,
  };
  if (where.scheme === 'localstorage') {
    const k = lsKeys(where.path);
    const localStorage = localStore();
    try {
      localStorage.setItem(k.info, JSON.stringify(info(json, weightData.byteLength)));
      localStorage.setItem(k.topology, JSON.stringify(json.modelTopology));
      localStorage.setItem(k.weightSpecs, JSON.stringify(specs));
      localStorage.setItem(k.weightData, base64(weightData));
      localStorage.setItem(k.metadata, JSON.stringify(metadata));
    } catch (e) {
      for (const key of Object.values(k)) localStorage.removeItem(key);
      throw new Error(
        `${url}: could not be saved (${(e as Error).message}); localStorage holds a few MB at most, IndexedDB more.`,
      );
    }
    return;
  }
  const db = await openDb();
  try {
    const tx = db.transaction([MODEL_STORE, INFO_STORE], 'readwrite');
    const artifacts = {
      ...metadata,
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: weightData.slice().buffer,
    };
    tx.objectStore(INFO_STORE).put({
      modelPath: where.path,
      modelArtifactsInfo: info(json, weightData.byteLength),
    });
    tx.objectStore(MODEL_STORE).put({
      modelPath: where.path,
      modelArtifacts: artifacts,
      modelArtifactsInfo: info(json, weightData.byteLength),
    });
    await done(tx);
  } finally {
    db.close();
  }
}

/** Reads a model TF.js or mnist-lab saved under `url`, as model.json fields plus weight bytes. */
export async function readStoredModel(url: string): Promise<StoredModel> {
  const where = storageScheme(url)!;
  let a: Record<string, unknown>;
  let weightData: Uint8Array;
  if (where.scheme === 'localstorage') {
    const k = lsKeys(where.path);
    const localStorage = localStore();
    const topology = localStorage.getItem(k.topology);
    if (topology === null) throw new ModelFormatError(url, 'no model is saved there.');
    const parse = (key: string, text: string | null): unknown => {
      try {
        return text === null ? null : JSON.parse(text);
      } catch (e) {
        throw new ModelFormatError(url, `${key} is not valid JSON (${(e as Error).message}).`);
      }
    };
    a = {
      ...((parse(k.metadata, localStorage.getItem(k.metadata)) as Record<string, unknown> | null) ??
        {}),
      modelTopology: parse(k.topology, topology),
      weightSpecs: parse(k.weightSpecs, localStorage.getItem(k.weightSpecs)),
    };
    try {
      weightData = unbase64(localStorage.getItem(k.weightData) ?? '');
    } catch {
      throw new ModelFormatError(url, 'weight_data is not base64.');
    }
  } else {
    const db = await openDb();
    try {
      const tx = db.transaction(MODEL_STORE, 'readonly');
      const req = tx.objectStore(MODEL_STORE).get(where.path);
      const record = await new Promise<unknown>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed.'));
      });
      const artifacts = (record as { modelArtifacts?: Record<string, unknown> } | undefined)
        ?.modelArtifacts;
      if (!artifacts) throw new ModelFormatError(url, 'no model is saved there.');
      a = artifacts;
      const data = artifacts['weightData'];
      const buffers = Array.isArray(data) ? data : [data];
      if (!buffers.every((b) => b instanceof ArrayBuffer))
        throw new ModelFormatError(url, 'weightData is not binary.');
      const parts = (buffers as ArrayBuffer[]).map((b) => new Uint8Array(b));
      weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let off = 0;
      for (const p of parts) {
        weightData.set(p, off);
        off += p.byteLength;
      }
    } finally {
      db.close();
    }
  }
  // model.json's fields; the weights are inline, not files with checksums.
  const rest = { ...a };
  const { weightSpecs, mnistLab } = rest;
  delete rest['weightSpecs'];
  delete rest['weightData'];
  delete rest['mnistLab'];
  const extra =
    mnistLab && typeof mnistLab === 'object'
      ? { mnistLab: { ...(mnistLab as object), weightsCrc32: undefined } }
      : {};
  return {
    json: {
      ...rest,
      ...extra,
      weightsManifest: [{ paths: [STORED_WEIGHTS], weights: weightSpecs }],
    },
    weightData,
  };
}
