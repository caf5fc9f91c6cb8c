import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startServer } from '../../test/helpers/http-server.js';
import { downloadVerified } from './download.js';

const raw = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff));
const gz = gzipSync(raw);
const sha = createHash('sha256').update(raw).digest('hex');

const server = await startServer((req, res) => {
  if (req.url === '/good/data.gz') {
    res.writeHead(200, { 'content-length': gz.length });
    res.end(gz);
  } else if (req.url === '/cut/data.gz') {
    // Promises the whole file, sends half, then drops the connection.
    res.writeHead(200, { 'content-length': gz.length });
    res.write(gz.subarray(0, gz.length >> 1), () => res.destroy());
  } else if (req.url === '/other/data.gz') {
    const other = gzipSync(Buffer.from('not the data'));
    res.writeHead(200, { 'content-length': other.length });
    res.end(other);
  } else if (req.url === '/endless/data.gz') {
    // No length, and no end: a hostile or broken mirror.
    res.writeHead(200);
    const chunk = Buffer.alloc(1 << 16, 7);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  } else if (req.url === '/huge/data.gz') {
    res.writeHead(200, { 'content-length': 10 * 2 ** 30 });
    res.write(Buffer.alloc(1024));
  } else if (req.url === '/bomb/data.gz') {
    const bomb = gzipSync(Buffer.alloc(4 << 20));
    res.writeHead(200, { 'content-length': bomb.length });
    res.end(bomb);
  } else {
    res.writeHead(404).end();
  }
});
after(() => server.close());

async function emptyDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mnist-lab-dl-'));
}

test('downloads, verifies the decompressed SHA-256 and renames into place', async () => {
  const dir = await emptyDir();
  const dest = join(dir, 'data.gz');
  const lines: string[] = [];
  await downloadVerified([`${server.url}good/`], 'data.gz', dest, sha, {
    log: (l) => lines.push(l),
  });
  assert.deepEqual(await readFile(dest), gz);
  assert.deepEqual(await readdir(dir), ['data.gz']);
  assert.match(lines.join('\n'), /verified and saved/);
});

test('falls through to the next mirror after a 404 and a checksum mismatch', async () => {
  const dir = await emptyDir();
  const dest = join(dir, 'data.gz');
  await downloadVerified(
    [`${server.url}missing/`, `${server.url}other/`, `${server.url}good/`],
    'data.gz',
    dest,
    sha,
  );
  assert.deepEqual(await readdir(dir), ['data.gz']);
});

test('a checksum mismatch fails and leaves nothing behind', async () => {
  const dir = await emptyDir();
  await assert.rejects(
    downloadVerified([`${server.url}other/`], 'data.gz', join(dir, 'data.gz'), sha),
    /could not download data\.gz:\n.*SHA-256 mismatch: expected/,
  );
  assert.deepEqual(await readdir(dir), []);
});

test('a server that goes away mid-file fails and leaves nothing behind', async () => {
  const dir = await emptyDir();
  await assert.rejects(
    downloadVerified([`${server.url}cut/`], 'data.gz', join(dir, 'data.gz'), sha),
    /could not download data\.gz/,
  );
  assert.deepEqual(await readdir(dir), []);
});

test('an unreachable mirror says so', async () => {
  const dir = await emptyDir();
  const gone = await startServer(() => {});
  const url = gone.url;
  await gone.close();
  await assert.rejects(
    downloadVerified([url], 'data.gz', join(dir, 'data.gz'), sha),
    /could not download data\.gz \(no network connection\?\)/,
  );
  assert.deepEqual(await readdir(dir), []);
});

test('stale partial files from a killed download are cleaned up', async () => {
  const dir = await emptyDir();
  await writeFile(join(dir, 'data.gz.123-abcd.partial'), 'half');
  await downloadVerified([`${server.url}good/`], 'data.gz', join(dir, 'data.gz'), sha);
  assert.deepEqual(await readdir(dir), ['data.gz']);
});

test('downloads are capped: a mirror cannot send or inflate more than the file can be', async () => {
  const dir = await emptyDir();
  const dest = join(dir, 'data.gz');
  const opts = { maxBytes: 1 << 20 };
  await assert.rejects(
    downloadVerified([`${server.url}endless/`], 'data.gz', dest, sha, opts),
    /endless\/data\.gz: the server sent more than the \d+ bytes this file can be/,
  );
  await assert.rejects(
    downloadVerified([`${server.url}huge/`], 'data.gz', dest, sha, opts),
    /huge\/data\.gz: the server offers 10737418240 bytes, more than the \d+ this file can be/,
  );
  await assert.rejects(
    downloadVerified([`${server.url}bomb/`], 'data.gz', dest, sha, opts),
    /bomb\/data\.gz: the download: inflates to more than 1048576 bytes/,
  );
  assert.deepEqual(await readdir(dir), []);
});
