import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRuns } from './sweep-plan.js';
import { getSweepPreset, SWEEP_PRESETS } from './sweep-presets.js';

test('the notebook presets exist, with the values the notebooks swept', () => {
  assert.deepEqual(
    SWEEP_PRESETS.map((p) => p.name),
    ['hidden-size', 'learning-rate', 'momentum', 'lr-batch', 'depth', 'optimizers'],
  );
  const labels = (name: string): string[][] =>
    getSweepPreset(name).axes.map((a) => a.values.map((v) => v.label));
  assert.deepEqual(labels('hidden-size'), [['256', '512', '1024']]);
  assert.deepEqual(labels('learning-rate'), [['0.01', '0.001', '0.0001']]);
  assert.deepEqual(labels('momentum'), [['0', '0.5', '0.9']]);
  assert.deepEqual(labels('lr-batch'), [
    ['0.01', '0.001', '0.0001'],
    ['128', '256'],
  ]);
  assert.equal(getSweepPreset('lr-batch').flags['early-stopping'], '10');
  assert.equal(getSweepPreset('momentum').flags['optimizer'], 'rmsprop');
  // The notebooks' hold-out: the last 10,000 of 60,000 images.
  const split = Number(getSweepPreset('hidden-size').flags['validation-split']);
  assert.equal(60000 - Math.floor(60000 * (1 - split)), 10000);
  assert.equal(planRuns(getSweepPreset('optimizers').axes, 1, 0).length, 9);
});

test('an unknown preset names the known ones', () => {
  assert.throws(
    () => getSweepPreset('hiden-size'),
    /unknown sweep preset 'hiden-size'; presets: hidden-size, /,
  );
});
