import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAddonFile, loadNativeBackend, nativeLoadError, packageRoot } from './load.js';

const root = packageRoot();
// Compiled here, or prebuilt (after npm pack); CI requires it, so there nothing skips.
const built =
  process.env['MNIST_LAB_REQUIRE_NATIVE'] === '1' ||
  (root !== undefined &&
    (existsSync(join(root, 'build', 'Release', 'mnist_lab_native.node')) ||
      existsSync(join(root, 'native', 'prebuilds'))));
const skipUnbuilt = built ? false : 'addon not built here (run `npm run build:native`)';

test('packageRoot finds the mnist-lab package.json above this file', () => {
  assert.ok(root, 'no root found');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
  assert.equal(manifest.name, 'mnist-lab');
  assert.equal(packageRoot(join(tmpdir(), 'nowhere', 'x.js')), undefined);
});

test(
  'loadNativeBackend returns the native backend when the addon is built',
  { skip: skipUnbuilt },
  () => {
    const backend = loadNativeBackend();
    assert.ok(backend, `loadNativeBackend() returned null: ${nativeLoadError()}`);
    assert.equal(backend.name, 'native');
    assert.equal(backend.supportsFloat64, false);
    assert.equal(nativeLoadError(), undefined);
    assert.equal(loadNativeBackend(), backend, 'one shared instance');
    assert.ok(backend.getNumThreads() >= 1);
  },
);

test('loadAddonFile explains why a file cannot be used', () => {
  const missing = loadAddonFile(join(tmpdir(), 'no-such-dir', 'mnist_lab_native.node'));
  assert.equal(typeof missing, 'string');
  assert.match(missing as string, /does not exist/);
  assert.ok(root);
  const notAddon = loadAddonFile(join(root, 'package.json'));
  assert.match(notAddon as string, /not the mnist-lab addon/);
});

test('loadNativeBackend returns null with a reason instead of throwing', () => {
  // A child process, so this process's cached backend is untouched.
  const script = `
    const { loadNativeBackend, nativeLoadError } = await import(${JSON.stringify(new URL('./load.js', import.meta.url).href)});
    console.log(JSON.stringify({ backend: loadNativeBackend(), error: nativeLoadError() }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, MNIST_LAB_SKIP_NATIVE: '1' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { backend: unknown; error: string };
  assert.equal(out.backend, null);
  assert.match(out.error, /MNIST_LAB_SKIP_NATIVE/);
});

test(
  'nativeInfo reports where the addon came from and the order tried',
  { skip: skipUnbuilt },
  async () => {
    const { nativeInfo } = await import('./isa.js');
    const info = nativeInfo();
    assert.ok(info);
    assert.equal(info.attempts[0]!.source, 'prebuilt', 'prebuilt binaries are tried first');
    const used = info.attempts.at(-1)!;
    assert.equal(used.error, undefined);
    assert.equal(used.source, info.source);
    assert.equal(used.file, info.file);
    if (info.source === 'compiled') {
      assert.match(info.attempts[0]!.error ?? '', /No native build was found/);
      assert.match(info.file, /build\/Release\/mnist_lab_native\.node$/);
    } else {
      assert.match(info.file, /native\/prebuilds\/linux-x64\//);
    }
  },
);
