import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import {
  PROGRESS_FILE,
  foldProgress,
  parseProgress,
  type ProgressEvent,
  type ProgressState,
} from '../src/experiments/progress.js';

/**
 * What the server knows of the run and sweep folders under --dir: found by their files (a run
 * has config.json or progress.jsonl; a sweep has sweep.json), read fresh on each request.
 */

/** Folders this deep under the root are looked at (root/sweeps/<s>/runs/<r> is 4). */
const MAX_DEPTH = 4;
/** Stop looking after this many folders, so a huge --dir cannot stall the server. */
const MAX_FOLDERS = 20000;
/** JSON files larger than this are not read (a run's are a few KB). */
const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** Progress logs are read up to this size (hours of training at the batch rate). */
export const MAX_PROGRESS_BYTES = 32 * 1024 * 1024;
/** A run with no live pid to check counts as running while its files change this recently. */
const STALE_MS = 60_000;

const SKIP = new Set(['node_modules', 'dist', 'model']);

export type RunState = 'running' | 'finished' | 'failed' | 'interrupted';

export interface RunSummary {
  id: string;
  /** The sweep folder holding it, if any. */
  sweep: string | null;
  state: RunState;
  reason: string | null;
  config: Record<string, unknown> | null;
  testAccuracy: number | null;
  testLoss: number | null;
  epochsDone: number;
  epochs: number | null;
  startedAt: number | null;
  updatedAt: number;
  hasModel: boolean;
}

export interface SweepSummary {
  id: string;
  name: string;
  runs: number;
  finished: number;
  updatedAt: number;
}

export interface Found {
  runs: string[];
  sweeps: string[];
}

/** Walks the root breadth-first to MAX_DEPTH, skipping dot folders and models. */
export async function findFolders(root: string): Promise<Found> {
  const runs: string[] = [];
  const sweeps: string[] = [];
  let queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_FOLDERS) {
    const next: typeof queue = [];
    for (const { rel, depth } of queue) {
      if (++seen > MAX_FOLDERS) break;
      let entries;
      try {
        entries = await readdir(join(root, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
      if (rel !== '' && files.has('sweep.json')) sweeps.push(rel);
      if (rel !== '' && (files.has('config.json') || files.has(PROGRESS_FILE))) {
        runs.push(rel);
        continue; // a run holds no runs
      }
      if (depth >= MAX_DEPTH) continue;
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name)) {
          next.push({ rel: rel === '' ? e.name : `${rel}/${e.name}`, depth: depth + 1 });
        }
      }
    }
    queue = next;
  }
  return { runs: runs.sort(), sweeps: sweeps.sort() };
}

/**
 * A JSON file's contents, or null when it is missing, too big, not JSON, or (after symlinks)
 * not inside `root`.
 */
