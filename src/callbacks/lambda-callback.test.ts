import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Callback, type Logs } from './callback.js';
import { History } from './history.js';
import {
  callbacks,
  CustomCallback,
  EarlyStopping,
  LambdaCallback,
  ProgbarLogger,
  toCallback,
  toCallbacks,
} from './index.js';

describe('LambdaCallback / toCallback', () => {
  it('calls TF.js-named and Keras-named hooks with their arguments', async () => {
    const calls: string[] = [];
    const cb = toCallback({
      onTrainBegin: () => void calls.push('train begin'),
      onEpochBegin: (e) => void calls.push(`epoch begin ${e}`),
      on_epoch_end: (e, logs) => void calls.push(`epoch end ${e} ${logs?.['loss']}`),
      on_train_batch_end: (b) => void calls.push(`batch end ${b}`),
      onTrainEnd: async () => {
        await Promise.resolve();
        calls.push('train end');
      },
    });
    assert.ok(cb instanceof LambdaCallback);
    cb.onTrainBegin({});
    cb.onEpochBegin(0);
    cb.onBatchBegin(0);
    cb.onBatchEnd(0, { loss: 1 });
    cb.onEpochEnd(0, { loss: 0.5 });
    await cb.onTrainEnd();
    assert.deepEqual(calls, [
      'train begin',
      'epoch begin 0',
      'batch end 0',
      'epoch end 0 0.5',
      'train end',
    ]);
  });

  it('rejects misspelt hooks and non-functions', () => {
    assert.throws(
      () => toCallback({ onEpochEnds: () => {} } as never),
      /Unknown callback hook 'onEpochEnds'/,
    );
    assert.throws(() => toCallback({ onEpochEnd: 3 } as never), /must be a function/);
    assert.throws(
      () => toCallback({ onEpochEnd: () => {}, on_epoch_end: () => {} }),
      /given twice/,
    );
  });

  it('passes Callbacks through and flattens TF.js-style callback arguments', () => {
    const h = new History();
    assert.equal(toCallback(h), h);
    const list = toCallbacks([h, { onEpochEnd: () => {} }]);
    assert.equal(list[0], h);
    assert.ok(list[1] instanceof Callback);
    assert.equal(toCallbacks({ onTrainEnd: () => {} }).length, 1);
    assert.deepEqual(toCallbacks(), []);
    assert.equal(CustomCallback, LambdaCallback);
  });
});

describe('History', () => {
  it('collects epoch logs per key, fresh for each fit', () => {
    const h = new History();
    h.onTrainBegin();
    const epochs: Logs[] = [
      { loss: 1, accuracy: 0.5 },
      { loss: 0.5, accuracy: 0.7, val_loss: 0.6 },
    ];
    epochs.forEach((logs, e) => h.onEpochEnd(e, logs));
    assert.deepEqual(h.epoch, [0, 1]);
    assert.deepEqual(h.history, { loss: [1, 0.5], accuracy: [0.5, 0.7], val_loss: [0.6] });
    h.onTrainBegin();
    assert.deepEqual(h.history, {});
  });
});

describe('callbacks namespace', () => {
  it('makes callbacks like tf.callbacks', () => {
    const es = callbacks.earlyStopping({ patience: 3 });
    assert.ok(es instanceof EarlyStopping);
    assert.equal(es.patience, 3);
    assert.ok(callbacks.history() instanceof History);
    assert.ok(callbacks.progbarLogger({ write: () => {} }) instanceof ProgbarLogger);
    assert.ok(callbacks.lambda({ onEpochEnd: () => {} }) instanceof LambdaCallback);
  });
});
