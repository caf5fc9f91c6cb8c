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
  // Each preset trains on what its notebook trained on: seed 004 on all 60,000 images, seed
  // 003 on the 50,000 after the first 10,000 (its validation set).
  for (const name of ['hidden-size', 'learning-rate', 'momentum']) {
    const flags = getSweepPreset(name).flags;
    assert.equal(flags['validation-split'], undefined, name);
    assert.equal(flags['holdout'], undefined, name);
  }
  for (const name of ['lr-batch', 'depth']) {
    assert.equal(getSweepPreset(name).flags['holdout'], 'first:10000', name);
  }
  // Seed 001's hold-out: 10,000 of the 60,000 images.
  const split = Number(getSweepPreset('optimizers').flags['validation-split']);
  assert.equal(60000 - Math.floor(60000 * (1 - split)), 10000);
  assert.deepEqual(getSweepPreset('hidden-size').notebook?.values, {
    '256': '97.62',
    '512': '97.78',
    '1024': '97.63',
  });
  assert.match(getSweepPreset('lr-batch').differs!, /fresh model per setting/);
  assert.equal(planRuns(getSweepPreset('optimizers').axes, 1, 0).length, 9);
});

test('an unknown preset names the known ones', () => {
  assert.throws(
    () => getSweepPreset('hiden-size'),
    /unknown sweep preset 'hiden-size'; presets: hidden-size, /,
  );
});
