import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanStd, parseGridArg, planRuns } from './sweep-plan.js';

test('parseGridArg splits on commas, or on semicolons when values hold commas', () => {
  assert.deepEqual(parseGridArg('lr=0.01, 0.001').values, [
    { label: '0.01', flags: { lr: '0.01' } },
    { label: '0.001', flags: { lr: '0.001' } },
  ]);
  const hidden = parseGridArg('--hidden=512;512,256;none');
  assert.equal(hidden.key, 'hidden');
  assert.deepEqual(
    hidden.values.map((v) => v.flags['hidden']),
    ['512', '512,256', 'none'],
  );
});

test('parseGridArg names what is wrong', () => {
  assert.throws(() => parseGridArg('lr'), /KEY=V1,V2.*got 'lr'/);
  assert.throws(() => parseGridArg('=1,2'), /KEY=V1,V2/);
  assert.throws(() => parseGridArg('lr='), /lists no values/);
  assert.throws(() => parseGridArg('lr=0.1,0.1'), /lists '0.1' twice/);
});

test('planRuns: cartesian product, first axis slowest, stable ids, one seed per repeat', () => {
  const runs = planRuns([parseGridArg('lr=0.01,0.001'), parseGridArg('batch-size=128,256')], 2, 7);
  assert.equal(runs.length, 8);
  assert.deepEqual(
    runs.map((r) => r.id),
    [
      'lr-0.01_batch-size-128-r1',
      'lr-0.01_batch-size-128-r2',
      'lr-0.01_batch-size-256-r1',
      'lr-0.01_batch-size-256-r2',
      'lr-0.001_batch-size-128-r1',
      'lr-0.001_batch-size-128-r2',
      'lr-0.001_batch-size-256-r1',
      'lr-0.001_batch-size-256-r2',
    ],
  );
  assert.deepEqual(runs[3]!.flags, { lr: '0.01', 'batch-size': '256', seed: '8' });
  assert.deepEqual(runs[3]!.setting, { lr: '0.01', 'batch-size': '256' });
  assert.equal(runs[3]!.settingId, 'lr-0.01_batch-size-256');
  assert.deepEqual(
    runs.map((r) => r.seed),
    [7, 8, 7, 8, 7, 8, 7, 8],
  );
});

test('planRuns: no axes is one setting; bundles set several flags; labels become folder-safe ids', () => {
  assert.deepEqual(
    planRuns([], 3, 1).map((r) => r.id),
    ['base-r1', 'base-r2', 'base-r3'],
  );
  const runs = planRuns(
    [
      {
        key: 'optimizer',
        values: [
          { label: 'sgd+momentum 0.9', flags: { optimizer: 'sgd', momentum: '0.9' } },
          { label: 'SGD momentum 0.9', flags: { optimizer: 'sgd', momentum: '0.9' } },
        ],
      },
    ],
    1,
    42,
  );
  assert.equal(runs[0]!.id, 'optimizer-sgd-momentum-0.9');
  assert.equal(runs[1]!.id, 'optimizer-sgd-momentum-0.9-2', 'ids stay unique');
  assert.deepEqual(runs[0]!.flags, { optimizer: 'sgd', momentum: '0.9', seed: '42' });
});

test('planRuns rejects a key swept twice, a swept seed with repeats, and bad repeats', () => {
  assert.throws(() => planRuns([parseGridArg('lr=1'), parseGridArg('lr=2')], 1, 0), /swept twice/);
  assert.throws(() => planRuns([parseGridArg('seed=1,2')], 2, 0), /seed is already swept/);
  assert.equal(planRuns([parseGridArg('seed=5,9')], 1, 0)[1]!.seed, 9);
  assert.throws(() => planRuns([], 0, 0), /repeats must be/);
});

test('meanStd uses the sample standard deviation', () => {
  assert.deepEqual(meanStd([2]), { mean: 2, std: 0 });
  const { mean, std } = meanStd([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(std - Math.sqrt(5 / 3)) < 1e-12);
  assert.ok(Number.isNaN(meanStd([]).mean));
});
