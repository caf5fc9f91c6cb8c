import type { RunRecord } from '../../src/experiments/run-record.js';
import type { PlannedRun } from '../../src/experiments/sweep-plan.js';

/**
 * A queued run: which sweep folder (relative to the shared --store) and which run, and the run's
 * `train` flags. Plain data only: a worker parses the flags with the CLI's own parsers and never
 * runs anything a job names.
 */
export interface QueueJobData {
  v: 1;
  /** The sweep folder, relative to the store, '/'-separated. */
  sweep: string;
  run: Omit<PlannedRun, 'flags'>;
  /** `train` flags (see cli/train-args.ts). */
  args: string[];
}

/** Epoch progress, as the worker reports it through BullMQ's job progress. */
export interface QueueProgress {
  epoch: number;
  logs: Record<string, number>;
  seconds: number;
}

/** BullMQ job ids may not hold ':'; run ids are [a-z0-9._-]. */
export function jobId(sweepKey: string, runId: string): string {
  return `${sweepKey}.${runId}`;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,199}$/;
const SEGMENT = /^[\w.@+-]{1,255}$/;
const MAX_SETTING = 32;

function fail(what: string): never {
  throw new Error(`not a mnist-lab sweep job: ${what}.`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const wholeNumber = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Checks a job's payload before anything is allocated or written for it. */
export function checkJobData(data: unknown): QueueJobData {
  if (!isRecord(data)) fail('its data is not an object');
  if (data['v'] !== 1) fail(`unknown job version ${JSON.stringify(data['v'])}`);
  const sweep = data['sweep'];
  if (typeof sweep !== 'string' || sweep.length > 1000) fail('no sweep folder');
  const parts = sweep.split('/');
  if (parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) {
    fail(`the sweep folder '${sweep}' is not a plain relative path`);
  }
  const run = data['run'];
  if (!isRecord(run)) fail('no run');
  const { id, settingId, setting, repeat, seed } = run;
  if (typeof id !== 'string' || !ID.test(id)) fail('the run id is not folder-safe');
  if (typeof settingId !== 'string' || !ID.test(settingId)) fail('bad setting id');
  if (!wholeNumber(repeat) || !wholeNumber(seed)) fail('bad repeat or seed');
  if (!isRecord(setting) || Object.keys(setting).length > MAX_SETTING) fail('bad setting');
  for (const [k, v] of Object.entries(setting)) {
    if (k.length > 100 || typeof v !== 'string' || v.length > 200) fail('bad setting');
  }
  if (!Array.isArray(data['args'])) fail('no train flags');
  return {
    v: 1,
    sweep,
    run: { id, settingId, setting: setting as Record<string, string>, repeat, seed },
    args: data['args'] as string[],
  };
}

/** Checks what a worker sent back is a record of the run that was asked for. */
export function checkRecord(value: unknown, runId: string): RunRecord {
  if (!isRecord(value) || value['id'] !== runId) {
    throw new Error(`the worker's answer for run ${runId} is not its run record`);
  }
  if (value['status'] !== 'ok' && value['status'] !== 'failed') {
    throw new Error(`the worker's record for run ${runId} has no status`);
  }
  if (!isRecord(value['history']) || !isRecord(value['spec'])) {
    throw new Error(`the worker's record for run ${runId} is incomplete`);
  }
  return value as unknown as RunRecord;
}

export function checkProgress(value: unknown): QueueProgress | null {
  if (!isRecord(value) || !wholeNumber(value['epoch']) || !isRecord(value['logs'])) return null;
  const logs: Record<string, number> = {};
  for (const [k, v] of Object.entries(value['logs'])) if (typeof v === 'number') logs[k] = v;
  const seconds = typeof value['seconds'] === 'number' ? value['seconds'] : 0;
  return { epoch: value['epoch'], logs, seconds };
}
