import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool, usePool } from './buffer-pool.js';
import { allocate, allocateUninitialized } from './dtype.js';

test('BufferPool lends arrays again only after recycle, matched by dtype and length', () => {
  const pool = new BufferPool();
  const a = usePool(pool, () => allocate('float32', 8));
  const b = usePool(pool, () => allocate('float32', 8));
  assert.notEqual(a, b, 'two arrays lent in one step are distinct');
  a.fill(3);
  pool.recycle();
  const [c, d, e] = usePool(pool, () => [
    allocate('float32', 8),
    allocate('float64', 8),
    allocate('float32', 4),
  ]);
  assert.ok(c === a || c === b, 'a recycled array is lent again');
  assert.deepEqual([...c], new Array(8).fill(0), 'allocate() zero-fills what it reuses');
  assert.ok(d instanceof Float64Array && d !== a && d !== b, 'another dtype gets its own array');
  assert.equal(e.length, 4);
  assert.equal(pool.created, 4);
});

test('allocateUninitialized skips the zero-fill; outside a pool both allocate fresh arrays', () => {
  const pool = new BufferPool();
  const a = usePool(pool, () => allocateUninitialized('int32', 3));
  a.fill(7);
  pool.recycle();
  const b = usePool(pool, () => allocateUninitialized('int32', 3));
  assert.equal(b, a);
  assert.deepEqual([...b], [7, 7, 7]);
  const outside = allocateUninitialized('int32', 3);
  assert.notEqual(outside, a);
  assert.deepEqual([...outside], [0, 0, 0]);
  // usePool restores the pool that was active before, also when its function throws.
  assert.throws(() =>
    usePool(pool, () => {
      throw new Error('boom');
    }),
  );
  assert.notEqual(allocate('int32', 3), a);
});
