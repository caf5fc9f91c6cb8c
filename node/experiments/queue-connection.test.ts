import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hidePassword, parseQueueUrl } from './queue-connection.js';

test('Redis URLs: host, port, db, user, password (or from the environment), TLS', () => {
  const a = parseQueueUrl('redis://10.0.0.5', {});
  assert.deepEqual(
    [a.options.host, a.options.port, a.options.db, a.options.tls],
    ['10.0.0.5', 6379, 0, undefined],
  );
  assert.equal(a.options.password, undefined);
  assert.equal(a.display, 'redis://10.0.0.5');

  const b = parseQueueUrl('rediss://worker:p%40ss@redis.internal:6380/3', {});
  assert.deepEqual(
    [b.options.host, b.options.port, b.options.db, b.options.username, b.options.password],
    ['redis.internal', 6380, 3, 'worker', 'p@ss'],
  );
  assert.deepEqual(b.options.tls, { servername: 'redis.internal' });
  assert.equal(b.display, 'rediss://worker:***@redis.internal:6380/3');
  assert.equal(b.options.maxRetriesPerRequest, null, 'commands wait out an outage');

  const c = parseQueueUrl('redis://[::1]:7000', { MNIST_LAB_REDIS_PASSWORD: 'from-env' });
  assert.deepEqual([c.options.host, c.options.password], ['::1', 'from-env']);
  assert.doesNotMatch(c.display, /from-env/);

  for (const [url, message] of [
    ['localhost:6379', /not a Redis URL/],
    ['http://h', /http:\/\/ is not a Redis URL/],
    ['redis://h/one', /the database .* must be a number, got 'one'/],
    ['redis://h?db=1', /has a query or fragment/],
    ['nonsense', /is not a URL/],
  ] as const) {
    assert.throws(() => parseQueueUrl(url, {}), message, url);
  }
});

test('passwords are hidden from command lines', () => {
  assert.equal(hidePassword('--queue=redis://:s3cret@h:1/2'), '--queue=redis://:***@h:1/2');
  assert.equal(hidePassword('rediss://u:p@h'), 'rediss://u:***@h');
  assert.equal(hidePassword('redis://h:6379'), 'redis://h:6379');
});
