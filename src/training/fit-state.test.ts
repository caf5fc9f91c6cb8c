import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../kernels/index.js';
import { Dropout } from '../layers/dropout.js';
import { layers } from '../layers/index.js';
import { sequential } from '../models/index.js';
import { toyClassification } from '../models/test-data.test.js';
import { setSeed } from '../tensor/seed.js';
import { FitState } from './fit-state.js';

/** Layers named explicitly: optimizer state is matched to variables by name. */
function model() {
  setSeed(3);
  const m = sequential({
    layers: [
      layers.dense({ units: 12, activation: 'relu', inputShape: [4], name: 'hidden' }),
      layers.dropout({ rate: 0.3, name: 'drop' }),
      layers.batchNormalization({ name: 'bn' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const args = { epochs: 3, batchSize: 20, verbose: 0 as const, validationSplit: 0.2 };

test('a fit stopped mid-epoch continues bit-identically from its state', async () => {
  const { x, y } = toyClassification(200);
  const a = model();
  const ha = await a.fit(x, y, args);

  // Stop after batch 3 of epoch 2, then carry everything over to a fresh model.
  const b = model();
  const state = new FitState();
  let batches = 0;
  await b.fit(x, y, {
    ...args,
    state,
    callbacks: {
      onBatchEnd: () => {
        if (++batches === 8 + 3) state.stopRequested = true;
      },
    },
  });
  assert.equal(state.stoppedMidEpoch, true);
  assert.deepEqual([state.epoch, state.batch], [1, 3]);
  const saved = {
    weights: b.getWeights(),
    optimizer: b.optimizer.getWeights(),
    dropout: (b.layers[1] as Dropout).getRandomState(),
    state: JSON.parse(JSON.stringify(state)) as unknown,
  };

  const c = model();
  c.setWeights(saved.weights);
  c.optimizer.setWeights(saved.optimizer);
  (c.layers[1] as Dropout).setRandomState(saved.dropout);
  const hc = await c.fit(x, y, { ...args, state: FitState.fromJSON(saved.state) });
  a.getWeights().forEach((w, i) => assert.deepEqual(c.getWeights()[i], w));
  // The resumed fit reports the epochs it finished, with the same numbers.
  assert.deepEqual(hc.history['loss'], ha.history['loss']!.slice(1));
  assert.deepEqual(hc.history['val_accuracy'], ha.history['val_accuracy']!.slice(1));
});

test('fit refuses empty data, a NaN validationSplit and a second concurrent fit', async () => {
  const m = model();
  const { x, y } = toyClassification(40);
  const empty = toyClassification(0);
  await assert.rejects(m.fit(empty.x, empty.y), /0 samples/);
  await assert.rejects(
    m.fit(x, y, { validationSplit: NaN }),
    /validationSplit must be in \[0, 1\), got NaN/,
  );
  const first = m.fit(x, y, { epochs: 2, verbose: 0 });
  await assert.rejects(m.fit(x, y, { verbose: 0 }), /already running on this model/);
  await first;
});

test('FitState.fromJSON names the bad field', () => {
  assert.throws(() => FitState.fromJSON({ epoch: -1 }), /'epoch' must be a whole number/);
  assert.throws(
    () => FitState.fromJSON({ epoch: 1, batch: 0, shuffle: 'x' }),
    /'shuffle' must be a short list/,
  );
});
