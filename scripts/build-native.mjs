// Builds the native kernels with node-gyp during `npm install`.
// A failed build must not fail the install: the library then runs on the `js` backend
// and says so once at load time. `--strict` (npm run build:native) makes failure fatal.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

if (process.env.MNIST_LAB_SKIP_NATIVE === '1') {
  console.warn('mnist-lab: MNIST_LAB_SKIP_NATIVE=1, not building the native kernels.');
  process.exit(0);
}

const nodeGyp = process.env.npm_config_node_gyp;
const [cmd, args] = nodeGyp ? [process.execPath, [nodeGyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });

if (result.status !== 0) {
  // Leave no half-built addon behind for the loader to trip over.
  const out = join(root, 'build', 'Release', 'mnist_lab_native.node');
  if (existsSync(out)) rmSync(out);
  const why = result.error ? result.error.message : `node-gyp exited with ${result.status}`;
  const msg = `mnist-lab: could not build the native kernels (${why}); the pure-TypeScript "js" backend will be used.`;
  if (strict) {
    console.error(msg);
    process.exit(1);
  }
  console.warn(msg);
}
