// AVX-512 kernels: built with -mavx512f -mavx512bw -mavx512vl -mfma (see binding.gyp) and only
// called after dispatch.cc has checked the CPU. 12x32 micro-tile: 24 zmm accumulators.
#define MLN_ISA_NS avx512
#define MLN_SIMD_AVX512 1
#define MLN_MR 12
#define MLN_NV 2
#include "isa-kernels.inl"
