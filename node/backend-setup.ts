// Imported by the Node entry: the backends in order native -> wasm -> js (the first that loads
// is active), MNIST_LAB_BACKEND=native|wasm|js to choose one, and one line on stderr when the
// choice is not native, saying why.
import '../src/kernels/index.js'; // registers the js reference backend
import {
  findBackend,
  registerBackend,
  registerBackendFactory,
  setBackend,
} from '../src/kernels/registry.js';
import { loadNativeBackend, nativeLoadError } from './native/load.js';
import { loadWasmBackend, wasmLoadError } from './wasm/load.js';
import { BACKEND_NAMES as NAMES } from './backend-names.js';

const wanted = process.env['MNIST_LAB_BACKEND']?.trim().toLowerCase() || undefined;
if (wanted !== undefined && !NAMES.includes(wanted)) {
  throw new Error(
    `MNIST_LAB_BACKEND must be one of ${NAMES.join(', ')}, got '${process.env['MNIST_LAB_BACKEND']}'.`,
  );
}

// wasm is compiled on first use: a process on native never pays for it. The loader's reason
// travels with it, so setBackend('wasm') (the CLI's --backend) can say why it failed.
registerBackendFactory('wasm', 5, loadWasmBackend, wasmLoadError);
// MNIST_LAB_REQUIRE_NATIVE=1 (CI) makes a missing addon an error whatever backend is chosen,
// so a run cannot pass on the wrong engine.
const required = process.env['MNIST_LAB_REQUIRE_NATIVE'] === '1';
const native = (wanted === 'js' || wanted === 'wasm') && !required ? null : loadNativeBackend();
if (!native && required) {
  throw new Error(
    `MNIST_LAB_REQUIRE_NATIVE=1, but the native kernels could not be loaded (${nativeLoadError() ?? 'unknown reason'}). ` +
      'Run `npm run build:native` to see why the build failed.',
  );
}
if (native) registerBackend(native, 10);
// Not loaded (or not tried, when MNIST_LAB_BACKEND chose another): setBackend('native') tries it
// then and reports why it failed.
else registerBackendFactory('native', 10, loadNativeBackend, nativeLoadError);

function unavailable(name: string, why: string | undefined, rebuild: string): never {
  throw new Error(
    `MNIST_LAB_BACKEND=${name}, but the ${name} kernels could not be loaded (${why ?? 'unknown reason'}). ` +
      `Rebuild them with \`${rebuild}\`, or unset MNIST_LAB_BACKEND.`,
  );
}

if (wanted === 'native' && !native)
  unavailable('native', nativeLoadError(), 'npm run build:native');
if (wanted === 'wasm' && !findBackend('wasm')) {
  // A bad MNIST_LAB_WASM_ISA is not fixed by a rebuild: its own message says what to set.
  const why = wasmLoadError();
  if (why?.startsWith('MNIST_LAB_WASM_ISA '))
    throw new Error(`${why}. Unset it to use the best wasm build.`);
  unavailable('wasm', why, 'npm run build:wasm');
}

let choice = wanted ?? 'native';
if (wanted === undefined && !native) {
  choice = findBackend('wasm') ? 'wasm' : 'js';
  const wasmWhy =
    choice === 'js'
      ? `; wasm kernels unavailable too (${wasmLoadError() ?? 'unknown reason'})`
      : '';
  const variant = choice === 'wasm' ? ` (${findBackend('wasm')!.isa()})` : '';
  process.emitWarning(
    `native kernels unavailable (tried ${nativeLoadError() ?? 'unknown reason'})${wasmWhy}; using the "${choice}" backend${variant}. ` +
      'In a clone, `npm run build:native` shows why the build failed; the published package ships ' +
      'native kernels for linux-x64 only. Set MNIST_LAB_BACKEND to silence this.',
    { code: 'MNIST_LAB_NO_NATIVE' },
  );
}
setBackend(choice);
