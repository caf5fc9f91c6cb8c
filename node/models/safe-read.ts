// Reading files named by an untrusted model.json: each must be a regular file inside the model's
// folder (symlinks resolved first, so one pointing outside is refused before it is opened), of
// the size expected, and is read with a bound known before the read.
import { constants } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { relative, isAbsolute, join, sep } from 'node:path';
import { ModelFormatError } from './model-format-error.js';

/** Why a path that exists is not a regular file, in words. */
function kindOf(s: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
  isSocket(): boolean;
}): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errnoMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found.';
  if (code === 'ELOOP') return 'is a symlink loop.';
  if (code === 'EACCES') return 'permission denied.';
  return (e as Error).message;
}

/** The real path of `name` inside `dir`, refusing anything that resolves outside it. */
export async function containedPath(dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  let realDir: string;
  let real: string;
  try {
    realDir = await realpath(dir);
    real = await realpath(file);
  } catch (e) {
    throw new ModelFormatError(file, errnoMessage(e));
  }
  const rel = relative(realDir, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new ModelFormatError(
      file,
      `resolves to ${real}, outside the model folder ${realDir}; weight files must be inside it.`,
    );
  }
  return real;
}

/**
 * Stats a file without opening it: its size, if it is a regular file. FIFOs, devices and
 * folders are refused by name, before anything could block or stream forever.
 */
export async function regularFileSize(path: string, shown = path): Promise<number> {
  let s;
  try {
    s = await stat(path);
  } catch (e) {
    throw new ModelFormatError(shown, errnoMessage(e));
  }
  if (!s.isFile()) throw new ModelFormatError(shown, `is ${kindOf(s)}, not a regular file.`);
  return s.size;
}

/**
 * Reads a regular file of at most `max` bytes (exactly `expected` when given). Opened without
 * following a final symlink and without blocking, then checked again on the open handle, so a
 * file swapped for a FIFO or device between the stat and the open is still refused.
 */
export async function readBounded(
  path: string,
  shown: string,
  limits: { max: number; expected?: number; what?: string },
): Promise<Uint8Array> {
  let handle;
  try {
    const link = await lstat(path);
    if (link.isSymbolicLink()) path = await realpath(path);
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    throw new ModelFormatError(shown, errnoMessage(e));
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new ModelFormatError(shown, `is ${kindOf(s)}, not a regular file.`);
    if (limits.expected !== undefined && s.size !== limits.expected) {
      throw new ModelFormatError(
        shown,
        `has ${s.size} bytes, but ${limits.what ?? 'the manifest'} describes ${limits.expected}.`,
      );
    }
    if (s.size > limits.max) {
      throw new ModelFormatError(
        shown,
        `is ${s.size} bytes, more than the limit of ${limits.max}.`,
      );
    }
    const buf = new Uint8Array(s.size);
    let off = 0;
    while (off < buf.byteLength) {
      const { bytesRead } = await handle.read(buf, off, buf.byteLength - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    if (off !== buf.byteLength)
      throw new ModelFormatError(shown, `changed while being read (${off} of ${s.size} bytes).`);
    return buf;
  } finally {
    await handle.close();
  }
}
