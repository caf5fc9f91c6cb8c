// Portable kernels built with the target's baseline flags: SSE2 on x86-64, SIMD128 on
// WebAssembly (scripts/build-wasm.mjs passes -msimd128, and -mrelaxed-simd for the second
// module), plain C++ elsewhere.
#define MLN_ISA_NS generic
#if defined(__x86_64__) || defined(_M_X64)
#define MLN_SIMD_SSE2 1
#define MLN_MR 6
#define MLN_NV 2
#elif defined(__wasm_simd128__)
#define MLN_SIMD_WASM 1
#ifndef MLN_MR  // -D to try others
// 8x2 vectors measured best in V8 for a multiply and an add (16 accumulators), and with
// relaxed_madd too: 6x2 (12 accumulators, no spills on x86's 16 xmm) and 4x3, 4x4, 5x2, 7x2
// were all as fast or slower (128x784x512, Node 20, AMD EPYC).
#define MLN_MR 8
#define MLN_NV 2
#endif
#else
#define MLN_SIMD_SCALAR 1
#define MLN_MR 4
#define MLN_NV 4
#endif
#include "isa-kernels.inl"
