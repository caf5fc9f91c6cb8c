import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from './random.js';

test('the same seed gives the same stream; different seeds differ', () => {
  const a = new Random(7);
  const b = new Random(7);
  const c = new Random(8);
  const sa = Array.from({ length: 5 }, () => a.uint32());
  assert.deepEqual(
    sa,
    Array.from({ length: 5 }, () => b.uint32()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 5 }, () => c.uint32()),
  );
});

test('uniform, int and normal have the right statistics', () => {
  const r = new Random(123);
  const n = 200_000;
  let sum = 0;
  let sumSq = 0;
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    buckets[r.int(10)]++;
    const z = r.normal();
    sum += z;
    sumSq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.01, `mean ${sum / n}`);
  assert.ok(Math.abs(sumSq / n - 1) < 0.02, `variance ${sumSq / n}`);
  for (const count of buckets) assert.ok(Math.abs(count / n - 0.1) < 0.005);
});

test('permutation is a permutation', () => {
  const p = new Random(1).permutation(1000);
  assert.deepEqual(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
});
