// Builds the native kernels from source with node-gyp: in a clone, `npm install` runs this
// (prepare). A failed build must not fail the install: the library then falls back and says so
// once at load time. `--strict` (npm run build:native, CI) makes failure fatal.
// `--prebuild` (npm pack) builds with prebuildify into native/prebuilds/<platform>-<arch>/,
// the binary the published package ships, so its users need no compiler and no install script.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prebuild = process.argv.includes('--prebuild');
const strict = prebuild || process.argv.includes('--strict');

// npm pack runs prepack (prebuildify, which also leaves build/Release) and then prepare: one
// compile is enough.
if (!prebuild && !strict && ['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  process.exit(0);
}

if (process.env.MNIST_LAB_SKIP_NATIVE === '1') {
  console.warn('mnist-lab: MNIST_LAB_SKIP_NATIVE=1, not building the native kernels.');
  process.exit(0);
}

// npm passes its bundled node-gyp in npm_config_node_gyp. Run directly (`node scripts/...`),
// look for npm's copy beside this node, then fall back to a node-gyp on PATH.
const prefix = join(dirname(process.execPath), '..');
const bundled = join('node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const nodeGyp = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib', bundled), // Unix layout: <prefix>/bin/node, <prefix>/lib/node_modules
  join(dirname(process.execPath), bundled), // Windows layout: node.exe beside node_modules
].find((p) => p && existsSync(p));
const args = ['rebuild'];
// Use the running node's own headers when they are installed: no download, works offline.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
let [cmd, cmdArgs] = nodeGyp ? [process.execPath, [nodeGyp, ...args]] : ['node-gyp', args];
let env = process.env;
if (prebuild) {
  // prebuildify drives node-gyp itself; point it at the same node-gyp and local headers.
  const bin = join(root, 'node_modules', 'prebuildify', 'bin.js');
  [cmd, cmdArgs] = [process.execPath, [bin, '--napi', '--strip', '--tag-libc', '--out', 'native']];
  env = {
    ...process.env,
    ...(nodeGyp ? { PREBUILD_NODE_GYP: nodeGyp } : {}),
    ...(args.length > 1 ? { npm_config_nodedir: prefix } : {}),
  };
}
// An explicit rebuild from source drops old prebuilds: the loader prefers prebuilt binaries.
if (strict && !prebuild)
  rmSync(join(root, 'native', 'prebuilds'), { recursive: true, force: true });
const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });

if (result.status !== 0) {
  // Leave no half-built addon behind for the loader to trip over.
  const out = join(root, 'build', 'Release', 'mnist_lab_native.node');
  if (existsSync(out)) rmSync(out);
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status}`;
  if (strict) {
    console.error(`mnist-lab: could not build the native kernels (${why}).`);
    process.exit(1);
  }
  const msg = `mnist-lab: could not build the native kernels (${why}); the pure-TypeScript "js" backend will be used.`;
  console.warn(msg);
}
