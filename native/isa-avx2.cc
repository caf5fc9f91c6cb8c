// AVX2 + FMA kernels: built with -mavx2 -mfma (see binding.gyp) and only called after
// dispatch.cc has checked the CPU. 6x16 micro-tile: 12 ymm accumulators.
#define MLN_ISA_NS avx2
#define MLN_SIMD_AVX2 1
#define MLN_MR 6
#define MLN_NV 2
#include "isa-kernels.inl"
