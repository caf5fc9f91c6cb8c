import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '../../src/data/data-format-error.js';
import { IdxDecoder, type IdxArray } from '../../src/data/idx.js';

/** What a path holds when it is not a regular file, in words for the error. */
function notAFile(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isCharacterDevice()) return 'is a character device (like /dev/zero), not a file';
  if (st.isBlockDevice()) return 'is a block device, not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

function openError(path: string, e: NodeJS.ErrnoException): DataFormatError {
  switch (e.code) {
    case 'ELOOP':
      return new DataFormatError(path, 'is a symbolic link loop (the link points back to itself)');
    case 'EACCES':
    case 'EPERM':
      return new DataFormatError(path, 'cannot be read (permission denied)');
    case 'ENOENT':
      return new DataFormatError(path, 'does not exist');
    default:
      return new DataFormatError(path, `cannot be read (${e.code ?? e.message})`);
  }
}

/**
 * Whether `path` is there to be read: false when nothing is there, true for a regular file (or a
 * link to one); anything else (a FIFO, a device, a directory, a link loop) is an error naming it,
 * never "not found" and never a read that hangs or never ends.
 */
export async function dataFileExists(path: string): Promise<boolean> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw openError(path, e as NodeJS.ErrnoException);
  }
  const why = notAFile(st);
  if (why) throw new DataFormatError(path, why);
  return true;
}

/**
 * Opens a data file for reading without ever blocking: O_NONBLOCK, so a FIFO swapped in after a
 * check cannot hang the open, then fstat on what was actually opened.
 */
export async function openDataFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw openError(path, e as NodeJS.ErrnoException);
  }
  const st = await handle.stat();
  const why = notAFile(st);
  if (why) {
    await handle.close();
    throw new DataFormatError(path, why);
  }
  return { handle, size: st.size };
}

/** Most bytes a gzip file of data inflating to `inflated` bytes can take (stored blocks, headers). */
export function maxCompressed(inflated: number): number {
  return Math.ceil(inflated * 1.001) + 65536;
}

/**
 * Streams a data file, plain or gzipped (one member or several), into `sink` as it inflates;
 * `sink` throws to stop. The file's size is checked against `maxBytes` before reading, and the
 * stream stops as soon as the sink refuses, so memory and time stay bounded whatever the file.
 */
export async function streamDataFile(
  path: string,
  maxBytes: number,
  sink: (chunk: Uint8Array) => void,
): Promise<void> {
  const { handle, size } = await openDataFile(path);
  try {
    const magic = new Uint8Array(2);
    await handle.read(magic, 0, 2, 0);
    const gz = size >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    const limit = gz ? maxCompressed(maxBytes) : maxBytes;
    if (size > limit) {
      throw new DataFormatError(
        path,
        `is ${size} bytes; ${gz ? 'gzipped, ' : ''}a file of this kind is at most ${limit} bytes`,
      );
    }
    const input = handle.createReadStream({ start: 0, highWaterMark: 1 << 16, autoClose: false });
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        try {
          sink(chunk);
          done();
        } catch (e) {
          done(e as Error);
        }
      },
    });
    try {
      if (gz) await pipeline(input, createGunzip({ chunkSize: 1 << 16 }), out);
      else await pipeline(input, out);
    } catch (e) {
      if (e instanceof DataFormatError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (gz && typeof err.code === 'string' && err.code.startsWith('Z_')) {
        throw new DataFormatError(path, `corrupt gzip data (${err.message})`);
      }
      throw new DataFormatError(path, `cannot be read (${err.code ?? err.message})`);
    }
  } finally {
    await handle.close();
  }
}

/** Reads an IDX file with every bound checked before memory is committed (see IdxDecoder). */
export async function readIdxBounded(
  path: string,
  dims: number,
  maxBytes: number,
): Promise<IdxArray & { sha256: string }> {
  const decoder = new IdxDecoder(path, dims, maxBytes);
  await streamDataFile(path, maxBytes, (chunk) => decoder.push(chunk));
  const { data, shape, raw } = decoder.finish();
  return { data, shape, sha256: createHash('sha256').update(raw).digest('hex') };
}

/** SHA-256 of a file's inflated content (plain files as they are), refusing more than `maxBytes`. */
export async function inflatedSha256(path: string, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  let total = 0;
  await streamDataFile(path, maxBytes, (chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new DataFormatError(path, `inflates to more than ${maxBytes} bytes`);
    }
    hash.update(chunk);
  });
  return hash.digest('hex');
}
