import assert from 'node:assert/strict';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CallbackModel, Logs } from '../../src/callbacks/callback.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';

class FakeModel implements CallbackModel {
  stopTraining = false;
  saves: string[] = [];
  getWeights(): Float32Array[] {
    return [];
  }
  setWeights(): void {}
  async save(dir: string): Promise<void> {
    this.saves.push(dir);
  }
}

async function fit(cb: ModelCheckpoint, epochs: Logs[], steps = 0): Promise<FakeModel> {
  const model = new FakeModel();
  cb.setModel(model);
  cb.onTrainBegin();
  for (let e = 0; e < epochs.length; e++) {
    cb.onEpochBegin(e);
    for (let b = 0; b < steps; b++) await cb.onBatchEnd(b, { loss: 1 });
    await cb.onEpochEnd(e, epochs[e]!);
  }
  cb.onTrainEnd();
  return model;
}

function checkpoint(
  args: ModelCheckpointArgs,
  messages: string[] = [],
  warnings: string[] = [],
): ModelCheckpoint {
  return new ModelCheckpoint({
    log: (m) => messages.push(m),
    warn: (m) => warnings.push(m),
    ...args,
  });
}

describe('ModelCheckpoint', () => {
  it('saves every epoch to the formatted path, creating the parent folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckpt-'));
    const messages: string[] = [];
    const cb = checkpoint(
      { filepath: join(root, 'runs', 'model-{epoch:02d}-{val_loss:.4f}'), verbose: 1 },
      messages,
    );
    const model = await fit(cb, [{ val_loss: 0.5 }, { val_loss: 0.123456 }]);
    assert.deepEqual(model.saves, [
      join(root, 'runs', 'model-01-0.5000'),
      join(root, 'runs', 'model-02-0.1235'),
    ]);
    assert.ok((await stat(join(root, 'runs'))).isDirectory());
    assert.equal(messages[0], `Epoch 1: saving model to ${join(root, 'runs', 'model-01-0.5000')}`);
  });

  it('saveBestOnly saves only improvements of the monitored value', async () => {
    const messages: string[] = [];
    const cb = checkpoint({ filepath: 'best', saveBestOnly: true, verbose: 1 }, messages);
    const model = await fit(cb, [{ val_loss: 0.5 }, { val_loss: 0.6 }, { val_loss: 0.4 }]);
    assert.deepEqual(model.saves, ['best', 'best']);
    assert.equal(cb.best, 0.4);
    assert.deepEqual(messages.slice(0, 3), [
      'Epoch 1: val_loss improved from inf to 0.50000, saving model to best',
      'Epoch 1: finished saving model to best',
      'Epoch 2: val_loss did not improve from 0.50000',
    ]);
  });

  it("mode 'max' (or auto on an accuracy), and an initial threshold to beat", async () => {
    const acc = [{ val_accuracy: 0.7 }, { val_accuracy: 0.9 }, { val_accuracy: 0.8 }];
    const auto = await fit(
      checkpoint({ filepath: 'e{epoch}', monitor: 'val_accuracy', save_best_only: true }),
      acc,
    );
    assert.deepEqual(auto.saves, ['e1', 'e2']);
    const min = await fit(
      checkpoint({
        filepath: 'e{epoch}',
        monitor: 'val_accuracy',
        saveBestOnly: true,
        mode: 'min',
      }),
      acc,
    );
    assert.deepEqual(min.saves, ['e1']);
    const threshold = await fit(
      checkpoint({
        filepath: 'e{epoch}',
        monitor: 'val_accuracy',
        saveBestOnly: true,
        initialValueThreshold: 0.85,
      }),
      acc,
    );
    assert.deepEqual(threshold.saves, ['e2']);
  });

  it('warns and saves anyway when the monitored value is missing', async () => {
    const warnings: string[] = [];
    const model = await fit(checkpoint({ filepath: 'm', saveBestOnly: true }, [], warnings), [
      { loss: 1 },
    ]);
    assert.deepEqual(model.saves, ['m']);
    assert.match(warnings[0]!, /Can save best model only with val_loss available/);
  });

  it('saveFreq: every N batches, counted across epochs, with {batch}', async () => {
    const cb = checkpoint({ filepath: 'e{epoch}-b{batch}', saveFreq: 4 });
    const model = await fit(cb, [{ loss: 1 }, { loss: 1 }], 3);
    assert.deepEqual(model.saves, ['e2-b1']);
    const every2 = await fit(
      checkpoint({ filepath: 'e{epoch}-b{batch}', save_freq: 2 }),
      [{}, {}],
      3,
    );
    assert.deepEqual(every2.saves, ['e1-b2', 'e2-b1', 'e2-b3']);
    assert.throws(() => new ModelCheckpoint('x', { saveFreq: 0 }), /Unrecognized saveFreq/);
  });

  it('names the missing key when the path cannot be formatted', async () => {
    await assert.rejects(
      fit(checkpoint({ filepath: '{val_acc:.2f}' }), [{ loss: 1 }]),
      /Failed to format.*'val_acc'/,
    );
  });

  it('takes the filepath positionally, Keras style', () => {
    const cb = new ModelCheckpoint('ckpt/{epoch}', { monitor: 'loss' });
    assert.equal(cb.filepath, 'ckpt/{epoch}');
    assert.equal(cb.monitor, 'loss');
    assert.equal(cb.saveFreq, 'epoch');
  });
});
