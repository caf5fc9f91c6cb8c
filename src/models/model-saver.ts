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

/** The registered saver, or a clear error naming what to import. */
export function requireModelSaver(what: string): ModelSaver {
  if (!saver) {
    throw new Error(
      `${what} writes files, which needs Node: import the Node entry ('mnist-lab', or node/models) ` +
        'to install the file saver, or register one with registerModelSaver().',
    );
  }
  return saver;
}