export async function readJson<T = Record<string, unknown>>(
  root: string,
  path: string,
): Promise<T | null> {
  try {
    if (!(await isInside(root, path))) return null;
    const s = await stat(path);
    if (!s.isFile() || s.size > MAX_JSON_BYTES) return null;
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function mtime(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/** Whether `path`, symlinks followed, lies inside `root` (false when it does not exist). */
export async function isInside(root: string, path: string): Promise<boolean> {
  try {
    const [r, p] = await Promise.all([realpath(root), realpath(path)]);
    const rel = relative(r, p);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  } catch {
    return false;
  }
}

/** Reads up to MAX_PROGRESS_BYTES of a progress log from `offset`; returns whole lines only. */
export async function readProgress(
  root: string,
  path: string,
  offset = 0,
): Promise<{ events: ProgressEvent[]; end: number }> {
  let fh;
  try {
    if (!(await isInside(root, path))) return { events: [], end: offset };
    fh = await open(path, 'r');
  } catch {
    return { events: [], end: offset };
  }
  try {
    const size = Math.min((await fh.stat()).size, MAX_PROGRESS_BYTES);
    if (size <= offset) return { events: [], end: offset };
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    const lastNewline = buf.lastIndexOf(10);
    if (lastNewline < 0) return { events: [], end: offset };
    return {
      events: parseProgress(buf.subarray(0, lastNewline + 1).toString('utf8')),
      end: offset + lastNewline + 1,
    };
  } finally {
    await fh.close();
  }
}

/** Whether a process of this machine is alive (EPERM: alive, someone else's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface StatusJson {
  state?: string;
  reason?: string;
  pid?: number;
  hostname?: string;
  epoch?: number;
  epochs?: number;
  startedAt?: string | number;
  updatedAt?: string | number;
}

const toMs = (v: string | number | undefined): number | null =>
  v === undefined ? null : typeof v === 'number' ? v : Date.parse(v) || null;

/**
 * The state of one run: status.json when the run wrote one; otherwise what its files say
 * (metrics.json: finished or failed; a progress log: running while its process lives).
 */
export async function summarizeRun(
  root: string,
  id: string,
  progress?: ProgressState | null,
  runningJob = false,
): Promise<RunSummary> {
  const dir = join(root, id);
  const [config, metrics, status, history, hasModel] = await Promise.all([
    readJson(root, join(dir, 'config.json')),
    readJson<{ test?: { loss: number; accuracy: number }; error?: string }>(
      root,
      join(dir, 'metrics.json'),
    ),
    readJson<StatusJson>(root, join(dir, 'status.json')),
    readJson<{ epoch?: number[] }>(root, join(dir, 'history.json')),
    mtime(join(dir, 'model', 'model.json')).then((t) => t !== null),
  ]);
  const prog =
    progress === undefined
      ? foldProgress((await readProgress(root, join(dir, PROGRESS_FILE))).events)
      : progress;
  const times = await Promise.all(
    ['config.json', 'history.json', 'metrics.json', 'status.json', PROGRESS_FILE].map((f) =>
      mtime(join(dir, f)),
    ),
  );
  const updatedAt = Math.max(0, ...times.filter((t): t is number => t !== null));
  const here = hostname();
  const alive = (pid: number | null | undefined, host: string | null | undefined): boolean =>
    pid != null && (host == null || host === here)
      ? pidAlive(pid)
      : Date.now() - updatedAt < STALE_MS;

  let state: RunState;
  let reason: string | null = null;
  if (runningJob) state = 'running';
  else if (
    status?.state !== undefined &&
    ['running', 'finished', 'failed', 'interrupted'].includes(status.state)
  ) {
    state = status.state as RunState;
    reason = status.reason ?? null;
    if (state === 'running' && !alive(status.pid, status.hostname)) {
      state = 'interrupted';
      reason = 'its process is gone';
    }
  } else if (metrics?.test) state = 'finished';
  else if (metrics?.error !== undefined) {
    state = 'failed';
    reason = metrics.error;
  } else if (prog && alive(prog.pid, prog.hostname)) state = 'running';
  else if (!prog && Date.now() - updatedAt < STALE_MS)
    state = 'running'; // loading data
  else state = 'interrupted';

  const epochsDone = Math.max(history?.epoch?.length ?? 0, prog?.history['loss']?.length ?? 0);
  const epochs =
    typeof status?.epochs === 'number'
      ? status.epochs
      : (prog?.epochs ?? (typeof config?.['epochs'] === 'number' ? config['epochs'] : null));
  const slash = id.lastIndexOf('/runs/');
  return {
    id,
    sweep: slash > 0 ? id.slice(0, slash) : null,
    state,
    reason,
    config,
    testAccuracy: metrics?.test?.accuracy ?? null,
    testLoss: metrics?.test?.loss ?? null,
    epochsDone,
    epochs,
    startedAt: toMs(status?.startedAt) ?? prog?.startedAt ?? times[0] ?? null,
    updatedAt,
    hasModel,
  };
}

export async function summarizeSweep(root: string, id: string): Promise<SweepSummary> {
  const dir = join(root, id);
  const plan = await readJson<{ name?: string; runs?: unknown[] }>(root, join(dir, 'sweep.json'));
  const results = await readJson<{ runs?: unknown[]; planned?: number }>(
    root,
    join(dir, 'results.json'),
  );
  const done = Array.isArray(results?.runs) ? results.runs.length : 0;
  const times = await Promise.all(['sweep.json', 'results.json'].map((f) => mtime(join(dir, f))));
  return {
    id,
    name: typeof plan?.name === 'string' ? plan.name : id.split('/').pop()!,
    runs: Array.isArray(plan?.runs) ? plan.runs.length : (results?.planned ?? 0),
    finished: done,
    updatedAt: Math.max(0, ...times.filter((t): t is number => t !== null)),
  };
}

/** The figure and report files a run may hold (issue 14's evaluation), those present. */
export const RUN_FILES = [
  'evaluation.json',
  'confusion-matrix.svg',
  'confusion-matrix.png',
  'misclassified.svg',
  'misclassified.png',
  'report.md',
  'history.csv',
] as const;

export async function presentFiles(dir: string, names: readonly string[]): Promise<string[]> {
  const t = await Promise.all(names.map((n) => mtime(join(dir, n))));
  return names.filter((_, i) => t[i] !== null);
}
