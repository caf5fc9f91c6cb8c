/**
 * Finds and loads the compiled addon (build/Release/mnist_lab_native.node under the package
 * root). Never throws: on any failure it returns null and remembers why, so the Node entry can
 * fall back to the js backend and say so once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../../src/kernels/backend.js';
import type { NativeAddon } from './addon.js';
import { createNativeBackend } from './native-backend.js';

const ADDON = join('build', 'Release', 'mnist_lab_native.node');

let loaded: { addon: NativeAddon; backend: Backend } | null | undefined;
let loadError: string | undefined;

/** The directory holding mnist-lab's package.json, walking up from this file (dist/node/native/). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'mnist-lab')
          return dir;
      } catch {
        // An unreadable manifest is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function looksLikeAddon(value: unknown): value is NativeAddon {
  const a = value as Partial<NativeAddon> | null;
  return (
    !!a &&
    typeof a.gemm === 'function' &&
    typeof a.info === 'function' &&
    typeof a.applyUpdate === 'function'
  );
}

/** Loads one addon file; returns it, or the reason it cannot be used. */
export function loadAddonFile(file: string): NativeAddon | string {
  if (!existsSync(file))
    return `${file} does not exist (the native build failed or was skipped at install)`;
  try {
    const addon: unknown = createRequire(import.meta.url)(file);
    return looksLikeAddon(addon)
      ? addon
      : `${file} loaded but is not the mnist-lab addon (stale build?)`;
  } catch (error) {
    return `${file} failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function load(): { addon: NativeAddon; backend: Backend } | null {
  if (process.env['MNIST_LAB_SKIP_NATIVE'] === '1') {
    loadError = 'MNIST_LAB_SKIP_NATIVE=1';
    return null;
  }
  const root = packageRoot();
  if (root === undefined) {
    loadError = 'could not find the mnist-lab package root above ' + fileURLToPath(import.meta.url);
    return null;
  }
  const addon = loadAddonFile(join(root, ADDON));
  if (typeof addon === 'string') {
    loadError = addon;
    return null;
  }
  return { addon, backend: createNativeBackend(addon) };
}

function ensureLoaded(): { addon: NativeAddon; backend: Backend } | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** The native backend (one shared instance), or null when the addon is missing or broken. */
export function loadNativeBackend(): Backend | null {
  return ensureLoaded()?.backend ?? null;
}

/** Why loadNativeBackend() returned null; undefined when it loaded (or was not tried yet). */
export function nativeLoadError(): string | undefined {
  return loadError;
}

/** The raw addon, for nativeInfo() and tests; null when it did not load. */
export function loadNativeAddon(): NativeAddon | null {
  return ensureLoaded()?.addon ?? null;
}
