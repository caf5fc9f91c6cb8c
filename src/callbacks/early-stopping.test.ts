import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackModel, Logs } from './callback.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';

/** A model whose single weight records the epoch that last set it. */
class FakeModel implements CallbackModel {
  stopTraining = false;
  weights = [Float32Array.of(-1)];
  restoredTo: number | null = null;
  metrics: { name: string; direction?: 'up' | 'down' }[] = [];
  getWeights(): Float32Array[] {
    return this.weights.map((w) => w.slice());
  }
  setWeights(ws: readonly Float32Array[]): void {
    this.weights = ws.map((w) => w.slice());
    this.restoredTo = ws[0]![0]!;
  }
}

interface Run {
  es: EarlyStopping;
  model: FakeModel;
  /** Epochs that ran (their onEpochEnd was called). */
  ran: number;
  warnings: string[];
  messages: string[];
}

/** Drives the callback like fit does over scripted epoch logs ('monitor' value per epoch). */
function run(
  args: EarlyStoppingArgs,
  values: (number | undefined)[],
  model = new FakeModel(),
): Run {
  const warnings: string[] = [];
  const messages: string[] = [];
  const es = new EarlyStopping({
    monitor: 'val_loss',
    ...args,
    warn: (m) => warnings.push(m),
    log: (m) => messages.push(m),
  });
  const monitor = es.monitor;
  es.setModel(model);
  es.onTrainBegin();
  let ran = 0;
  for (let epoch = 0; epoch < values.length && !model.stopTraining; epoch++) {
    model.weights = [Float32Array.of(epoch)];
    const logs: Logs = { loss: 1 };
    if (values[epoch] !== undefined) logs[monitor] = values[epoch]!;
    es.onEpochEnd(epoch, logs);
    ran++;
  }
  es.onTrainEnd();
  return { es, model, ran, warnings, messages };
}

