// Imported first by the CLI: environment variables that steer the engine are checked before any
// module reads them, and a bad value is one line and exit code 2, never a stack trace.
import { parseWasmIsa } from '../src/kernels/wasm/wasm-backend.js';
import { BACKEND_NAMES } from './backend-names.js';

/** The problem with the MNIST_LAB_* settings in `env`, or null when they are fine. */
export function environmentProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  const threads = env['MNIST_LAB_NUM_THREADS']?.trim();
  if (threads) {
    const n = Number(threads);
    if (!/^\d+$/.test(threads) || !(n >= 1 && n <= 256)) {
      return `MNIST_LAB_NUM_THREADS must be a whole number from 1 to 256, got '${env['MNIST_LAB_NUM_THREADS']}'. Unset it to use every core.`;
    }
  }
  const backend = env['MNIST_LAB_BACKEND']?.trim().toLowerCase();
  if (backend && !BACKEND_NAMES.includes(backend)) {
    return `MNIST_LAB_BACKEND must be one of ${BACKEND_NAMES.join(', ')}, got '${env['MNIST_LAB_BACKEND']}'. Unset it to pick the fastest available.`;
  }
  // Checked whatever the backend, like MNIST_LAB_NUM_THREADS: a typo is caught on the first run.
  try {
    parseWasmIsa(env['MNIST_LAB_WASM_ISA'], 'MNIST_LAB_WASM_ISA');
  } catch (error) {
    return `${(error as Error).message}. Unset it to use the best wasm build.`;
  }
  return null;
}

const problem = environmentProblem();
if (problem !== null) {
  process.stderr.write(`mnist-lab: ${problem}\n`);
  process.exit(2);
}
