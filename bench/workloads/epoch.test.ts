import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flopsPerSample, forwardFlopsPerSample } from './epoch.js';

// The sums written out in bench/README.md ("FLOP counts").
test('useful FLOP per training sample of the seed MLP and CNN', () => {
  assert.equal(flopsPerSample('mlp'), 1_636_352);
  assert.equal(flopsPerSample('cnn'), 14_778_624);
});

// The F column of bench/README.md's FLOP tables: what the predict workloads count per image.
test('useful FLOP per predicted image of the seed MLP and CNN (forward pass only)', () => {
  assert.equal(forwardFlopsPerSample('mlp'), 802_816 + 10_240);
  assert.equal(forwardFlopsPerSample('mlp'), 813_056);
  assert.equal(forwardFlopsPerSample('cnn'), 389_376 + 4_460_544 + 204_800 + 1_280);
  assert.equal(forwardFlopsPerSample('cnn'), 5_056_000);
});
