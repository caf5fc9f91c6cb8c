import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackModel, Logs } from './callback.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';

class FakeModel implements CallbackModel {
  stopTraining = false;
  optimizer = { learningRate: 0.1 };
  getWeights(): Float32Array[] {
    return [];
  }
  setWeights(): void {}
}

/**
 * Keras 3's ReduceLROnPlateau.on_epoch_end restated for the test: the learning rate after each
 * epoch for the monitored values.
 */
function keras(
  values: number[],
  a: {
    factor: number;
    patience: number;
    minDelta: number;
    cooldown: number;
    minLr: number;
    max: boolean;
  },
  lr0 = 0.1,
): number[] {
  let lr = lr0;
  let best = a.max ? -Infinity : Infinity;
  let wait = 0;
  let cooldown = 0;
  return values.map((v) => {
    if (cooldown > 0) {
      cooldown--;
      wait = 0;
    }
    const better = a.max ? v > best + a.minDelta : v < best - a.minDelta;
    if (better) {
      best = v;
      wait = 0;
    } else if (!(cooldown > 0)) {
      wait++;
      if (wait >= a.patience && lr > Math.fround(a.minLr)) {
        lr = Math.max(lr * a.factor, a.minLr);
        cooldown = a.cooldown;
        wait = 0;
      }
    }
    return lr;
  });
}

function run(args: ReduceLROnPlateauArgs, values: (number | undefined)[]) {
  const model = new FakeModel();
  const messages: string[] = [];
  const warnings: string[] = [];
  const cb = new ReduceLROnPlateau({
    ...args,
    log: (m) => messages.push(m),
    warn: (m) => warnings.push(m),
  });
  cb.setModel(model);
  cb.onTrainBegin();
  const lrs: number[] = [];
  const logged: number[] = [];
  values.forEach((v, epoch) => {
    const logs: Logs = { loss: 1 };
    if (v !== undefined) logs[cb.monitor] = v;
    cb.onEpochEnd(epoch, logs);
    logged.push(logs['learning_rate']!);
    lrs.push(model.optimizer.learningRate);
  });
  return { lrs, logged, messages, warnings };
}

describe('ReduceLROnPlateau', () => {
  it('has the Keras 3 defaults', () => {
    const cb = new ReduceLROnPlateau();
    assert.deepEqual(
      [cb.monitor, cb.factor, cb.patience, cb.mode, cb.minDelta, cb.cooldown, cb.minLr],
      ['val_loss', 0.1, 10, 'auto', 1e-4, 0, 0],
    );
  });

  const values = [1, 0.9, 0.95, 0.9, 0.89995, 0.92, 0.91, 0.93, 0.8, 0.85, 0.86, 0.87, 0.88];
  const cases: [string, ReduceLROnPlateauArgs, boolean][] = [
    ['patience 2, factor 0.5', { patience: 2, factor: 0.5 }, false],
    [
      'min_delta counts (0.89995 is no improvement on 0.9)',
      { patience: 1, factor: 0.5, minDelta: 1e-4 },
      false,
    ],
    ['cooldown', { patience: 1, factor: 0.5, cooldown: 2, minDelta: 0 }, false],
    ['min_lr floors the rate', { patience: 1, factor: 0.1, minLr: 0.002, minDelta: 0 }, false],
    ["mode 'max'", { patience: 1, factor: 0.5, mode: 'max' }, true],
  ];
  for (const [name, args, max] of cases) {
    it(`follows Keras step by step: ${name}`, () => {
      const r = run(args, values);
      const want = keras(values, {
        factor: args.factor ?? 0.1,
        patience: args.patience ?? 10,
        minDelta: args.minDelta ?? 1e-4,
        cooldown: args.cooldown ?? 0,
        minLr: args.minLr ?? 0,
        max,
      });
      assert.deepEqual(r.lrs, want);
      // The log holds the rate the epoch trained with.
      assert.deepEqual(r.logged, [0.1, ...want.slice(0, -1)]);
      assert.ok(want.at(-1)! < 0.1, 'the case reduces the rate at least once');
    });
  }

  it("auto mode maximises a monitor whose name contains 'acc'", () => {
    const r = run({ monitor: 'val_accuracy', patience: 1, factor: 0.5 }, [0.5, 0.6, 0.7, 0.65]);
    assert.deepEqual(r.lrs, [0.1, 0.1, 0.1, 0.05]);
  });

  it('prints reductions when verbose, warns about a missing monitor, rejects factor >= 1', () => {
    const r = run({ patience: 0, factor: 0.5, verbose: 1 }, [1, 1, undefined]);
    assert.deepEqual(r.messages, ['\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05.']);
    assert.match(r.warnings[0]!, /conditioned on metric `val_loss` which is not available/);
    assert.throws(() => new ReduceLROnPlateau({ factor: 1 }), /factor >= 1.0/);
    assert.throws(() => new ReduceLROnPlateau({ patience: -1 }), /patience must be a whole number/);
  });
});
