// Builds the wasm kernels: the C++ sources of native/ compiled for wasm32 by clang + lld
// against wasi-libc (Debian: clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32), in
// two variants the loaders choose between at run time (src/kernels/wasm/variants.ts):
//   dist/wasm/mnist-lab-kernels.wasm          SIMD128, runs wherever wasm SIMD does
//   dist/wasm/mnist-lab-kernels-relaxed.wasm  SIMD128 + relaxed SIMD (fused multiply-add);
//                                             needs clang >= 16 (Debian: clang-19 lld-19
//                                             libclang-rt-19-dev-wasm32): older clangs emit
//                                             the pre-standard opcodes no engine accepts
//   node scripts/build-wasm.mjs            fails when a variant cannot be built
//   node scripts/build-wasm.mjs --optional  says so and exits 0 instead (npm run build)
//   CXX_WASM=clang++-19                     picks the compiler (default: the newest clang++)
//   MLN_WASM_EXTRA='-DMLN_MR=4 -DMLN_NV=3'  extra flags (to try micro-tiles)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const outDir = join(root, 'dist', 'wasm');

// The kernels, the serial stand-in for the thread pool, and the wasm entry points.
const SOURCES = [
  'wasm-entry.cc',
  'gemm.cc',
  'conv.cc',
  'batch-norm.cc',
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

/** clang++ candidates, best first: $CXX_WASM, then clang++-NN newest first, then clang++. */
function clangCandidates() {
  const versioned = [];
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const m = /^clang\+\+-(\d+)$/.exec(f);
      if (m) versioned.push([Number(m[1]), f]);
    }
  }
  versioned.sort((a, b) => b[0] - a[0]);
  const names = process.env.CXX_WASM
    ? [process.env.CXX_WASM]
    : [...versioned.map((v) => v[1]), 'clang++'];
  return names.filter((name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0);
}

/** wasi-libc's headers and libraries: Debian installs them under /usr (wasm32-wasi triple dirs). */
function findSysroot() {
  for (const dir of [process.env.WASI_SYSROOT, '/usr/share/wasi-sysroot', '/usr']) {
    if (dir && existsSync(join(dir, 'include', 'wasm32-wasi', 'stdlib.h'))) return dir;
    if (dir && existsSync(join(dir, 'include', 'stdlib.h')) && dir !== '/usr') return dir;
  }
  return undefined;
}

const clangs = clangCandidates();
if (clangs.length === 0)
  fail('no clang++ found (Debian: apt-get install clang lld wasi-libc libc++-dev-wasm32)');
const sysroot = findSysroot();
if (!sysroot) fail('no wasi-libc sysroot found (Debian: apt-get install wasi-libc)');
const cxxInclude = join(sysroot, 'include', 'wasm32-wasi', 'c++', 'v1');
const extra = (process.env.MLN_WASM_EXTRA ?? '').split(/\s+/).filter(Boolean);

function compile(clang, simdFlags, out) {
  const args = [
    '--target=wasm32-wasi',
    `--sysroot=${sysroot}`,
    ...(existsSync(cxxInclude) ? ['-isystem', cxxInclude] : []),
    '-O3',
    ...simdFlags,
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
    ...extra,
    '-o',
    out,
    ...SOURCES,
  ];
  return spawnSync(clang, args, { stdio: 'inherit' }).status === 0;
}

/**
 * Whether this clang emits relaxed SIMD with the standard opcodes: clang 14 and 15 know
 * -mrelaxed-simd but not __builtin_wasm_relaxed_madd_f32x4 (their prototype builtins encode
 * opcodes the final proposal renumbered).
 */
function hasRelaxedSimd(clang) {
  const r = spawnSync(
    clang,
    ['--target=wasm32', '-mrelaxed-simd', '-fsyntax-only', '-x', 'c', '-'],
    {
      input:
        'typedef float f4 __attribute__((vector_size(16)));\n' +
        'f4 f(f4 a, f4 b, f4 c) { return __builtin_wasm_relaxed_madd_f32x4(a, b, c); }\n',
      encoding: 'utf8',
    },
  );
  return r.status === 0;
}

mkdirSync(outDir, { recursive: true });
// One compiler for both variants, so they differ only in the instructions chosen: the first
// candidate that can build the relaxed one, else the first.
const clang = clangs.find(hasRelaxedSimd) ?? clangs[0];
const plain = join(outDir, 'mnist-lab-kernels.wasm');
if (!compile(clang, ['-msimd128'], plain)) fail(`${clang} failed to build ${plain}`);
console.error(`build-wasm: wrote ${plain} (${clang}, simd128)`);
const relaxed = join(outDir, 'mnist-lab-kernels-relaxed.wasm');
if (!hasRelaxedSimd(clang)) {
  fail(
    `${clang} cannot build the relaxed-simd variant (needs clang >= 16; Debian: ` +
      'apt-get install clang-19 lld-19 libclang-rt-19-dev-wasm32); the simd128 one is built',
  );
}
if (!compile(clang, ['-msimd128', '-mrelaxed-simd'], relaxed))
  fail(`${clang} failed to build ${relaxed}`);
console.error(`build-wasm: wrote ${relaxed} (${clang}, relaxed-simd)`);
