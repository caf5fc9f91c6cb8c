import type { TrainSpec } from './model-spec.js';

/** What a sweep keeps of one finished (or failed) run: results.json holds one per run. */
export interface RunRecord {
  id: string;
  settingId: string;
  /** Axis key -> value label. */
  setting: Record<string, string>;
  repeat: number;
  seed: number;
  spec: TrainSpec;
  status: 'ok' | 'failed';
  /** Why a failed run ended (e.g. a NaN loss). */
  error?: string;
  /** null when the run failed before testing. */
  testLoss: number | null;
  testAccuracy: number | null;
  /** Highest val_accuracy and its 1-based epoch; null without validation data. */
  bestValAccuracy: number | null;
  bestValEpoch: number | null;
  epochsRun: number;
  /** EarlyStopping ended the run before its last epoch. */
  stoppedEarly: boolean;
  trainSeconds: number;
  /** Keras-style history: loss, accuracy, val_loss, val_accuracy per epoch. */
  history: Record<string, number[]>;
  backend: string;
  finishedAt: string;
}

/** The best value of a history key and its 1-based epoch (first one on ties); null if absent. */
export function bestEpoch(
  history: Record<string, number[]>,
  key: string,
  mode: 'max' | 'min' = 'max',
): { value: number; epoch: number } | null {
  const values = history[key];
  if (!values || values.length === 0) return null;
  let best = -1;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (best < 0 || (mode === 'max' ? v > values[best]! : v < values[best]!)) best = i;
  });
  return best < 0 ? null : { value: values[best]!, epoch: best + 1 };
}
