/**
 * Finds and loads the native addon, in this order:
 *
 * 1. prebuilt: the binary `npm pack` puts in native/prebuilds/<platform>-<arch>/ (made by
 *    prebuildify, matched to this platform, CPU and libc by node-gyp-build), so an install
 *    with no compiler and no install script still gets the native engine;
 * 2. compiled: build/Release/mnist_lab_native.node, built from source (a clone's npm install).
 *
 * Never throws: on failure it returns null and remembers each attempt and why it failed, so the
 * Node entry can fall back (wasm when there is one, then js) and say so once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../../src/kernels/backend.js';
import type { NativeAddon } from './addon.js';
import { createNativeBackend } from './native-backend.js';

const ADDON = join('build', 'Release', 'mnist_lab_native.node');

/** Where a native binary comes from. */
export type NativeSource = 'prebuilt' | 'compiled';

/** One place the loader looked, in order, and why it was not used (if it was not). */
export interface LoadAttempt {
  source: NativeSource;
  file: string | null;
  error?: string;
}

interface Loaded {
  addon: NativeAddon;
  backend: Backend;
  source: NativeSource;
  file: string;
}

let loaded: Loaded | null | undefined;
let loadError: string | undefined;
const attempts: LoadAttempt[] = [];

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

/** The prebuilt binary for this platform, CPU and libc, or why there is none. */
function findPrebuilt(root: string): string | { error: string } {
  const dir = join(root, 'native');
  try {
    // native/ holds prebuilds/ but no build/, so node-gyp-build looks at the prebuilds only.
    const nodeGypBuild = createRequire(import.meta.url)('node-gyp-build') as {
      path(dir: string): string;
    };
    return nodeGypBuild.path(dir);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { error: why };
  }
}

function load(): Loaded | null {
  if (process.env['MNIST_LAB_SKIP_NATIVE'] === '1') {
    loadError = 'MNIST_LAB_SKIP_NATIVE=1';
    return null;
  }
  const root = packageRoot();
  if (root === undefined) {
    loadError = 'could not find the mnist-lab package root above ' + fileURLToPath(import.meta.url);
    return null;
  }
  const candidates: { source: NativeSource; file: string | { error: string } }[] = [
    { source: 'prebuilt', file: findPrebuilt(root) },
    { source: 'compiled', file: join(root, ADDON) },
  ];
  for (const { source, file } of candidates) {
    if (typeof file !== 'string') {
      attempts.push({ source, file: null, error: file.error });
      continue;
    }
    const addon = loadAddonFile(file);
    if (typeof addon === 'string') {
      attempts.push({ source, file, error: addon });
      continue;
    }
    attempts.push({ source, file });
    return { addon, backend: createNativeBackend(addon), source, file };
  }
  loadError = attempts.map((a) => `${a.source}: ${a.error}`).join('; ');
  return null;
}

function ensureLoaded(): Loaded | null {
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

/** Where the addon came from and every place tried, in order (for nativeInfo()). */
export function nativeLoadReport(): {
  source: NativeSource | null;
  file: string | null;
  attempts: LoadAttempt[];
} {
  const l = ensureLoaded();
  return { source: l?.source ?? null, file: l?.file ?? null, attempts: [...attempts] };
}
