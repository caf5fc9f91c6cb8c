// Portable kernels built with the target's baseline flags: SSE2 on x86-64, SIMD128 on
// WebAssembly (scripts/build-wasm.mjs passes -msimd128), plain C++ elsewhere.
#define MLN_ISA_NS generic
#if defined(__x86_64__) || defined(_M_X64)
#define MLN_SIMD_SSE2 1
#define MLN_MR 6
#define MLN_NV 2
#elif defined(__wasm_simd128__)
#define MLN_SIMD_WASM 1
#ifndef MLN_MR  // 8x2 vectors measured best in V8 (16 accumulators); -D to try others
#define MLN_MR 8
#define MLN_NV 2
#endif
#else
#define MLN_SIMD_SCALAR 1
#define MLN_MR 4
#define MLN_NV 4
#endif
#include "isa-kernels.inl"
