import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MAX_IDX_BYTES } from '../../src/data/idx.js';
import { inflatedSha256, maxCompressed } from './data-file.js';

export interface DownloadOptions {
  /** Called with one line per step (for --verbose). */
  log?: (line: string) => void;
  /** Abort a mirror that has not finished after this many ms (default 5 minutes). */
  timeoutMs?: number;
  /** Stand-in for the global fetch (tests). */
  fetch?: typeof fetch;
  /**
   * Most bytes the file may inflate to (default MAX_IDX_BYTES); the download itself is cut off
   * at what that much data can take gzipped, before the checksum is even computed.
   */
  maxBytes?: number;
}

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

/** Marks files still being written; the loaders never read them. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * Downloads `fileName` from the first mirror that serves it intact and stores it at `dest`.
 * The bytes go to a temporary file beside `dest`; they are decompressed if gzipped and the
 * SHA-256 of the decompressed data is checked against `sha256` before the temporary file is
 * renamed into place, so `dest` either holds verified data or does not exist.
 */
export async function downloadVerified(
  mirrors: readonly string[],
  fileName: string,
  dest: string,
  sha256: string,
  options: DownloadOptions = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const doFetch = options.fetch ?? fetch;
  await mkdir(dirname(dest), { recursive: true });
  await removeStalePartials(dirname(dest), basename(dest));
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = new URL(fileName, mirror.endsWith('/') ? mirror : `${mirror}/`).toString();
    const tmp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`;
    log(`downloading ${url}`);
    try {
      const maxBytes = options.maxBytes ?? MAX_IDX_BYTES;
      await fetchToFile(doFetch, url, tmp, options.timeoutMs ?? 300_000, maxCompressed(maxBytes));
      const got = await inflatedSha256(tmp, maxBytes).catch((e: Error) => {
        throw new DownloadError(e.message.replace(tmp, 'the download'));
      });
      if (got !== sha256) {
        throw new DownloadError(`SHA-256 mismatch: expected ${sha256}, got ${got}`);
      }
      await rename(tmp, dest);
      log(`verified and saved ${dest}`);
      return;
    } catch (e) {
      await rm(tmp, { force: true });
      const why = describe(e);
      log(`  failed: ${why}`);
      failures.push(`${url}: ${why}`);
    }
  }
  const offline = failures.every((f) =>
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|fetch failed/.test(f),
  );
  throw new DownloadError(
    `could not download ${fileName}${offline ? ' (no network connection?)' : ''}:\n  ${failures.join('\n  ')}`,
  );
}

async function fetchToFile(
  doFetch: typeof fetch,
  url: string,
  dest: string,
  timeoutMs: number,
  maxBytes: number,
): Promise<void> {
  const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) {
    throw new DownloadError(`HTTP ${res.status} ${res.statusText}`.trim());
  }
  const expected = Number(res.headers.get('content-length') ?? NaN);
  if (expected > maxBytes) {
    await res.body.cancel().catch(() => {});
    throw new DownloadError(
      `the server offers ${expected} bytes, more than the ${maxBytes} this file can be`,
    );
  }
  const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  // Streamed to disk and cut off at the cap: a mirror cannot fill the disk or the memory.
  let received = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes) {
        done(new DownloadError(`the server sent more than the ${maxBytes} bytes this file can be`));
      } else done(null, chunk);
    },
  });
  await pipeline(body, cap, createWriteStream(dest, { flags: 'wx' }));
  if (Number.isFinite(expected)) {
    const { size } = await stat(dest);
    if (size !== expected) {
      throw new DownloadError(`connection closed after ${size} of ${expected} bytes`);
    }
  }
}

/** Temporary files left by a download that was killed. */
async function removeStalePartials(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names
      .filter((n) => n.startsWith(`${base}.`) && n.endsWith(PARTIAL_SUFFIX))
      .map((n) => rm(join(dir, n), { force: true })),
  );
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: unknown }).cause;
  const code =
    cause && typeof cause === 'object' && 'code' in cause ? ` (${String(cause.code)})` : '';
  return `${e.message}${code}`;
}
