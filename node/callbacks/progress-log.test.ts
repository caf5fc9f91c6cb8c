import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../../src/kernels/index.js';
import { layers } from '../../src/layers/index.js';
import { sequential } from '../../src/models/index.js';
import { toyClassification } from '../../src/models/test-data.test.js';
import { foldProgress, parseProgress } from '../../src/experiments/progress.js';
import { setSeed } from '../../src/tensor/seed.js';
import { ProgressLog } from './progress-log.js';

test('ProgressLog writes begin, batch, epoch and end events that fold into a finished state', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'progress-'));
  try {
    setSeed(1);
    const m = sequential({
      layers: [
        layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const { x, y } = toyClassification(96);
    const file = join(dir, 'progress.jsonl');
    await m.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [new ProgressLog(file)],
    });
    const events = parseProgress(await readFile(file, 'utf8'));
    assert.deepEqual(
      events.map((e) => e.type).filter((t) => t !== 'batch'),
      ['begin', 'epoch', 'epoch', 'epoch', 'end'],
    );
    // The first batch of every epoch is always reported.
    assert.equal(events.filter((e) => e.type === 'batch' && e.batch === 0).length, 3);
    const s = foldProgress(events)!;
    assert.equal(s.epochs, 3);
    assert.equal(s.steps, 5);
    assert.equal(s.done, 1);
    assert.equal(s.ended, true);
    assert.equal(s.pid, process.pid);
    assert.equal(s.history['val_accuracy']?.length, 3);
    assert.ok(s.batches.length >= 3);
    // A torn last line (the writer mid-write) is skipped.
    assert.equal(parseProgress('{"type":"begin","t":1}\n{"type":"ba').length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('foldProgress estimates time left from the pace so far', () => {
  const s = foldProgress([
    {
      type: 'begin',
      t: 0,
      pid: 1,
      hostname: 'h',
      epochs: 2,
      initialEpoch: 0,
      steps: 10,
      samples: 100,
      batchSize: 10,
      metrics: ['loss'],
    },
    { type: 'batch', t: 5000, epoch: 0, batch: 4, steps: 10, logs: { loss: 1 } },
  ])!;
  assert.equal(s.done, 5 / 20);
  assert.equal(s.secondsLeft, 15);
  assert.equal(s.ended, false);
});
