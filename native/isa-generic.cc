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
// Sized for V8 on x86-64, which allocates 15 xmm registers (xmm15 is its scratch), with the k
// loop not unrolled (isa-kernels.inl): relaxed_madd accumulates in place, so 6x2 vectors (12
// accumulators, 2 of B, 1 broadcast of A) fit; a multiply and an add need a register for the
// product, so 5x2. 128x784x512 at one thread, Node 20, AMD EPYC (Zen 5), against the unrolled
// 8x2 both builds had before: 1.15x relaxed, 1.09x SIMD128; 8x2 unrolled or not spills
// (0.7x), and 4x3 spills too.
#if defined(__wasm_relaxed_simd__)
#define MLN_MR 6
#else
#define MLN_MR 5
#endif
#define MLN_NV 2
#endif
#else
#define MLN_SIMD_SCALAR 1
#define MLN_MR 4
#define MLN_NV 4
#endif
#include "isa-kernels.inl"
