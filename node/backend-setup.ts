// Imported by the Node entry: registers the native backend when its addon loads, honours
// MNIST_LAB_BACKEND=js|native, and says once, clearly, when it falls back to js.
import '../src/kernels/index.js'; // registers the js reference backend
import { registerBackend, setBackend } from '../src/kernels/registry.js';
import { loadNativeBackend, nativeLoadError } from './native/load.js';

const wanted = process.env['MNIST_LAB_BACKEND']?.trim().toLowerCase() || undefined;
if (wanted !== undefined && wanted !== 'js' && wanted !== 'native') {
  throw new Error(
    `MNIST_LAB_BACKEND must be 'js' or 'native', got '${process.env['MNIST_LAB_BACKEND']}'.`,
  );
}

// MNIST_LAB_REQUIRE_NATIVE=1 (CI) makes a missing addon an error whatever backend is chosen,
// so a run cannot pass on the wrong engine.
const required = process.env['MNIST_LAB_REQUIRE_NATIVE'] === '1';
const native = wanted === 'js' && !required ? null : loadNativeBackend();
if (!native && required) {
  throw new Error(
    `MNIST_LAB_REQUIRE_NATIVE=1, but the native kernels could not be loaded (${nativeLoadError() ?? 'unknown reason'}). ` +
      'Run `npm run build:native` to see why the build failed.',
  );
}
if (native) {
  registerBackend(native, 10);
} else if (wanted === 'native') {
  throw new Error(
    `MNIST_LAB_BACKEND=native, but the native kernels could not be loaded (${nativeLoadError() ?? 'unknown reason'}). ` +
      'Rebuild them with `npm run build:native`, or unset MNIST_LAB_BACKEND to use the js backend.',
  );
} else if (wanted === undefined) {
  process.emitWarning(
    `native kernels unavailable (tried ${nativeLoadError() ?? 'unknown reason'}); using the slower pure-TypeScript "js" backend. ` +
      'In a clone, `npm run build:native` shows why the build failed; the published package ships ' +
      'native kernels for linux-x64 only. MNIST_LAB_BACKEND=js silences this.',
    { code: 'MNIST_LAB_NO_NATIVE' },
  );
}
setBackend(native && wanted !== 'js' ? 'native' : 'js');
