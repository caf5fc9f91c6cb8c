import type { Backend, KernelName } from '../../src/kernels/backend.js';
import { jsBackend } from '../../src/kernels/index.js';
import type { CodeList } from '../../src/kernels/kernel-args.js';
import { compiledBackend, type FlatArg } from '../../src/kernels/marshal.js';
import type { NativeAddon } from './addon.js';

/**
 * The `native` backend: the C++ kernels of native/ (AVX-512 / AVX2 / portable, picked at load,
 * threaded on a persistent pool), Float32Array only. Arguments are marshalled from the kernel
 * schema (src/kernels/kernel-args.ts) and op codes come from the addon's own name lists, so
 * nothing positional is shared unchecked; a kernel or op the addon lacks runs on js.
 */
export function createNativeBackend(addon: NativeAddon): Backend {
  const fns = addon as unknown as Record<string, ((...args: FlatArg[]) => void) | undefined>;
  return compiledBackend(
    {
      name: 'native',
      has: (kernel: KernelName) => typeof fns[kernel] === 'function',
      codeLists: addon.opNames as Record<CodeList, readonly string[]>,
      call: (kernel, args) => fns[kernel]!(...args),
      getNumThreads: () => addon.getNumThreads(),
      setNumThreads: (n) => addon.setNumThreads(n),
      isa: () => addon.info().isa,
    },
    jsBackend,
  );
}
