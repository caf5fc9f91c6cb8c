import { test } from 'node:test';
import { findBackend, getBackend, setBackend } from '../../src/kernels/registry.js';
import '../../node/backend-setup.js';

/** Registered backends worth testing on this machine: js always, native when it loaded. */
export function availableBackends(): string[] {
  return ['js', 'native'].filter((n) => findBackend(n) !== undefined);
}

/** Runs `fn` as one test per available backend, restoring the active backend afterwards. */
export function withEachBackend(name: string, fn: (backend: string) => Promise<void> | void): void {
  for (const b of availableBackends()) {
    test(`${name} [${b}]`, async () => {
      const before = getBackend().name;
      setBackend(b);
      try {
        await fn(b);
      } finally {
        setBackend(before);
      }
    });
  }
}
