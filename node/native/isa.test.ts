import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { nativeInfo, setNativeIsa } from './isa.js';

const info = nativeInfo();
const skip = info ? false : 'native addon not loaded';

/** nativeInfo() as seen by a fresh process with these environment variables. */
function infoWith(env: Record<string, string>): ReturnType<typeof nativeInfo> {
  const script = `
    const { nativeInfo } = await import(${JSON.stringify(new URL('./isa.js', import.meta.url).href)});
    console.log(JSON.stringify(nativeInfo()));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ReturnType<typeof nativeInfo>;
}

test('nativeInfo reports the instruction set, threads and micro-tile', { skip }, () => {
  assert.ok(info);
  assert.ok(info.supported.includes('generic'));
  assert.ok(info.supported.includes(info.isa));
  assert.ok(info.threads >= 1);
  assert.ok(info.microTile[0] >= 1 && info.microTile[1] >= 1);
});

test('MNIST_LAB_ISA lowers the level and never raises it', { skip }, () => {
  assert.ok(info);
  for (const isa of info.supported) assert.equal(infoWith({ MNIST_LAB_ISA: isa })?.isa, isa);
  // An unknown value changes nothing.
  assert.equal(infoWith({ MNIST_LAB_ISA: 'sse9' })?.isa, info.supported[0]);
});

test('MNIST_LAB_NUM_THREADS sizes the pool', { skip }, () => {
  assert.equal(infoWith({ MNIST_LAB_NUM_THREADS: '3' })?.threads, 3);
  assert.equal(infoWith({ MNIST_LAB_NUM_THREADS: '1' })?.threads, 1);
});

test('setNativeIsa switches among supported levels only', { skip }, () => {
  assert.ok(info);
  try {
    for (const isa of info.supported) {
      assert.equal(setNativeIsa(isa), true);
      assert.equal(nativeInfo()?.isa, isa);
    }
    assert.equal(setNativeIsa('bogus' as never), false);
  } finally {
    setNativeIsa(info.isa);
  }
});