describe('EarlyStopping', () => {
  it('has the Keras 3 defaults', () => {
    const es = new EarlyStopping();
    assert.equal(es.monitor, 'val_loss');
    assert.equal(es.patience, 0);
    assert.equal(es.mode, 'auto');
    assert.equal(es.baseline, null);
    assert.equal(es.restoreBestWeights, false);
    assert.equal(es.startFromEpoch, 0);
  });

  it('patience 0 stops at the first epoch without improvement', () => {
    const r = run({}, [1, 0.9, 0.95, 0.5]);
    assert.equal(r.ran, 3);
    assert.equal(r.es.stoppedEpoch, 2);
    assert.equal(r.es.bestEpoch, 1);
    assert.equal(r.model.stopTraining, true);
  });

  it('patience counts epochs since the last improvement', () => {
    const r = run({ patience: 2 }, [1, 0.9, 0.95, 0.92, 0.8]);
    assert.equal(r.es.stoppedEpoch, 3);
    assert.equal(r.ran, 4);
    const late = run({ patience: 2 }, [1, 0.9, 0.95, 0.85, 0.9, 0.86, 0.7]);
    assert.equal(late.es.stoppedEpoch, 5);
  });

  it('minDelta: smaller changes are not improvements (sign ignored)', () => {
    assert.equal(run({ patience: 2, minDelta: 0.05 }, [1, 0.97, 0.96, 0.9]).es.stoppedEpoch, 2);
    assert.equal(run({ patience: 2, minDelta: -0.05 }, [1, 0.97, 0.96, 0.9]).es.stoppedEpoch, 2);
    assert.equal(
      run({ patience: 2, min_delta: 0.01 } as EarlyStoppingArgs, [1, 0.97, 0.96, 0.9]).ran,
      4,
    );
  });

  it("mode 'auto' maximises accuracies and minimises losses", () => {
    const acc = run({ monitor: 'val_accuracy', patience: 2 }, [0.5, 0.6, 0.55, 0.58, 0.7]);
    assert.equal(acc.es.stoppedEpoch, 3);
    assert.equal(acc.es.best, 0.6);
    const loss = run({ monitor: 'loss' }, [0.5, 0.6]);
    assert.equal(loss.es.stoppedEpoch, 1);
  });

  it("mode 'min' / 'max' override the name; unknown names in 'auto' need the model's metric direction", () => {
    assert.equal(run({ monitor: 'val_accuracy', mode: 'min' }, [0.5, 0.6]).es.stoppedEpoch, 1);
    assert.equal(run({ monitor: 'val_loss', mode: 'max' }, [0.5, 0.4]).es.stoppedEpoch, 1);
    assert.throws(
      () => run({ monitor: 'score' }, [1, 2]),
      /cannot tell whether that metric should be maximized/,
    );
    const model = new FakeModel();
    model.metrics = [{ name: 'score', direction: 'up' }];
    assert.equal(run({ monitor: 'val_score', patience: 0 }, [1, 2, 1.5], model).es.stoppedEpoch, 2);
  });

  it('warns about an unknown mode and falls back to auto', () => {
    const warnings: string[] = [];
    const es = new EarlyStopping({ mode: 'biggest' as never, warn: (m) => warnings.push(m) });
    assert.equal(es.mode, 'auto');
    assert.match(warnings[0]!, /mode 'biggest' is unknown/);
  });

  it('baseline: patience keeps running until the baseline is beaten', () => {
    // Each epoch improves on the last, but none beats 0.5: the wait is not reset.
    const withBaseline = run({ baseline: 0.5, patience: 2 }, [0.8, 0.7, 0.75, 0.6]);
    assert.equal(withBaseline.es.stoppedEpoch, 2);
    assert.equal(run({ patience: 2 }, [0.8, 0.7, 0.75, 0.6]).ran, 4);
    // Beating the baseline resets the wait.
    assert.equal(run({ baseline: 0.5, patience: 1 }, [0.8, 0.4, 0.45, 0.3]).es.stoppedEpoch, 2);
  });

  it('restoreBestWeights restores the best epoch when stopping early', () => {
    const r = run({ patience: 2, restoreBestWeights: true, verbose: 1 }, [1, 0.5, 0.7, 0.8, 0.1]);
    assert.equal(r.es.stoppedEpoch, 3);
    assert.equal(r.model.restoredTo, 1);
    assert.deepEqual(r.messages, [
      'Epoch 4: early stopping',
      'Restoring model weights from the end of the best epoch: 2.',
    ]);
  });

  it('restoreBestWeights also restores when training runs to completion', () => {
    const r = run({ patience: 5, restore_best_weights: true } as EarlyStoppingArgs, [1, 0.5, 0.7]);
    assert.equal(r.ran, 3);
    assert.equal(r.es.stoppedEpoch, 0);
    assert.equal(r.model.restoredTo, 1);
    // Without the option the final weights stay.
    assert.equal(run({ patience: 5 }, [1, 0.5, 0.7]).model.restoredTo, null);
  });

  it('restoreBestWeights keeps the first monitored epoch when nothing beats the baseline', () => {
    const r = run({ patience: 1, baseline: 0.1, restoreBestWeights: true }, [1, 1.2, 1.1]);
    assert.equal(r.es.stoppedEpoch, 1);
    assert.equal(r.model.restoredTo, 0);
  });

  it('startFromEpoch ignores the warm-up epochs', () => {
    const r = run({ startFromEpoch: 2, restoreBestWeights: true }, [0.1, 0.2, 3, 4, 5]);
    assert.equal(r.es.stoppedEpoch, 3);
    assert.equal(r.es.bestEpoch, 2);
    assert.equal(r.model.restoredTo, 2);
    assert.equal(run({ start_from_epoch: 2 } as EarlyStoppingArgs, [0.1, 0.2, 0.3]).ran, 3);
  });

  it('warns once when the monitored value is missing, and keeps training', () => {
    const r = run({ patience: 0 }, [undefined, undefined, undefined]);
    assert.equal(r.ran, 3);
    assert.equal(r.model.stopTraining, false);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /`val_loss` which is not available. Available metrics are: loss/);
  });

  it('can be reused for a second fit', () => {
    const model = new FakeModel();
    const es = new EarlyStopping({ monitor: 'loss', patience: 0 });
    es.setModel(model);
    es.onTrainBegin();
    es.onEpochEnd(0, { loss: 0.1 });
    es.onEpochEnd(1, { loss: 0.2 });
    assert.equal(es.stoppedEpoch, 1);
    model.stopTraining = false;
    es.onTrainBegin();
    assert.equal(es.stoppedEpoch, 0);
    es.onEpochEnd(0, { loss: 5 });
    assert.equal(es.best, 5);
    assert.equal(model.stopTraining, false);
  });
});
