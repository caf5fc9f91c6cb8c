import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { unlinkSync } from 'node:fs';

/** Who holds a lock: written into the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Whether process `pid` on this machine is alive (EPERM: alive, someone else's). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `owner` is a live process (on another machine: assumed alive, it cannot be checked). */
export function ownerAlive(owner: Pick<LockOwner, 'pid' | 'hostname'>): boolean {
  return owner.hostname !== hostname() || processAlive(owner.pid);
}

function parseOwner(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.hostname === 'string') {
      return { pid: v.pid, hostname: v.hostname, startedAt: String(v.startedAt ?? '') };
    }
  } catch {
    // Unreadable: treated as stale below.
  }
  return null;
}

export interface Lock {
  path: string;
  /** True when the lock was taken over from a process that had died. */
  tookOver: LockOwner | null;
  release(): Promise<void>;
}

/**
 * Takes an exclusive lock file (created with link(2), which fails if the name exists, so two
 * processes can never both win). A lock whose owner is a dead process on this machine is taken
 * over; a live one makes this throw `busy(owner)`. Released on release() or process exit.
 */
export async function acquireLock(path: string, busy: (owner: LockOwner) => Error): Promise<Lock> {
  const me: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`);
  let tookOver: LockOwner | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw e;
      }
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === null) continue; // released meanwhile
      const owner = parseOwner(text);
      if (owner && ownerAlive(owner)) throw busy(owner);
      // Stale: move it aside atomically (only one contender can), then try again.
      const aside = `${path}.stale.${process.pid}`;
      if (
        await rename(path, aside).then(
          () => true,
          () => false,
        )
      ) {
        const moved = await readFile(aside, 'utf8').catch(() => '');
        await rm(aside, { force: true });
        if (moved !== text) {
          // Someone else's fresh lock moved by mistake: it was theirs, so give up.
          throw busy(parseOwner(moved) ?? { pid: 0, hostname: '?', startedAt: '' });
        }
      }
      tookOver = owner ?? { pid: 0, hostname: '?', startedAt: '' };
    }
  } finally {
    await rm(tmp, { force: true });
  }
  const onExit = (): void => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', onExit);
  return {
    path,
    tookOver,
    release: async () => {
      process.off('exit', onExit);
      await rm(path, { force: true });
    },
  };
}
