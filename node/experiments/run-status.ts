import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeJson } from '../fs/write-atomic.js';
import { ownerAlive } from '../fs/lock.js';

export type RunState = 'running' | 'finished' | 'failed' | 'interrupted';

/**
 * A run folder's status.json, rewritten atomically at each change: what `sweep`, `serve` and
 * users read to know whether a run is alive, done, or can be resumed. `serve` stops a run by
 * sending SIGINT to `pid`.
 */
export interface RunStatus {
  state: RunState;
  /** Why it failed or was interrupted. */
  reason?: string;
  pid: number;
  hostname: string;
  /** Epochs finished. */
  epoch: number;
  epochs: number;
  startedAt: string;
  updatedAt: string;
  /** Whether checkpoint/ holds a state `train --resume` can continue from. */
  checkpoint?: boolean;
  /** The command that continues an interrupted run. */
  resume?: string;
}

export const STATUS_JSON = 'status.json';

export async function writeStatus(
  dir: string,
  status: Omit<RunStatus, 'pid' | 'hostname' | 'updatedAt'>,
): Promise<void> {
  const full: RunStatus = {
    ...status,
    pid: process.pid,
    hostname: hostname(),
    updatedAt: new Date().toISOString(),
  };
  await writeJson(join(dir, STATUS_JSON), full);
}

/**
 * A run's status as it stands: a 'running' status whose process is gone (killed, out of memory,
 * the machine restarted) reads as 'interrupted'. Null when there is no readable status.
 */
export async function readStatus(dir: string): Promise<RunStatus | null> {
  const text = await readFile(join(dir, STATUS_JSON), 'utf8').catch(() => null);
  if (text === null || text.length > 1 << 16) return null;
  let s: RunStatus;
  try {
    s = JSON.parse(text) as RunStatus;
  } catch {
    return null;
  }
  if (typeof s !== 'object' || s === null || typeof s.state !== 'string') return null;
  if (s.state === 'running' && !ownerAlive(s)) {
    return { ...s, state: 'interrupted', reason: `its process (pid ${s.pid}) is gone` };
  }
  return s;
}
