// Portable kernels built with the target's baseline flags: SSE2 on x86-64, SIMD128 on
// WebAssembly (scripts/build-wasm.mjs passes -msimd128), plain C++ elsewhere.
#define MLN_ISA_NS generic
#if defined(__x86_64__) || defined(_M_X64)
#define MLN_SIMD_SSE2 1
#define MLN_MR 6
#define MLN_NV 2
#elif defined(__wasm_simd128__)
#define MLN_SIMD_WASM 1
#define MLN_MR 4
#define MLN_NV 4
#else
#define MLN_SIMD_SCALAR 1
#define MLN_MR 4
#define MLN_NV 4
#endif
#include "isa-kernels.inl"
