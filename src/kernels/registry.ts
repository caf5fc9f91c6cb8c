import type { Backend } from './backend.js';

/**
 * Named backends. The library core registers `js`; in a browser it also starts loading `wasm`
 * (await `ready()` for it); the Node entry registers `native` when its addon loads and `wasm`
 * to be created on first use. The highest-priority available backend is active unless one is
 * chosen with `setBackend` (or MNIST_LAB_BACKEND in Node).
 */
interface Entry {
  priority: number;
  backend?: Backend;
  /** Makes the backend on first use; null when it cannot (remembered). */
  create?: () => Backend | null;
  /** Why create() returned null, for setBackend's error. */
  whyFailed?: () => string | undefined;
  failed?: boolean;
}

const entries = new Map<string, Entry>();
const pending: Promise<void>[] = [];
/** The backend chosen with setBackend, else undefined (then the best available one is used). */
let chosen: Backend | undefined;
let best: Backend | undefined;

export function registerBackend(backend: Backend, priority = 0): void {
  entries.set(backend.name, { backend, priority });
  best = undefined;
}

/**
 * Registers a backend made on first use (findBackend, setBackend, or when it is the best).
 * `whyFailed` says why `create` returned null, so setBackend can tell the user.
 */
export function registerBackendFactory(
  name: string,
  priority: number,
  create: () => Backend | null,
  whyFailed?: () => string | undefined,
): void {
  entries.set(name, { create, priority, ...(whyFailed ? { whyFailed } : {}) });
  best = undefined;
}

/**
 * Registers a backend that loads asynchronously (the wasm module in a browser); it joins the
 * registry when loaded, and `ready()` waits for it. A failed load leaves the others in place.
 */
export function registerBackendLoader(priority: number, load: () => Promise<Backend | null>): void {
  pending.push(
    load().then(
      (b) => {
        if (b) registerBackend(b, priority);
      },
      () => undefined,
    ),
  );
}

/** Resolves once every backend still loading has loaded (or failed), with the active one's name. */
export async function ready(): Promise<string> {
  await Promise.all(pending);
  return backendName();
}

function materialise(name: string, e: Entry): Backend | undefined {
  if (e.backend || e.failed || !e.create) return e.backend;
  const b = e.create();
  if (b) e.backend = b;
  else e.failed = true;
  return e.backend;
}

export function registeredBackends(): string[] {
  return [...entries].filter(([, e]) => !e.failed).map(([name]) => name);
}

export function findBackend(name: string): Backend | undefined {
  const e = entries.get(name);
  return e && materialise(name, e);
}

/** Makes `name` the active backend; throws, naming the choices, if it is not available. */
export function setBackend(name: string): Backend {
  const backend = findBackend(name);
  const e = entries.get(name);
  if (!backend && e?.failed) {
    const why = (e.whyFailed?.() ?? 'unknown reason').replace(/\.$/, '');
    throw new Error(`The ${name} backend could not be loaded: ${why}.`);
  }
  if (!backend) {
    throw new Error(
      `Unknown backend '${name}'. Registered backends: ${registeredBackends().join(', ') || '(none)'}.`,
    );
  }
  chosen = backend;
  return chosen;
}

/** The active backend: the one set with `setBackend`, else the best available one. */
export function getBackend(): Backend {
  if (chosen) return chosen;
  if (best) return best;
  const byPriority = [...entries].sort((a, b) => b[1].priority - a[1].priority);
  for (const [name, e] of byPriority) {
    const b = materialise(name, e);
    if (b) return (best = b);
  }
  throw new Error('No compute backend is registered.');
}

/** Name of the active backend, e.g. 'native', 'wasm' or 'js'. */
export function backendName(): string {
  return getBackend().name;
}
