import { Callback } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

// Fallback directions by metric name (Keras asks the compiled metric objects; a model that
// does not expose them still gets the built-in metrics right).
const UP = /^(acc|accuracy|\w*_accuracy|\w*Accuracy|auc|precision|recall|f1_score)$/;
const DOWN = /(loss|error|crossentropy|Crossentropy|^mse$|^mae$|^poisson$|^kld$|^mape$|^msle$)/;

/**
 * Keras 3's MonitorCallback: watches one logged quantity and decides what counts as an
 * improvement. Mode 'auto' minimises 'loss' / 'val_loss', else follows the direction of the
 * model's metric of that name; when the direction cannot be told it throws, as Keras does.
 */
export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** |min_delta|; signed once the direction is known (negative when minimising). */
  protected minDelta: number;
  /** Best value so far (null: none yet). */
  best: number | null;
  private readonly initialBest: number | null;
  /** Direction, resolved at the first epoch end (when the model's metrics exist). */
  protected monitorOp: 'less' | 'greater' | null = null;

  constructor(
    monitor = 'val_loss',
    mode: string = 'auto',
    initialBest: number | null = null,
    minDelta = 0,
    warn: (message: string) => void = (m) => console.warn(m),
  ) {
    super();
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      warn(`${new.target.name} mode '${mode}' is unknown, fallback to auto mode.`);
      mode = 'auto';
    }
    this.monitor = monitor;
    this.mode = mode as MonitorMode;
    this.best = initialBest;
    this.initialBest = initialBest;
    this.minDelta = Math.abs(minDelta);
  }

  /** Resolves the direction (Keras `_set_monitor_op`); a no-op once done. */
  protected setMonitorOp(): void {
    if (this.monitorOp) return;
    let op: 'less' | 'greater' | null = null;
    if (this.mode === 'min') op = 'less';
    else if (this.mode === 'max') op = 'greater';
    else {
      const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
      if (name === 'loss') op = 'less';
      const metric = this.model?.metrics?.find((m) => m.name === name);
      if (metric?.direction) op = metric.direction === 'up' ? 'greater' : 'less';
      else if (!op && UP.test(name)) op = 'greater';
      else if (!op && DOWN.test(name)) op = 'less';
      if (!op) {
        throw new Error(
          `${this.constructor.name} callback received monitor=${this.monitor}, but cannot tell whether ` +
            "that metric should be maximized or minimized. Pass mode: 'max' to monitor based on the " +
            "highest value, or mode: 'min' to use the lowest value.",
        );
      }
    }
    this.monitorOp = op;
    if (op === 'less') this.minDelta = -Math.abs(this.minDelta);
    this.resetBest();
  }

  /** Back to the initial best (±Infinity when none was given), once the direction is known. */
  protected resetBest(): void {
    if (!this.monitorOp) return;
    this.best = this.initialBest ?? (this.monitorOp === 'less' ? Infinity : -Infinity);
  }

  /** Keras `_is_improvement`: monitor_op(value - min_delta, reference). */
  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    const v = value - this.minDelta;
    return this.monitorOp === 'greater' ? v > reference : v < reference;
  }
}
