import { lstat, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// Anything by that name: the loader then says what is wrong with it (a FIFO, a device, ...).
async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/**
 * The model folder of a run folder (DIR/model/) or a model folder itself (DIR/model.json), as
 * `--run` takes it; http(s):// and file:// URLs pass through to loadModel.
 */
export async function modelDir(run: string): Promise<string> {
  if (/^(https?|file):\/\//i.test(run)) return run;
  const dir = resolve(run);
  const info = await stat(dir).catch(() => undefined);
  const expected =
    'expected a run folder written by `mnist-lab train` (holding model/model.json) or a model folder (holding model.json)';
  if (!info) throw new Error(`--run ${run}: no such folder; ${expected}.`);
  if (!info.isDirectory()) throw new Error(`--run ${run}: not a folder; ${expected}.`);
  if (await exists(join(dir, 'model', 'model.json'))) return join(dir, 'model');
  if (await exists(join(dir, 'model.json'))) return dir;
  throw new Error(`--run ${run}: neither model/model.json nor model.json is there; ${expected}.`);
}
