import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flopsPerSample } from './epoch.js';

// The sums written out in bench/README.md ("FLOP counts").
test('useful FLOP per training sample of the seed MLP and CNN', () => {
  assert.equal(flopsPerSample('mlp'), 1_636_352);
  assert.equal(flopsPerSample('cnn'), 14_778_624);
});
