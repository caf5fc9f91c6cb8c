// Loading a model over http(s) with fetch: browser-safe (a page's loadModel), and what the Node
// loader uses for URLs. Sizes are bounded by Content-Length and again while streaming; shards
// must live under model.json's folder on the same origin.
import {
  checkModelJson,
  modelFromArtifacts,
  TopologyError,
  type CheckedModelJson,
  type ModelLimits,
} from './layers-format.js';
import type { Model } from './model.js';
import { ModelFormatError } from './model-format-error.js';
import { modelFromJSON } from './index.js';

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

/**
 * Loads a model saved in TF.js's Layers format from a URL to its model.json (relative URLs
 * resolve against the page). What `loadModel` does in a browser.
 */
export async function loadModelFromUrl(
  url: string | URL,
  options: UrlLoadOptions = {},
): Promise<Model> {
  const text = String(url);
  if (/^(indexeddb|localstorage):\/\//i.test(text)) {
    throw new Error(
      `${text}: browser storage is not supported by mnist-lab yet; serve the model folder and load its model.json URL.`,
    );
  }
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const resolved = base ? new URL(text, base) : new URL(text);
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new Error(`${text}: only http(s):// URLs can be fetched.`);
  }
  const { checked, groups } = await readModelFromUrl(resolved, options, options.fetch ?? fetch);
  try {
    const { model, warning } = modelFromArtifacts(checked, groups, modelFromJSON, options);
    if (warning) console.warn(`${resolved.href}: ${warning}`);
    return model;
  } catch (e) {
    if (e instanceof TopologyError) throw new ModelFormatError(resolved.href, e.message);
    throw e;
  }
}
