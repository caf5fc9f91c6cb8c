import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { layers } from '../layers/index.js';
import { sequential } from '../models/index.js';
import { toyClassification } from '../models/test-data.test.js';
import { setSeed } from '../tensor/seed.js';
import type { YieldEvery } from './types.js';

/** Fits a small model while a 0 ms interval counts how often the event loop got a turn. */
async function ticksDuringFit(yieldEvery: YieldEvery | undefined): Promise<number> {
  setSeed(3);
  const m = sequential({
    layers: [
      layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const { x, y } = toyClassification(64);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await m.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      ...(yieldEvery !== undefined ? { yieldEvery } : {}),
    });
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

test("yieldEvery: 'batch' lets timers run during fit; 'never' (Node's default) does not", async () => {
  assert.equal(await ticksDuringFit(undefined), 0);
  assert.equal(await ticksDuringFit('never'), 0);
  // 8 batches x 3 epochs: a turn after every batch.
  assert.ok((await ticksDuringFit('batch')) >= 20);
  const perEpoch = await ticksDuringFit('epoch');
  assert.ok(perEpoch >= 2 && perEpoch <= 4, `epoch: ${perEpoch} ticks`);
  assert.ok((await ticksDuringFit(0)) >= 20);
});

test('yieldEvery rejects a negative interval', async () => {
  await assert.rejects(ticksDuringFit(-1), /yieldEvery must be a number of milliseconds >= 0/);
});
