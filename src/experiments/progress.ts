import { Callback, type Logs } from '../callbacks/callback.js';

/**
 * progress.jsonl: what a training run appends to its folder while it trains, one JSON event a
 * line, so a viewer (`mnist-lab serve`) can follow a run started anywhere. Times are Unix ms;
 * epochs and batches count from 0, as callbacks see them.
 */
export type ProgressEvent =
  | {
      type: 'begin';
      t: number;
      pid: number;
      hostname: string;
      epochs: number;
      /** The epoch training starts from (> 0 when resuming). */
      initialEpoch: number;
      steps: number;
      samples: number;
      batchSize: number;
      metrics: string[];
    }
  | { type: 'batch'; t: number; epoch: number; batch: number; steps: number; logs: Logs }
  | { type: 'epoch'; t: number; epoch: number; epochs: number; seconds: number; logs: Logs }
  | { type: 'end'; t: number; epochs: number; stopped: boolean };

export const PROGRESS_FILE = 'progress.jsonl';

/** At most this many batch events a second: enough for a live curve, small on disk. */
export const PROGRESS_BATCH_RATE = 4;

/** Where a ProgressReporter's events come from, as its 'begin' event says. */
export interface ProgressOrigin {
  pid: number;
  hostname: string;
}

/**
 * A callback that turns fit's progress into ProgressEvents for `sink`: 'begin', batch losses at
 * most `batchRate` a second (the first batch of each epoch always, so a viewer has a pace from
 * the start; the last one comes with the epoch), every epoch's logs, and 'end'. The Node side
 * appends them to progress.jsonl; the page's in-browser trainer posts them to the page.
 */
export class ProgressReporter extends Callback {
  private lastBatch = 0;
  private epoch = 0;
  private epochStart = 0;
  private epochsDone = 0;

  constructor(
    private readonly sink: (event: ProgressEvent) => void,
    private readonly origin: ProgressOrigin,
    private readonly options: { initialEpoch?: number; batchRate?: number } = {},
  ) {
    super();
  }

  override onTrainBegin(): void {
    this.epochsDone = 0;
    const p = this.params;
    this.sink({
      type: 'begin',
      t: Date.now(),
      ...this.origin,
      epochs: p.epochs,
      initialEpoch: this.options.initialEpoch ?? 0,
      steps: p.steps,
      samples: p.samples,
      batchSize: p.batchSize,
      metrics: p.metrics,
    });
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const now = Date.now();
    const rate = this.options.batchRate ?? PROGRESS_BATCH_RATE;
    if (batch > 0 && now - this.lastBatch < 1000 / rate) return;
    this.lastBatch = now;
    this.sink({ type: 'batch', t: now, epoch: this.epoch, batch, steps: this.params.steps, logs });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epochsDone++;
    this.sink({
      type: 'epoch',
      t: Date.now(),
      epoch,
      epochs: this.params.epochs,
      seconds: (performance.now() - this.epochStart) / 1000,
      logs,
    });
  }

  override onTrainEnd(): void {
    this.sink({
      type: 'end',
      t: Date.now(),
      epochs: this.epochsDone,
      stopped: this.epoch + 1 < this.params.epochs,
    });
  }
}

/**
 * Parses complete lines of a progress log; a torn or foreign line is skipped, not fatal (the
 * writer may be mid-line, and the file is read while it grows).
 */
export function parseProgress(text: string): ProgressEvent[] {
  const out: ProgressEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as ProgressEvent;
      if (e && typeof e === 'object' && typeof e.type === 'string' && typeof e.t === 'number') {
        out.push(e);
      }
    } catch {
      // A partial last line: the next read completes it.
    }
  }
  return out;
}

/** What a viewer shows of a run in progress, folded from its events. */
export interface ProgressState {
  epochs: number;
  steps: number;
  /** Epoch and batch last reported (0-based). */
  epoch: number;
  batch: number;
  startedAt: number;
  updatedAt: number;
  /** Fraction of all batches done, in [0, 1]. */
  done: number;
  /** Seconds left at the pace so far; null until a batch has been timed. */
  secondsLeft: number | null;
  ended: boolean;
  pid: number | null;
  hostname: string | null;
  batches: { step: number; loss: number }[];
  history: Record<string, number[]>;
}

/** Folds events (from the last 'begin' on) into the state a page shows. */
export function foldProgress(events: readonly ProgressEvent[]): ProgressState | null {
  let begin = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.type === 'begin') {
      begin = i;
      break;
    }
  }
  if (begin < 0) return null;
  const b = events[begin] as Extract<ProgressEvent, { type: 'begin' }>;
  const s: ProgressState = {
    epochs: b.epochs,
    steps: b.steps,
    epoch: b.initialEpoch,
    batch: -1,
    startedAt: b.t,
    updatedAt: b.t,
    done: 0,
    secondsLeft: null,
    ended: false,
    pid: b.pid,
    hostname: b.hostname,
    batches: [],
    history: {},
  };
  for (const e of events.slice(begin + 1)) {
    s.updatedAt = e.t;
    if (e.type === 'batch') {
      s.epoch = e.epoch;
      s.batch = e.batch;
      const loss = e.logs['loss'];
      if (loss !== undefined) s.batches.push({ step: e.epoch * b.steps + e.batch + 1, loss });
    } else if (e.type === 'epoch') {
      s.epoch = e.epoch;
      s.batch = b.steps - 1;
      for (const [k, v] of Object.entries(e.logs)) (s.history[k] ??= []).push(v);
    } else if (e.type === 'end') {
      s.ended = true;
    }
  }
  const total = (b.epochs - b.initialEpoch) * b.steps;
  const finished = (s.epoch - b.initialEpoch) * b.steps + s.batch + 1;
  s.done = total > 0 ? Math.min(1, Math.max(0, finished / total)) : 1;
  if (finished > 0 && !s.ended) {
    s.secondsLeft = ((s.updatedAt - s.startedAt) / 1000 / finished) * (total - finished);
  } else if (s.ended) s.secondsLeft = 0;
  return s;
}
