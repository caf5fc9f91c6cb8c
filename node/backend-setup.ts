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

const native = wanted === 'js' ? null : loadNativeBackend();
if (native) {
  registerBackend(native, 10);
} else if (wanted === 'native') {
  throw new Error(
    `MNIST_LAB_BACKEND=native, but the native kernels could not be loaded (${nativeLoadError() ?? 'unknown reason'}). ` +
      'Rebuild them with `npm run build:native`, or unset MNIST_LAB_BACKEND to use the js backend.',
  );
} else if (wanted === undefined) {
  process.emitWarning(
    `native kernels unavailable (${nativeLoadError() ?? 'unknown reason'}); using the slower pure-TypeScript "js" backend. ` +
      'Run `npm run build:native` to see why the build failed, or set MNIST_LAB_BACKEND=js to silence this.',
    { code: 'MNIST_LAB_NO_NATIVE' },
  );
}
setBackend(native ? 'native' : 'js');
