// The public surface: small, namespaced, no internals, and the version in step with
// package.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as core from '../index.js';
import * as lab from '../lab.js';

test('the core exports at most 70 names, and no internals', () => {
  const names = Object.keys(core);
  assert.ok(names.length <= 70, `${names.length} exports: ${names.join(', ')}`);
  for (const internal of [
    'singleInput',
    'uniqueName',
    'FunctionalGraph',
    'nextSeed',
    'fitLoop',
    'jsBackend',
  ]) {
    assert.ok(!names.includes(internal), internal);
    for (const ns of Object.values(core)) {
      if (ns && typeof ns === 'object' && !(ns instanceof Function)) {
        assert.ok(!(internal in ns), `${internal} leaks through a namespace`);
      }
    }
  }
  assert.ok(!('binaryRaw' in core.ops));
  assert.ok(!('maxPool2d' in core.layers), 'one name per layer: maxPooling2d');
});

test('experiments and reports live on mnist-lab/lab', () => {
  assert.equal(typeof lab.planRuns, 'function');
  assert.ok(!('planRuns' in core));
});

test('version matches package.json', () => {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as {
    version: string;
  };
  assert.equal(core.version, pkg.version);
});
