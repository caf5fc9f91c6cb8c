import type { SaveOptions } from './layers-format.js';
import type { Model } from './model.js';

/**
 * Writes and reads models on disk. The core is browser-safe and has none; the Node entry
 * (node/models) registers one on import, which is what makes `model.save(dir)` work.
 */
export interface ModelSaver {
  save(model: Model, dir: string, options?: SaveOptions): Promise<void>;
  saveWeights(model: Model, dir: string): Promise<void>;
  loadWeights(model: Model, dir: string): Promise<void>;
}

let saver: ModelSaver | null = null;

export function registerModelSaver(s: ModelSaver | null): void {
  saver = s;
}

/** Targets any environment can use without a registered saver: browser storage and http(s). */
let urlSaver: ModelSaver | null = null;

/** Installs the saver for URL targets (src/models does, with the browser-safe one). */
export function registerUrlSaver(s: ModelSaver): void {
  urlSaver = s;
}

const URL_TARGET = /^(localstorage|indexeddb|https?):\/\//i;

/** The registered saver; URLs without one go to the URL saver; else a clear error. */
export function requireModelSaver(what: string, target: string): ModelSaver {
  if (saver) return saver;
  if (urlSaver && URL_TARGET.test(target)) return urlSaver;
  throw new Error(
    `${what} writes files, which needs Node: import the Node entry ('mnist-lab', or node/models) ` +
      'to install the file saver, or register one with registerModelSaver(). In a browser, save to ' +
      'localstorage://NAME, indexeddb://NAME or an http(s):// URL.',
  );
}
