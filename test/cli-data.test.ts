import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { runCli, tempDir } from './helpers/cli.js';

const cacheEnv = async (): Promise<NodeJS.ProcessEnv> => ({
  XDG_CACHE_HOME: await tempDir('cli-cache'),
  MNIST_LAB_DATA_DIR: '',
});

test('mnist-lab data reports MNIST shapes and class counts', async () => {
  const r = await runCli(['data'], await cacheEnv());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train +images 60000 x 28 x 28/);
  assert.match(r.stdout, /test +images 10000 x 28 x 28/);
  const counts = [...r.stdout.matchAll(/^ {2}(\d) +(\d+) +(\d+)/gm)].map((m) => Number(m[2]));
  assert.deepEqual(counts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.match(r.stdout, /train-images-idx3-ubyte +package /);
});

test('--samples writes a PNG grid of digits', async () => {
  const out = join(await tempDir('png'), 's.png');
  const r = await runCli(['data', '--samples', '10', '--out', out], await cacheEnv());
  assert.equal(r.code, 0, r.stderr);
  const png = await readFile(out);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const img = PNG.sync.read(png);
  // Ten 84-pixel tiles in one row with 8-pixel gaps, plus the caption band.
  assert.equal(img.width, 10 * (84 + 8) + 8);
  assert.equal(img.height, 84 + 22 + 8 + 8);
  // The first digit (a 5) is ink on white: dark pixels in its tile, white in the gap beside it.
  const at = (x: number, y: number): number => img.data[4 * (y * img.width + x)]!;
  let ink = 0;
  for (let y = 8; y < 8 + 84; y++) for (let x = 8; x < 8 + 84; x++) if (at(x, y) < 64) ink++;
  assert.ok(ink > 300, `${ink} dark pixels in the first tile`);
  assert.equal(at(8 + 84 + 4, 40), 255, 'white between tiles');
  // The caption band holds text (the label, drawn with the bundled font).
  let caption = 0;
  for (let y = 8 + 84 + 2; y < 8 + 84 + 22; y++) {
    for (let x = 8; x < 8 + 84; x++) if (at(x, y) < 128) caption++;
  }
  assert.ok(caption > 10, 'a caption is drawn');
});

test(
  "--dataset fashion-mnist reads Debian's package when installed",
  { skip: !existsSync('/usr/share/datasets/fashion-mnist') },
  async () => {
    const r = await runCli(['data', '--dataset', 'fashion-mnist'], await cacheEnv());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /train +images 60000 x 28 x 28/);
    assert.match(r.stdout, /9 Ankle boot +6000 +1000/);
    assert.match(r.stdout, /system +\/usr\/share\/datasets\/fashion-mnist/);
  },
);

test('a truncated file in --data-dir fails with one line naming it, exit 1', async () => {
  const src = await runCli(['data', '-v'], await cacheEnv());
  const pkg = /-> (\S+)\/train-images-idx3-ubyte/.exec(src.stderr)![1]!;
  const dir = await tempDir('bad');
  for (const n of await readdir(pkg)) {
    const bytes = await readFile(join(pkg, n));
    await writeFile(join(dir, n), n.startsWith('train-images') ? bytes.subarray(0, 1234) : bytes);
  }
  const r = await runCli(['data', '--data-dir', dir], await cacheEnv());
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(`^mnist-lab: ${join(dir, 'train-images-idx3-ubyte')}: truncated: 1234 bytes`),
  );
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('bad flags are rejected with a message saying what to do', async () => {
  let r = await runCli(['data', '--dataset', 'cifar'], await cacheEnv());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--dataset must be one of mnist, fashion-mnist; got 'cifar'/);
  r = await runCli(['data', '--samples', '-3', '--out', 'x.png'], await cacheEnv());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--samples takes a whole number >= 1, got '-3'/);
  r = await runCli(['data', '--samples', '4'], await cacheEnv());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--samples needs --out FILE\.png/);
  r = await runCli(['data', '--data-dir', '/nonexistent/dir'], await cacheEnv());
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/nonexistent\/dir: no such directory/);
});
