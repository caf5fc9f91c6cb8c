import { Callback, type Logs } from './callback.js';

export interface ProgbarLoggerOptions {
  /**
   * 1: a live bar on a terminal (one plain line per epoch elsewhere); 2: one line per epoch;
   * 0: silent. Default: fit's `verbose`.
   */
  verbose?: 0 | 1 | 2;
  /** Output sink (default process.stdout in Node, console.log line by line elsewhere). */
  write?: (text: string) => void;
  /** Whether the sink is a terminal that can redraw a line (default process.stdout.isTTY). */
  isTTY?: boolean;
  /** ANSI bold / colours on the live bar (default: on a TTY unless NO_COLOR is set). */
  color?: boolean;
  /** Least time between two redraws of the live bar, in ms (default 100: at most 10 per second). */
  intervalMs?: number;
  /** Bar width in characters (default 20, Keras's). */
  width?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
  /** 'evaluate' shows one pass without the `Epoch i/n` label, as Keras's evaluate does. */
  stage?: 'fit' | 'evaluate';
}

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

interface ProcessLike {
  stdout?: StdoutLike;
  env?: Record<string, string | undefined>;
}

// Node's process, looked up at run time so the module stays browser-safe.
const proc = (globalThis as { process?: ProcessLike }).process;

/** console.log per complete line (for sinks that cannot take partial lines). */
function consoleWriter(): (text: string) => void {
  let pending = '';
  return (text) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) console.log(line);
  };
}

/** A number as Keras's progress bar shows it: 4 decimals, or 4-digit scientific when tiny. */
export function formatLogValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  // Python's '%.4e': at least two exponent digits, e.g. 1.2346e-05.
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Keras's per-step time: '2s/step', '4ms/step' or '350us/step'. */
function formatStepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

/** Keras's ETA: '1:02:03', '2:05' or '42s'. */
function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds > 3600)
    return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** ' - accuracy: 0.9100 - loss: 0.3012 ...', keys sorted as Keras's logs are. */
function formatLogs(logs: Logs | undefined): string {
  if (!logs) return '';
  return Object.keys(logs)
    .sort()
    .map((k) => ` - ${k}: ${formatLogValue(logs[k]!)}`)
    .join('');
}

/**
 * Keras's progress display. On a terminal (verbose 1): `Epoch 1/5`, then a bar redrawn in place
 * at most every `intervalMs`,
 * `469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - accuracy: 0.9012 - loss: 0.3312 - val_accuracy: ...`,
 * finished with a newline at each epoch end. Not on a terminal, or with verbose 2, exactly one
 * plain line per epoch: `Epoch 1/5 - 469/469 - 2s - 4ms/step - accuracy: 0.9012 - loss: ...`.
 * Logged values are shown as given (the fit loop's running means).
 */
export class ProgbarLogger extends Callback {
  private readonly verboseOption: 0 | 1 | 2 | undefined;
  private readonly write: (text: string) => void;
  private readonly isTTY: boolean;
  private readonly color: boolean;
  private readonly intervalMs: number;
  private readonly width: number;
  private readonly now: () => number;
  private readonly stage: 'fit' | 'evaluate';

  private start = 0;
  private lastDraw = -Infinity;
  private afterFirstStep: number | null = null;
  private seen = 0;
  private prevWidth = 0;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.verboseOption = options.verbose;
    const stdout = proc?.stdout;
    this.write = options.write ?? (stdout ? (t) => void stdout.write(t) : consoleWriter());
    this.isTTY = options.isTTY ?? (options.write ? false : stdout?.isTTY === true);
    this.color = options.color ?? (this.isTTY && !proc?.env?.['NO_COLOR']);
    this.intervalMs = options.intervalMs ?? 100;
    this.width = options.width ?? 20;
    this.now = options.now ?? (() => globalThis.performance.now());
    this.stage = options.stage ?? 'fit';
  }

  private get verbose(): 0 | 1 | 2 {
    return this.verboseOption ?? this.params?.verbose ?? 1;
  }

  /** Live redrawing: verbose 1 on a terminal. */
  private get live(): boolean {
    return this.verbose === 1 && this.isTTY;
  }

  private get target(): number {
    return this.params?.steps ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    this.start = this.now();
    this.lastDraw = -Infinity;
    this.afterFirstStep = null;
    this.seen = 0;
    this.prevWidth = 0;
    const epochs = this.params?.epochs ?? 1;
    // Keras prints the header only for multi-epoch runs.
    if (this.live && epochs > 1) this.write(`Epoch ${epoch + 1}/${epochs}\n`);
  }

  override onBatchEnd(batch: number, logs?: Logs): void {
    if (this.verbose === 0) return;
    this.seen = batch + 1;
    const now = this.now();
    const perStep = this.stepSeconds(this.seen, now);
    if (!this.live || now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const target = this.target;
    const eta = target > 0 && this.seen < target ? formatEta(perStep * (target - this.seen)) : null;
    this.draw(this.seen, eta ?? `${this.elapsed(now)}s`, perStep, logs, false);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.verbose === 0) return;
    const now = this.now();
    const target = this.target || this.seen;
    const perStep = this.stepSeconds(target, now);
    if (this.live) {
      this.draw(target, `${this.elapsed(now)}s`, perStep, logs, true);
      return;
    }
    const epochs = this.params?.epochs ?? 1;
    const digits = String(target).length;
    const label = this.stage === 'fit' ? `Epoch ${epoch + 1}/${epochs} - ` : '';
    this.write(
      `${label}${String(target).padStart(digits)}/${target} - ${this.elapsed(now)}s - ` +
        `${formatStepTime(perStep)}${formatLogs(logs)}\n`,
    );
  }

  private elapsed(now: number): string {
    return ((now - this.start) / 1000).toFixed(0);
  }

  /**
   * Keras's step-time estimate: after the first step, the first (often slow) step is left out.
   * Records the time of step 1 when it is seen.
   */
  private stepSeconds(current: number, now: number): number {
    if (current <= 0) return 0;
    const s =
      this.afterFirstStep !== null && current > 1
        ? (now - this.afterFirstStep) / (current - 1)
        : (now - this.start) / current;
    if (current === 1) this.afterFirstStep = now;
    return s / 1000;
  }

  private draw(
    current: number,
    time: string,
    perStep: number,
    logs: Logs | undefined,
    final: boolean,
  ): void {
    const target = this.target;
    const paint = (code: string, s: string): string =>
      this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
    let visible: string;
    let line: string;
    if (target > 0) {
      const count = `${String(current).padStart(String(target).length)}/${target}`;
      const done = Math.min(this.width, Math.floor((this.width * current) / target));
      const bar = '━'.repeat(done);
      // Uncoloured, the unfilled part needs its own glyph to be told apart.
      const rest = (this.color ? '━' : '─').repeat(this.width - done);
      const tail = ` ${time} ${formatStepTime(perStep)}${formatLogs(logs)}`;
      visible = `${count} ${bar}${rest}${tail}`;
      line =
        `${paint('1', count)} ${done > 0 ? paint('32', bar) : ''}${paint('37', rest)}` +
        ` ${paint('1', time)} ${formatStepTime(perStep)}${formatLogs(logs)}`;
    } else {
      visible = `${String(current).padStart(7)}/Unknown ${time} ${formatStepTime(perStep)}${formatLogs(logs)}`;
      line = visible;
    }
    const pad = this.prevWidth > visible.length ? ' '.repeat(this.prevWidth - visible.length) : '';
    this.prevWidth = visible.length;
    this.write(`\r${line}${pad}${final ? '\n' : ''}`);
  }
}
