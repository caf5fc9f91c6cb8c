import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JsBackend,
  backendName,
  findBackend,
  getBackend,
  jsBackend,
  registeredBackends,
} from './index.js';

test('kernels index: importing registers the js backend', () => {
  assert.ok(jsBackend instanceof JsBackend);
  assert.ok(registeredBackends().includes('js'));
  assert.equal(findBackend('js'), jsBackend);
  // Nothing else is registered in this process, so js is the active backend.
  assert.equal(getBackend(), jsBackend);
  assert.equal(backendName(), 'js');
});
