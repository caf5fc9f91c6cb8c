import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CallbackParams, Logs } from '../../src/callbacks/callback.js';
import { CSVLogger } from './csv-logger.js';

const params: CallbackParams = {
  epochs: 3,
  steps: 10,
  samples: 300,
  batchSize: 32,
  verbose: 0,
  metrics: ['loss', 'val_loss', 'accuracy', 'val_accuracy'],
};

async function tempFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'csv-logger-')), name);
}

const noValidation: CallbackParams = { ...params, metrics: ['loss'] };

function train(logger: CSVLogger, epochs: Logs[], p = noValidation): void {
  logger.setParams(p);
  logger.onTrainBegin();
  epochs.forEach((logs, e) => logger.onEpochEnd(e, logs));
  logger.onTrainEnd();
}

describe('CSVLogger', () => {
  it("writes 'epoch' and the sorted keys, one row per epoch, flushed as it goes", async () => {
    const file = await tempFile('log.csv');
    const logger = new CSVLogger(file);
    logger.setParams(params);
    logger.onTrainBegin();
    logger.onEpochEnd(0, { loss: 0.5, accuracy: 0.75, val_loss: 0.25, val_accuracy: 2 });
    // Already on disk before training ends.
    assert.equal(
      await readFile(file, 'utf8'),
      'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,2.0,0.25\n',
    );
    logger.onEpochEnd(1, { loss: 0.125, accuracy: 0.8, val_loss: 0.5, val_accuracy: 0.5 });
    logger.onTrainEnd();
    assert.equal(
      await readFile(file, 'utf8'),
      'epoch,accuracy,loss,val_accuracy,val_loss\n0,0.75,0.5,2.0,0.25\n1,0.8,0.125,0.5,0.5\n',
    );
  });

  it("adds expected val_ columns up front and writes 'NA' where a value is missing", async () => {
    const file = await tempFile('sparse-val.csv');
    train(
      new CSVLogger(file),
      [
        { loss: 1, accuracy: 0.5 },
        { loss: 0.5, accuracy: 0.6, val_loss: 0.7, val_accuracy: 0.55 },
      ],
      params,
    );
    assert.equal(
      await readFile(file, 'utf8'),
      'epoch,accuracy,loss,val_loss,val_accuracy\n0,0.5,1.0,NA,NA\n1,0.6,0.5,0.7,0.55\n',
    );
  });

  it('uses the separator and overwrites by default', async () => {
    const file = await tempFile('semi.csv');
    await writeFile(file, 'old contents\n');
    train(new CSVLogger(file, { separator: ';' }), [{ loss: 1 }]);
    assert.equal(await readFile(file, 'utf8'), 'epoch;loss\n0;1.0\n');
  });

  it('appends without a second header, or with one when the file is empty', async () => {
    const file = await tempFile('append.csv');
    train(new CSVLogger(file), [{ loss: 1 }]);
    train(new CSVLogger(file, { append: true }), [{ loss: 0.5 }]);
    assert.equal(await readFile(file, 'utf8'), 'epoch,loss\n0,1.0\n0,0.5\n');
    const empty = await tempFile('empty.csv');
    await writeFile(empty, '');
    train(new CSVLogger(empty, { append: true }), [{ loss: 0.5 }]);
    assert.equal(await readFile(empty, 'utf8'), 'epoch,loss\n0,0.5\n');
  });
});
