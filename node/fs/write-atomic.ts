import { open, rename, rm } from 'node:fs/promises';

/**
 * Writes through a temporary file, flushed to disk, and a rename, so a process killed mid-write
 * never leaves half a file behind: readers see the old content or the new, nothing in between.
 * The temporary name ends in `.tmp` (resumed runs sweep such leftovers away).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
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

/** Pretty-printed JSON, written atomically. */
export function writeJson(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
