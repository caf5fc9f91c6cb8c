import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Thrown for any path that is not a file or folder inside the served root. */
export class OutsideRootError extends Error {
  constructor(what: string) {
    super(`${what} is not inside the served folder.`);
  }
}

/** True when `child` (resolved) is `root` or inside it. */
function within(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

/**
 * Resolves a client-given relative path against the served root and checks, after following
 * symlinks, that it stays inside. Rejects absolute paths, '..' segments, NUL bytes, dot files and
 * backslashes before touching the disk.
 */
export async function resolveInside(root: string, rel: string): Promise<string> {
  if (
    typeof rel !== 'string' ||
    rel.length > 1024 ||
    rel.includes('\0') ||
    rel.includes('\\') ||
    rel.startsWith('/') ||
    rel.split('/').some((s) => s === '..' || s.startsWith('.'))
  ) {
    throw new OutsideRootError(`'${String(rel).slice(0, 80)}'`);
  }
  const realRoot = await realpath(root);
  const candidate = resolve(realRoot, rel);
  if (!within(realRoot, candidate)) throw new OutsideRootError(`'${rel}'`);
  const real = await realpath(candidate); // ENOENT propagates: the caller answers 404
  if (!within(realRoot, real)) throw new OutsideRootError(`'${rel}'`);
  return real;
}

/** A file inside the root, or null when it is missing (not inside, or not a file, throws). */
export async function fileInside(root: string, rel: string): Promise<string | null> {
  try {
    const p = await resolveInside(root, rel);
    return (await stat(p)).isFile() ? p : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
