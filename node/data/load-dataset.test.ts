import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startServer } from '../../test/helpers/http-server.js';
import { loadDataset } from './load-dataset.js';

const MNIST_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const names = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

let packageDir = '';
let emptyCache = '';
before(async () => {
  const ds = await loadDataset('mnist', {
    download: false,
    cacheDir: join(tmpdir(), 'mnist-lab-no-cache'),
  });
  packageDir = ds.sources[0]!.path.replace(/\/train-images-idx3-ubyte$/, '');
  emptyCache = await mkdtemp(join(tmpdir(), 'mnist-lab-cache-'));
});

async function dirWithCopies(
  mutate?: (name: string, bytes: Buffer) => Buffer | undefined,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-data-'));
  for (const n of names) {
    const bytes = await readFile(join(packageDir, n));
    const out = mutate ? mutate(n, bytes) : bytes;
    if (out) await writeFile(join(dir, n), out);
  }
  return dir;
}

test('loads real MNIST with the right shapes and class counts', async () => {
  const ds = await loadDataset('mnist', { cacheDir: emptyCache, download: false });
  assert.deepEqual(ds.train.images.shape, [60000, 28, 28]);
  assert.deepEqual(ds.test.images.shape, [10000, 28, 28]);
  assert.deepEqual(ds.train.labels.shape, [60000]);
  const counts = new Array(10).fill(0);
  for (const l of ds.train.labels.data) counts[l]++;
  assert.deepEqual(counts, MNIST_COUNTS);
  assert.deepEqual(
    ds.sources.map((s) => s.kind),
    ['package', 'package', 'package', 'package'],
  );
});

test('--data-dir wins, plain or gzipped, and errors name a truncated file', async () => {
  const gzDir = await mkdtemp(join(tmpdir(), 'mnist-lab-gz-'));
  for (const n of names)
    await writeFile(
      join(gzDir, `${n}.gz`),
      gzipSync(await readFile(join(packageDir, n)), { level: 1 }),
    );
  const ds = await loadDataset('mnist', { dataDir: gzDir, cacheDir: emptyCache, download: false });
  assert.equal(ds.sources[0]!.kind, 'data-dir');
  assert.equal(ds.sources[0]!.path, join(gzDir, 'train-images-idx3-ubyte.gz'));

  const truncated = await dirWithCopies((n, b) =>
    n === 't10k-images-idx3-ubyte' ? b.subarray(0, 5000) : b,
  );
  await assert.rejects(
    loadDataset('mnist', { dataDir: truncated, cacheDir: emptyCache }),
    new RegExp(`${join(truncated, 't10k-images-idx3-ubyte')}: truncated`),
  );
});

test('a corrupted byte is caught by the checksum; --no-verify accepts it', async () => {
  const dir = await dirWithCopies((n, b) => {
    if (n !== 'train-labels-idx1-ubyte') return b;
    const c = Buffer.from(b);
    c[100] = (c[100]! + 1) % 10;
    return c;
  });
  await assert.rejects(
    loadDataset('mnist', { dataDir: dir, cacheDir: emptyCache }),
    new RegExp(`${join(dir, 'train-labels-idx1-ubyte')}: SHA-256 mismatch`),
  );
  const ds = await loadDataset('mnist', { dataDir: dir, cacheDir: emptyCache, verify: false });
  assert.equal(ds.train.labels.data.length, 60000);
});

test('image/label count mismatch and missing files are named', async () => {
  const dir = await dirWithCopies((n, b) => (n === 't10k-labels-idx1-ubyte' ? undefined : b));
  // Put the training labels where the test labels should be: 60000 labels for 10000 images.
  await copyFile(join(dir, 'train-labels-idx1-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
  await assert.rejects(
    loadDataset('mnist', { dataDir: dir, cacheDir: emptyCache, verify: false }),
    /t10k-labels-idx1-ubyte: holds 60000 labels but .*t10k-images-idx3-ubyte holds 10000 images/,
  );
  const missing = await dirWithCopies((n, b) => (n === 'train-labels-idx1-ubyte' ? undefined : b));
  await assert.rejects(
    loadDataset('mnist', { dataDir: missing, cacheDir: emptyCache }),
    /train-labels-idx1-ubyte: not found/,
  );
  await assert.rejects(
    loadDataset('mnist', { dataDir: join(missing, 'nope') }),
    /nope: no such directory/,
  );
});

test('a subfolder named after the dataset is found', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mnist-lab-root-'));
  await mkdir(join(root, 'mnist'));
  for (const n of names) await copyFile(join(packageDir, n), join(root, 'mnist', n));
  const ds = await loadDataset('mnist', { dataDir: root, cacheDir: emptyCache });
  assert.equal(ds.sources[3]!.path, join(root, 'mnist', 't10k-labels-idx1-ubyte'));
});

test('downloads into the cache from a mirror and reads the cache next time', async () => {
  const gz = new Map<string, Buffer>();
  for (const n of names)
    gz.set(`/${n}.gz`, gzipSync(await readFile(join(packageDir, n)), { level: 1 }));
  const server = await startServer((req, res) => {
    const body = gz.get(req.url ?? '');
    if (body) res.writeHead(200, { 'content-length': body.length }).end(body);
    else res.writeHead(404).end();
  });
  after(() => server.close());
  const cache = await mkdtemp(join(tmpdir(), 'mnist-lab-dlcache-'));
  const opts = { cacheDir: cache, mirrors: [server.url], sources: ['cache', 'download'] as const };
  const ds = await loadDataset('mnist', opts);
  assert.deepEqual(
    ds.sources.map((s) => s.kind),
    ['download', 'download', 'download', 'download'],
  );
  assert.deepEqual(ds.train.images.shape, [60000, 28, 28]);
  assert.deepEqual(
    (await readdir(join(cache, 'mnist'))).sort(),
    names.map((n) => `${n}.gz`).sort(),
  );
  const again = await loadDataset('mnist', opts);
  assert.deepEqual(
    again.sources.map((s) => s.kind),
    ['cache', 'cache', 'cache', 'cache'],
  );
  assert.equal(server.requests.length, 4);
});

test('offline with no local copy: a clear error that says how to get the data', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'mnist-lab-offline-'));
  await assert.rejects(
    loadDataset('fashion-mnist', {
      cacheDir: cache,
      mirrors: ['http://127.0.0.1:9/'],
      sources: ['cache', 'download'],
    }),
    /Fashion-MNIST .*train-images-idx3-ubyte is not on this machine and could not download .*\n.*Get it with: sudo apt-get install dataset-fashion-mnist/s,
  );
  assert.deepEqual(await readdir(join(cache, 'fashion-mnist')), []);
});
