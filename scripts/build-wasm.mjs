// Builds the wasm kernels: the C++ sources of native/ compiled for wasm32 with SIMD128 by
// clang + lld against wasi-libc (Debian: clang lld wasi-libc libc++-dev-wasm32
// libclang-rt-dev-wasm32), into dist/wasm/mnist-lab-kernels.wasm.
//   node scripts/build-wasm.mjs            fails when no toolchain is found
//   node scripts/build-wasm.mjs --optional  says so and exits 0 instead (npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const out = join(root, 'dist', 'wasm', 'mnist-lab-kernels.wasm');

// The kernels, the serial stand-in for the thread pool, and the wasm entry points.
const SOURCES = [
  'wasm-entry.cc',
  'gemm.cc',
  'conv.cc',
  'depthwise.cc',
  'image.cc',
  'ops.cc',
  'dispatch.cc',
  'isa-generic.cc',
  'thread-pool-serial.cc',
].map((f) => join(root, 'native', f));

function fail(message) {
  if (optional) {
    console.error(`build-wasm: skipped (${message})`);
    process.exit(0);
  }
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

/** A clang++ that can target wasm32-wasi: $CXX_WASM, then clang++, then clang++-NN. */
function findClang() {
  const names = [process.env.CXX_WASM, 'clang++'].filter(Boolean);
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/^clang\+\+-\d+$/.test(f)) names.push(f);
  }
  for (const name of names) {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return name;
  }
  return undefined;
}

/** wasi-libc's headers and libraries: Debian installs them under /usr (wasm32-wasi triple dirs). */
function findSysroot() {
  for (const dir of [process.env.WASI_SYSROOT, '/usr/share/wasi-sysroot', '/usr']) {
    if (dir && existsSync(join(dir, 'include', 'wasm32-wasi', 'stdlib.h'))) return dir;
    if (dir && existsSync(join(dir, 'include', 'stdlib.h')) && dir !== '/usr') return dir;
  }
  return undefined;
}

const clang = findClang();
if (!clang)
  fail('no clang++ found (Debian: apt-get install clang lld wasi-libc libc++-dev-wasm32)');
const sysroot = findSysroot();
if (!sysroot) fail('no wasi-libc sysroot found (Debian: apt-get install wasi-libc)');
const cxxInclude = join(sysroot, 'include', 'wasm32-wasi', 'c++', 'v1');

const args = [
  '--target=wasm32-wasi',
  `--sysroot=${sysroot}`,
  ...(existsSync(cxxInclude) ? ['-isystem', cxxInclude] : []),
  '-O3',
  '-msimd128',
  '-std=c++17',
  '-fno-exceptions',
  '-fno-rtti',
  '-fno-math-errno',
  '-fvisibility=hidden',
  '-mexec-model=reactor',
  '-nostdlib++',
  '-Wl,--strip-all',
  // Room to grow: the kernels allocate scratch (GEMM packing, conv columns) with malloc.
  '-Wl,--initial-memory=16777216',
  '-o',
  out,
  ...SOURCES,
];
mkdirSync(dirname(out), { recursive: true });
const r = spawnSync(clang, args, { stdio: 'inherit' });
if (r.status !== 0) fail(`${clang} exited with ${r.status ?? r.error?.message}`);
console.error(`build-wasm: wrote ${out}`);
