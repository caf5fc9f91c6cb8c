import type { Backend } from './backend.js';

/**
 * Named backends. The library core registers `js`; the Node entry registers `native` when its
 * addon loads. The highest-priority registered backend is active unless one is chosen with
 * `setBackend` (or MNIST_LAB_BACKEND in Node).
 */
interface Entry {
  backend: Backend;
  priority: number;
}

const entries = new Map<string, Entry>();
let active: Backend | undefined;

export function registerBackend(backend: Backend, priority = 0): void {
  entries.set(backend.name, { backend, priority });
}

export function registeredBackends(): string[] {
  return [...entries.keys()];
}

export function findBackend(name: string): Backend | undefined {
  return entries.get(name)?.backend;
}

/** Makes `name` the active backend; throws, naming the choices, if it is not registered. */
export function setBackend(name: string): Backend {
  const entry = entries.get(name);
  if (!entry) {
    throw new Error(
      `Unknown backend '${name}'. Registered backends: ${registeredBackends().join(', ') || '(none)'}.`,
    );
  }
  active = entry.backend;
  return active;
}

/** The active backend: the one set with `setBackend`, else the highest-priority one. */
export function getBackend(): Backend {
  if (active) return active;
  let best: Entry | undefined;
  for (const e of entries.values()) if (!best || e.priority > best.priority) best = e;
  if (!best) throw new Error('No compute backend is registered.');
  active = best.backend;
  return active;
}

/** Name of the active backend, e.g. 'native' or 'js'. */
export function backendName(): string {
  return getBackend().name;
}
