import type { TrainSpec } from './model-spec.js';
import type { PlannedRun } from './sweep-plan.js';

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
  /**
   * What kind of failure: the run itself diverged (a NaN loss: it would again), or its worker
   * died or the run hit another error (disk full, say): `sweep --resume` retrains those.
   */
  failure?: 'diverged' | 'worker' | 'error';
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

/** How a run ended: tested, or failed (a NaN loss, a dead worker) with the reason. */
export type RunOutcome =
  | { test: { loss: number; accuracy: number }; trainSeconds: number }
  | { error: string; failure?: RunRecord['failure']; trainSeconds: number };

/** The record of a planned run, from the epochs it finished and how it ended. */
export function runRecord(
  run: PlannedRun,
  spec: TrainSpec,
  backend: string,
  history: Record<string, number[]>,
  outcome: RunOutcome,
): RunRecord {
  const best = bestEpoch(history, 'val_accuracy');
  const epochsRun = history['loss']?.length ?? 0;
  const ok = 'test' in outcome;
  return {
    id: run.id,
    settingId: run.settingId,
    setting: { ...run.setting },
    repeat: run.repeat,
    seed: run.seed,
    spec,
    status: ok ? 'ok' : 'failed',
    ...(ok ? {} : { error: outcome.error }),
    ...(!ok && outcome.failure !== undefined ? { failure: outcome.failure } : {}),
    testLoss: ok ? outcome.test.loss : null,
    testAccuracy: ok ? outcome.test.accuracy : null,
    bestValAccuracy: best?.value ?? null,
    bestValEpoch: best?.epoch ?? null,
    epochsRun,
    // Only EarlyStopping ends a successful run before its last epoch.
    stoppedEarly: ok && epochsRun < spec.epochs,
    trainSeconds: outcome.trainSeconds,
    history,
    backend,
    finishedAt: new Date().toISOString(),
  };
}
