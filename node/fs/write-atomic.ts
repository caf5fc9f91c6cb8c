import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes through a temporary file and a rename, so a process killed mid-write never leaves half a
 * file behind: readers see the old content or the new, nothing in between.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
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
