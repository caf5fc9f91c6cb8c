// A thin SIMD layer so one kernel source (isa-kernels.inl) compiles for AVX-512, AVX2, the
// x86-64 baseline (SSE2) and plain scalar C++. Exactly one MLN_SIMD_* macro is defined by the
// including translation unit, which is built with the matching -m flags.
#pragma once

#include <cstdint>
#include <cmath>
#include <cstring>

#if defined(MLN_SIMD_AVX512) || defined(MLN_SIMD_AVX2) || defined(MLN_SIMD_SSE2)
#include <immintrin.h>
#elif defined(MLN_SIMD_WASM)
#include <wasm_simd128.h>
#endif

#if defined(_MSC_VER)
#define MLN_INLINE __forceinline
#else
#define MLN_INLINE inline __attribute__((always_inline))
#endif

namespace simd {

#if defined(MLN_SIMD_AVX512)

constexpr int W = 16;
using V = __m512;
using VI = __m512i;
using M = __mmask16;
constexpr bool kIntMul = true;

MLN_INLINE V zero() { return _mm512_setzero_ps(); }
MLN_INLINE V set1(float x) { return _mm512_set1_ps(x); }
MLN_INLINE V load(const float* p) { return _mm512_loadu_ps(p); }
MLN_INLINE void store(float* p, V v) { _mm512_storeu_ps(p, v); }
MLN_INLINE V add(V a, V b) { return _mm512_add_ps(a, b); }
MLN_INLINE V sub(V a, V b) { return _mm512_sub_ps(a, b); }
MLN_INLINE V mul(V a, V b) { return _mm512_mul_ps(a, b); }
MLN_INLINE V div(V a, V b) { return _mm512_div_ps(a, b); }
MLN_INLINE V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
MLN_INLINE V fnmadd(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }
MLN_INLINE V sqrt(V a) { return _mm512_sqrt_ps(a); }
// x86 max/min: the second operand is returned when either is NaN.
MLN_INLINE V max(V a, V b) { return _mm512_max_ps(a, b); }
MLN_INLINE V min(V a, V b) { return _mm512_min_ps(a, b); }
MLN_INLINE M gt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
MLN_INLINE M ge(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
MLN_INLINE M lt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
MLN_INLINE M le(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
MLN_INLINE M eq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
MLN_INLINE M isnan(V a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
MLN_INLINE M mand(M a, M b) { return a & b; }
MLN_INLINE M mor(M a, M b) { return a | b; }
MLN_INLINE bool any(M a) { return a != 0; }
MLN_INLINE V select(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }
MLN_INLINE VI iselect(M m, VI a, VI b) { return _mm512_mask_blend_epi32(m, b, a); }
MLN_INLINE VI bits(V a) { return _mm512_castps_si512(a); }
MLN_INLINE V from_bits(VI a) { return _mm512_castsi512_ps(a); }
MLN_INLINE VI iset1(int32_t x) { return _mm512_set1_epi32(x); }
MLN_INLINE VI iload(const int32_t* p) { return _mm512_loadu_si512(p); }
MLN_INLINE void istore(int32_t* p, VI v) { _mm512_storeu_si512(p, v); }
MLN_INLINE VI iadd(VI a, VI b) { return _mm512_add_epi32(a, b); }
MLN_INLINE VI isub(VI a, VI b) { return _mm512_sub_epi32(a, b); }
MLN_INLINE VI iand(VI a, VI b) { return _mm512_and_si512(a, b); }
MLN_INLINE VI ior(VI a, VI b) { return _mm512_or_si512(a, b); }
MLN_INLINE VI ixor(VI a, VI b) { return _mm512_xor_si512(a, b); }
MLN_INLINE VI imul(VI a, VI b) { return _mm512_mullo_epi32(a, b); }
template <int S> MLN_INLINE VI isll(VI a) { return _mm512_slli_epi32(a, S); }
template <int S> MLN_INLINE VI isrl(VI a) { return _mm512_srli_epi32(a, S); }
template <int S> MLN_INLINE VI isra(VI a) { return _mm512_srai_epi32(a, S); }
MLN_INLINE M igt(VI a, VI b) { return _mm512_cmpgt_epi32_mask(a, b); }
// Unsigned a >= b.
MLN_INLINE M iuge(VI a, VI b) { return _mm512_cmp_epu32_mask(a, b, _MM_CMPINT_NLT); }
MLN_INLINE VI cvt_round(V a) { return _mm512_cvtps_epi32(a); }
MLN_INLINE V cvt_float(VI a) { return _mm512_cvtepi32_ps(a); }
MLN_INLINE VI iota() { return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
MLN_INLINE float hsum(V a) { return _mm512_reduce_add_ps(a); }
MLN_INLINE float hmax(V a) { return _mm512_reduce_max_ps(a); }
MLN_INLINE float hmin(V a) { return _mm512_reduce_min_ps(a); }

#elif defined(MLN_SIMD_AVX2) || defined(MLN_SIMD_SSE2)

#if defined(MLN_SIMD_AVX2)
constexpr int W = 8;
using V = __m256;
using VI = __m256i;
constexpr bool kIntMul = true;
#define MLN_PS(name) _mm256_##name##_ps
#define MLN_SI(name) _mm256_##name##_si256
#define MLN_EPI(name) _mm256_##name##_epi32
MLN_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
MLN_INLINE V fnmadd(V a, V b, V c) { return _mm256_fnmadd_ps(a, b, c); }
MLN_INLINE V cmp_gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
MLN_INLINE V cmp_ge(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
MLN_INLINE V cmp_lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
MLN_INLINE V cmp_le(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
MLN_INLINE V cmp_eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
MLN_INLINE V cmp_unord(V a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
MLN_INLINE V blend(V m, V a, V b) { return _mm256_blendv_ps(b, a, m); }
MLN_INLINE int movemask(V m) { return _mm256_movemask_ps(m); }
MLN_INLINE VI imul(VI a, VI b) { return _mm256_mullo_epi32(a, b); }
MLN_INLINE VI iload(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const VI*>(p)); }
MLN_INLINE void istore(int32_t* p, VI v) { _mm256_storeu_si256(reinterpret_cast<VI*>(p), v); }
MLN_INLINE VI iota() { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
MLN_INLINE V castf(VI a) { return _mm256_castsi256_ps(a); }
MLN_INLINE VI casti(V a) { return _mm256_castps_si256(a); }
template <int S> MLN_INLINE VI isll(VI a) { return _mm256_slli_epi32(a, S); }
template <int S> MLN_INLINE VI isrl(VI a) { return _mm256_srli_epi32(a, S); }
template <int S> MLN_INLINE VI isra(VI a) { return _mm256_srai_epi32(a, S); }
#else
constexpr int W = 4;
using V = __m128;
using VI = __m128i;
constexpr bool kIntMul = false;  // SSE2 has no 32-bit mullo
#define MLN_PS(name) _mm_##name##_ps
#define MLN_SI(name) _mm_##name##_si128
#define MLN_EPI(name) _mm_##name##_epi32
MLN_INLINE V fmadd(V a, V b, V c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
MLN_INLINE V fnmadd(V a, V b, V c) { return _mm_sub_ps(c, _mm_mul_ps(a, b)); }
MLN_INLINE V cmp_gt(V a, V b) { return _mm_cmpgt_ps(a, b); }
MLN_INLINE V cmp_ge(V a, V b) { return _mm_cmpge_ps(a, b); }
MLN_INLINE V cmp_lt(V a, V b) { return _mm_cmplt_ps(a, b); }
MLN_INLINE V cmp_le(V a, V b) { return _mm_cmple_ps(a, b); }
MLN_INLINE V cmp_eq(V a, V b) { return _mm_cmpeq_ps(a, b); }
MLN_INLINE V cmp_unord(V a) { return _mm_cmpunord_ps(a, a); }
MLN_INLINE V blend(V m, V a, V b) { return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b)); }
MLN_INLINE int movemask(V m) { return _mm_movemask_ps(m); }
MLN_INLINE VI imul(VI a, VI) { return a; }  // unused: kIntMul is false
MLN_INLINE VI iload(const int32_t* p) { return _mm_loadu_si128(reinterpret_cast<const VI*>(p)); }
MLN_INLINE void istore(int32_t* p, VI v) { _mm_storeu_si128(reinterpret_cast<VI*>(p), v); }
MLN_INLINE VI iota() { return _mm_setr_epi32(0, 1, 2, 3); }
MLN_INLINE V castf(VI a) { return _mm_castsi128_ps(a); }
MLN_INLINE VI casti(V a) { return _mm_castps_si128(a); }
template <int S> MLN_INLINE VI isll(VI a) { return _mm_slli_epi32(a, S); }
template <int S> MLN_INLINE VI isrl(VI a) { return _mm_srli_epi32(a, S); }
template <int S> MLN_INLINE VI isra(VI a) { return _mm_srai_epi32(a, S); }
#endif

using M = V;  // all-ones / all-zeros lanes

MLN_INLINE V zero() { return MLN_PS(setzero)(); }
MLN_INLINE V set1(float x) { return MLN_PS(set1)(x); }
MLN_INLINE V load(const float* p) { return MLN_PS(loadu)(p); }
MLN_INLINE void store(float* p, V v) { MLN_PS(storeu)(p, v); }
MLN_INLINE V add(V a, V b) { return MLN_PS(add)(a, b); }
MLN_INLINE V sub(V a, V b) { return MLN_PS(sub)(a, b); }
MLN_INLINE V mul(V a, V b) { return MLN_PS(mul)(a, b); }
MLN_INLINE V div(V a, V b) { return MLN_PS(div)(a, b); }
MLN_INLINE V sqrt(V a) { return MLN_PS(sqrt)(a); }
MLN_INLINE V max(V a, V b) { return MLN_PS(max)(a, b); }
MLN_INLINE V min(V a, V b) { return MLN_PS(min)(a, b); }
MLN_INLINE M gt(V a, V b) { return cmp_gt(a, b); }
MLN_INLINE M ge(V a, V b) { return cmp_ge(a, b); }
MLN_INLINE M lt(V a, V b) { return cmp_lt(a, b); }
MLN_INLINE M le(V a, V b) { return cmp_le(a, b); }
MLN_INLINE M eq(V a, V b) { return cmp_eq(a, b); }
MLN_INLINE M isnan(V a) { return cmp_unord(a); }
MLN_INLINE M mand(M a, M b) { return MLN_PS(and)(a, b); }
MLN_INLINE M mor(M a, M b) { return MLN_PS(or)(a, b); }
MLN_INLINE bool any(M a) { return movemask(a) != 0; }
MLN_INLINE V select(M m, V a, V b) { return blend(m, a, b); }
MLN_INLINE VI iselect(M m, VI a, VI b) { return casti(blend(m, castf(a), castf(b))); }
MLN_INLINE VI bits(V a) { return casti(a); }
MLN_INLINE V from_bits(VI a) { return castf(a); }
MLN_INLINE VI iset1(int32_t x) { return MLN_EPI(set1)(x); }
MLN_INLINE VI iadd(VI a, VI b) { return MLN_EPI(add)(a, b); }
MLN_INLINE VI isub(VI a, VI b) { return MLN_EPI(sub)(a, b); }
MLN_INLINE VI iand(VI a, VI b) { return MLN_SI(and)(a, b); }
MLN_INLINE VI ior(VI a, VI b) { return MLN_SI(or)(a, b); }
MLN_INLINE VI ixor(VI a, VI b) { return MLN_SI(xor)(a, b); }
MLN_INLINE M igt(VI a, VI b) { return castf(MLN_EPI(cmpgt)(a, b)); }
// Unsigned a >= b: flip the sign bits and compare signed.
MLN_INLINE M iuge(VI a, VI b) {
  const VI s = iset1(INT32_MIN);
  VI as = ixor(a, s), bs = ixor(b, s);
  return castf(ixor(MLN_EPI(cmpgt)(bs, as), iset1(-1)));
}
MLN_INLINE VI cvt_round(V a) { return MLN_EPI(cvtps)(a); }
MLN_INLINE V cvt_float(VI a) { return MLN_PS(cvtepi32)(a); }
MLN_INLINE float hsum(V a) {
  alignas(32) float t[W];
  store(t, a);
  float s = 0;
  for (int i = 0; i < W; i++) s += t[i];
  return s;
}
MLN_INLINE float hmax(V a) {
  alignas(32) float t[W];
  store(t, a);
  float s = t[0];
  for (int i = 1; i < W; i++) s = t[i] > s ? t[i] : s;
  return s;
}
MLN_INLINE float hmin(V a) {
  alignas(32) float t[W];
  store(t, a);
  float s = t[0];
  for (int i = 1; i < W; i++) s = t[i] < s ? t[i] : s;
  return s;
}

#elif defined(MLN_SIMD_WASM)

// WebAssembly SIMD128: 4 lanes, masks are all-ones lanes. SIMD128 has no FMA; the relaxed-simd
// build (-mrelaxed-simd, a second module chosen at load) gets relaxed_madd, which engines fuse
// where the CPU has FMA and may leave as a multiply and an add elsewhere.
constexpr int W = 4;
using V = v128_t;
using VI = v128_t;
using M = v128_t;
constexpr bool kIntMul = true;

MLN_INLINE V zero() { return wasm_f32x4_splat(0.0f); }
MLN_INLINE V set1(float x) { return wasm_f32x4_splat(x); }
// One instruction (v128.load32_splat) where splat(load) may be two.
MLN_INLINE V load_splat(const float* p) { return wasm_v128_load32_splat(p); }
MLN_INLINE V load(const float* p) { return wasm_v128_load(p); }
MLN_INLINE void store(float* p, V v) { wasm_v128_store(p, v); }
MLN_INLINE V add(V a, V b) { return wasm_f32x4_add(a, b); }
MLN_INLINE V sub(V a, V b) { return wasm_f32x4_sub(a, b); }
MLN_INLINE V mul(V a, V b) { return wasm_f32x4_mul(a, b); }
MLN_INLINE V div(V a, V b) { return wasm_f32x4_div(a, b); }
#if defined(__wasm_relaxed_simd__)
// The builtins rather than wasm_simd128.h's wrappers: clang 16 has these, its header not yet.
MLN_INLINE V fmadd(V a, V b, V c) {
  return (V)__builtin_wasm_relaxed_madd_f32x4((__f32x4)a, (__f32x4)b, (__f32x4)c);
}
MLN_INLINE V fnmadd(V a, V b, V c) {
  return (V)__builtin_wasm_relaxed_nmadd_f32x4((__f32x4)a, (__f32x4)b, (__f32x4)c);
}
#else
MLN_INLINE V fmadd(V a, V b, V c) { return wasm_f32x4_add(wasm_f32x4_mul(a, b), c); }
MLN_INLINE V fnmadd(V a, V b, V c) { return wasm_f32x4_sub(c, wasm_f32x4_mul(a, b)); }
#endif
MLN_INLINE V sqrt(V a) { return wasm_f32x4_sqrt(a); }
// Same NaN rule as x86 max/min (the second operand wins): pmax(b, a) = b < a ? a : b.
MLN_INLINE V max(V a, V b) { return wasm_f32x4_pmax(b, a); }
MLN_INLINE V min(V a, V b) { return wasm_f32x4_pmin(b, a); }
MLN_INLINE M gt(V a, V b) { return wasm_f32x4_gt(a, b); }
MLN_INLINE M ge(V a, V b) { return wasm_f32x4_ge(a, b); }
MLN_INLINE M lt(V a, V b) { return wasm_f32x4_lt(a, b); }
MLN_INLINE M le(V a, V b) { return wasm_f32x4_le(a, b); }
MLN_INLINE M eq(V a, V b) { return wasm_f32x4_eq(a, b); }
MLN_INLINE M isnan(V a) { return wasm_f32x4_ne(a, a); }
MLN_INLINE M mand(M a, M b) { return wasm_v128_and(a, b); }
MLN_INLINE M mor(M a, M b) { return wasm_v128_or(a, b); }
MLN_INLINE bool any(M a) { return wasm_v128_any_true(a); }
MLN_INLINE V select(M m, V a, V b) { return wasm_v128_bitselect(a, b, m); }
MLN_INLINE VI iselect(M m, VI a, VI b) { return wasm_v128_bitselect(a, b, m); }
MLN_INLINE VI bits(V a) { return a; }
MLN_INLINE V from_bits(VI a) { return a; }
MLN_INLINE VI iset1(int32_t x) { return wasm_i32x4_splat(x); }
MLN_INLINE VI iload(const int32_t* p) { return wasm_v128_load(p); }
MLN_INLINE void istore(int32_t* p, VI v) { wasm_v128_store(p, v); }
MLN_INLINE VI iadd(VI a, VI b) { return wasm_i32x4_add(a, b); }
MLN_INLINE VI isub(VI a, VI b) { return wasm_i32x4_sub(a, b); }
MLN_INLINE VI iand(VI a, VI b) { return wasm_v128_and(a, b); }
MLN_INLINE VI ior(VI a, VI b) { return wasm_v128_or(a, b); }
MLN_INLINE VI ixor(VI a, VI b) { return wasm_v128_xor(a, b); }
MLN_INLINE VI imul(VI a, VI b) { return wasm_i32x4_mul(a, b); }
template <int S> MLN_INLINE VI isll(VI a) { return wasm_i32x4_shl(a, S); }
template <int S> MLN_INLINE VI isrl(VI a) { return wasm_u32x4_shr(a, S); }
template <int S> MLN_INLINE VI isra(VI a) { return wasm_i32x4_shr(a, S); }
MLN_INLINE M igt(VI a, VI b) { return wasm_i32x4_gt(a, b); }
MLN_INLINE M iuge(VI a, VI b) { return wasm_u32x4_ge(a, b); }
// Round to nearest even first: the conversion itself truncates.
MLN_INLINE VI cvt_round(V a) { return wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(a)); }
MLN_INLINE V cvt_float(VI a) { return wasm_f32x4_convert_i32x4(a); }
MLN_INLINE VI iota() { return wasm_i32x4_make(0, 1, 2, 3); }
MLN_INLINE float hsum(V a) {
  return (wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 1)) +
         (wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3));
}
MLN_INLINE float hmax(V a) {
  float s = wasm_f32x4_extract_lane(a, 0);
  for (float t : {wasm_f32x4_extract_lane(a, 1), wasm_f32x4_extract_lane(a, 2), wasm_f32x4_extract_lane(a, 3)})
    s = t > s ? t : s;
  return s;
}
MLN_INLINE float hmin(V a) {
  float s = wasm_f32x4_extract_lane(a, 0);
  for (float t : {wasm_f32x4_extract_lane(a, 1), wasm_f32x4_extract_lane(a, 2), wasm_f32x4_extract_lane(a, 3)})
    s = t < s ? t : s;
  return s;
}

#else  // MLN_SIMD_SCALAR: one lane, plain C++ for any target

constexpr int W = 1;
using V = float;
using VI = int32_t;
using M = bool;
constexpr bool kIntMul = false;

MLN_INLINE V zero() { return 0.0f; }
MLN_INLINE V set1(float x) { return x; }
MLN_INLINE V load(const float* p) { return *p; }
MLN_INLINE void store(float* p, V v) { *p = v; }
MLN_INLINE V add(V a, V b) { return a + b; }
MLN_INLINE V sub(V a, V b) { return a - b; }
MLN_INLINE V mul(V a, V b) { return a * b; }
MLN_INLINE V div(V a, V b) { return a / b; }
MLN_INLINE V fmadd(V a, V b, V c) { return a * b + c; }
MLN_INLINE V fnmadd(V a, V b, V c) { return c - a * b; }
MLN_INLINE V sqrt(V a) { return std::sqrt(a); }
MLN_INLINE V max(V a, V b) { return a > b ? a : b; }
MLN_INLINE V min(V a, V b) { return a < b ? a : b; }
MLN_INLINE M gt(V a, V b) { return a > b; }
MLN_INLINE M ge(V a, V b) { return a >= b; }
MLN_INLINE M lt(V a, V b) { return a < b; }
MLN_INLINE M le(V a, V b) { return a <= b; }
MLN_INLINE M eq(V a, V b) { return a == b; }
MLN_INLINE M isnan(V a) { return a != a; }
MLN_INLINE M mand(M a, M b) { return a && b; }
MLN_INLINE M mor(M a, M b) { return a || b; }
MLN_INLINE bool any(M a) { return a; }
MLN_INLINE V select(M m, V a, V b) { return m ? a : b; }
MLN_INLINE VI iselect(M m, VI a, VI b) { return m ? a : b; }
MLN_INLINE VI bits(V a) {
  VI r;
  std::memcpy(&r, &a, 4);
  return r;
}
MLN_INLINE V from_bits(VI a) {
  V r;
  std::memcpy(&r, &a, 4);
  return r;
}
MLN_INLINE VI iset1(int32_t x) { return x; }
MLN_INLINE VI iload(const int32_t* p) { return *p; }
MLN_INLINE void istore(int32_t* p, VI v) { *p = v; }
MLN_INLINE VI iadd(VI a, VI b) { return (VI)((uint32_t)a + (uint32_t)b); }
MLN_INLINE VI isub(VI a, VI b) { return (VI)((uint32_t)a - (uint32_t)b); }
MLN_INLINE VI iand(VI a, VI b) { return a & b; }
MLN_INLINE VI ior(VI a, VI b) { return a | b; }
MLN_INLINE VI ixor(VI a, VI b) { return a ^ b; }
MLN_INLINE VI imul(VI a, VI b) { return (VI)((uint32_t)a * (uint32_t)b); }
template <int S> MLN_INLINE VI isll(VI a) { return (VI)((uint32_t)a << S); }
template <int S> MLN_INLINE VI isrl(VI a) { return (VI)((uint32_t)a >> S); }
template <int S> MLN_INLINE VI isra(VI a) { return a >> S; }
MLN_INLINE M igt(VI a, VI b) { return a > b; }
MLN_INLINE M iuge(VI a, VI b) { return (uint32_t)a >= (uint32_t)b; }
MLN_INLINE VI cvt_round(V a) { return (VI)std::lrintf(a); }
MLN_INLINE V cvt_float(VI a) { return (float)a; }
MLN_INLINE VI iota() { return 0; }
MLN_INLINE float hsum(V a) { return a; }
MLN_INLINE float hmax(V a) { return a; }
MLN_INLINE float hmin(V a) { return a; }

#endif

#if !defined(MLN_SIMD_WASM)
MLN_INLINE V load_splat(const float* p) { return set1(*p); }
#endif

// Shared helpers built from the primitives above.
MLN_INLINE V abs(V a) { return from_bits(iand(bits(a), iset1(0x7fffffff))); }
MLN_INLINE V neg(V a) { return from_bits(ixor(bits(a), iset1(INT32_MIN))); }
MLN_INLINE V copysign(V mag, V sgn) {
  return from_bits(ior(iand(bits(mag), iset1(0x7fffffff)), iand(bits(sgn), iset1(INT32_MIN))));
}
// max/min that return NaN when either input is NaN (Math.max / Math.min semantics).
MLN_INLINE V max_nan(V a, V b) { return select(isnan(a), a, max(a, b)); }
MLN_INLINE V min_nan(V a, V b) { return select(isnan(a), a, min(a, b)); }

}  // namespace simd
