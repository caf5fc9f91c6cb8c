// Kernels written once against simd.h and compiled per instruction set. The including file
// defines MLN_ISA_NS (the namespace), one MLN_SIMD_* macro, and MLN_MR / MLN_NV (the GEMM
// micro-tile: MR rows by NV vectors).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels.h"
#include "simd.h"

namespace mln {
namespace MLN_ISA_NS {
namespace {

using namespace simd;

constexpr int MR = MLN_MR;
constexpr int NV = MLN_NV;
constexpr int NR = NV * W;
static_assert(MR <= kMaxMR, "MR too large");

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Vector math. Each is within a few float ulps of the correctly rounded result; NaN propagates.

// exp: x = n ln2 + r, |r| <= ln2/2, e^r by its degree-7 Taylor polynomial (truncation < 1e-8),
// 2^n applied as two factors so n down to -150 (denormal results) and up to 128 work.
MLN_INLINE V v_exp(V x) {
  x = min(set1(89.0f), max(set1(-104.0f), x));  // operand order keeps NaN
  VI n = cvt_round(mul(x, set1(1.44269504088896341f)));
  V nf = cvt_float(n);
  V r = fnmadd(nf, set1(0.693359375f), x);
  r = fnmadd(nf, set1(-2.12194440e-4f), r);
  V p = set1(1.0f / 5040);
  p = fmadd(p, r, set1(1.0f / 720));
  p = fmadd(p, r, set1(1.0f / 120));
  p = fmadd(p, r, set1(1.0f / 24));
  p = fmadd(p, r, set1(1.0f / 6));
  p = fmadd(p, r, set1(0.5f));
  p = fmadd(p, r, set1(1.0f));
  p = fmadd(p, r, set1(1.0f));
  VI n1 = isra<1>(n);
  VI n2 = isub(n, n1);
  V s1 = from_bits(isll<23>(iadd(n1, iset1(127))));
  V s2 = from_bits(isll<23>(iadd(n2, iset1(127))));
  return mul(mul(p, s1), s2);
}

// expm1 for the elu branch: Taylor to degree 8 near 0 (no cancellation), exp(x) - 1 elsewhere.
MLN_INLINE V v_expm1(V x) {
  V t = set1(1.0f / 40320);
  t = fmadd(t, x, set1(1.0f / 5040));
  t = fmadd(t, x, set1(1.0f / 720));
  t = fmadd(t, x, set1(1.0f / 120));
  t = fmadd(t, x, set1(1.0f / 24));
  t = fmadd(t, x, set1(1.0f / 6));
  t = fmadd(t, x, set1(0.5f));
  t = fmadd(t, x, set1(1.0f));
  V small = mul(x, t);
  V big = sub(v_exp(x), set1(1.0f));
  return select(lt(abs(x), set1(0.3465f)), small, big);
}

// log: x = 2^e m, m in [sqrt(1/2), sqrt(2)), log(m) = f - (hfsq - s (hfsq + R)) with f = m - 1,
// s = f / (2 + f) and R a series in s^2 (the classic fdlibm decomposition).
MLN_INLINE V v_log(V x) {
  M den = lt(x, set1(1.17549435e-38f));
  V xs = select(den, mul(x, set1(8388608.0f)), x);
  VI xi = bits(xs);
  VI e = isub(isrl<23>(xi), iselect(den, iset1(127 + 23), iset1(127)));
  V m = from_bits(ior(iand(xi, iset1(0x007fffff)), iset1(0x3f800000)));
  M big = gt(m, set1(1.41421356f));
  m = select(big, mul(m, set1(0.5f)), m);
  e = iadd(e, iselect(big, iset1(1), iset1(0)));
  V f = sub(m, set1(1.0f));
  V s = div(f, add(f, set1(2.0f)));
  V z = mul(s, s);
  V R = set1(2.0f / 9);
  R = fmadd(R, z, set1(2.0f / 7));
  R = fmadd(R, z, set1(2.0f / 5));
  R = fmadd(R, z, set1(2.0f / 3));
  R = mul(R, z);
  V hfsq = mul(set1(0.5f), mul(f, f));
  V lm = sub(f, sub(hfsq, mul(s, add(hfsq, R))));
  V ef = cvt_float(e);
  V r = fmadd(ef, set1(0.693359375f), fmadd(ef, set1(-2.12194440e-4f), lm));
  r = select(eq(x, zero()), set1(-kInf), r);
  r = select(lt(x, zero()), set1(kNaN), r);
  r = select(eq(x, set1(kInf)), set1(kInf), r);
  return select(isnan(x), x, r);
}

// log1p via log(1 + x) * (x / ((1 + x) - 1)), which cancels the rounding of 1 + x.
MLN_INLINE V v_log1p(V x) {
  V w = add(set1(1.0f), x);
  V r = mul(v_log(w), div(x, sub(w, set1(1.0f))));
  r = select(eq(w, set1(1.0f)), x, r);
  return select(eq(x, set1(kInf)), x, r);
}

// tanh: odd Taylor series for |x| < 1/4, (1 - e) / (1 + e) with e = exp(-2|x|) beyond.
MLN_INLINE V v_tanh(V x) {
  V z = mul(x, x);
  V p = set1(62.0f / 2835);
  p = fmadd(p, z, set1(-17.0f / 315));
  p = fmadd(p, z, set1(2.0f / 15));
  p = fmadd(p, z, set1(-1.0f / 3));
  V small = fmadd(mul(x, z), p, x);
  V e = v_exp(mul(set1(-2.0f), abs(x)));
  V big = copysign(div(sub(set1(1.0f), e), add(set1(1.0f), e)), x);
  return select(lt(abs(x), set1(0.25f)), small, big);
}

// sigmoid without overflow: exp only sees -|x|; one rounding for the final quotient.
MLN_INLINE V v_sigmoid(V x) {
  V e = v_exp(neg(abs(x)));
  return div(select(ge(x, zero()), set1(1.0f), e), add(set1(1.0f), e));
}

MLN_INLINE V v_softplus(V x) {
  V l = v_log1p(v_exp(neg(abs(x))));
  return select(gt(x, zero()), add(x, l), l);
}

MLN_INLINE V v_relu(V x) { return select(lt(x, zero()), zero(), x); }

// The standard normal CDF as erfc(-x / sqrt 2) / 2, with the Chebyshev-fitted erfc of Numerical
// Recipes (fractional error < 1.2e-7 everywhere, so the left tail keeps its relative accuracy).
MLN_INLINE V v_normal_cdf(V x) {
  V z = mul(abs(x), set1(0.707106781186547524f));
  V t = div(set1(1.0f), fmadd(set1(0.5f), z, set1(1.0f)));
  V p = set1(0.17087277f);
  p = fmadd(p, t, set1(-0.82215223f));
  p = fmadd(p, t, set1(1.48851587f));
  p = fmadd(p, t, set1(-1.13520398f));
  p = fmadd(p, t, set1(0.27886807f));
  p = fmadd(p, t, set1(-0.18628806f));
  p = fmadd(p, t, set1(0.09678418f));
  p = fmadd(p, t, set1(0.37409196f));
  p = fmadd(p, t, set1(1.00002368f));
  p = fmadd(p, t, set1(-1.26551223f));
  V tail = mul(set1(0.5f), mul(t, v_exp(fnmadd(z, z, p))));  // Phi(-|x|)
  return select(gt(x, zero()), sub(set1(1.0f), tail), tail);
}

// d/dx x Phi(x) = Phi(x) + x phi(x).
MLN_INLINE V v_gelu_grad(V x) {
  V pdf = mul(set1(0.398942280401432678f), v_exp(mul(set1(-0.5f), mul(x, x))));
  return fmadd(x, pdf, v_normal_cdf(x));
}

// Applies f to n floats, a vector at a time; the tail goes through a padded stack copy so
// every element sees the same code.
template <class F>
MLN_INLINE void map1(const float* x, float* y, size_t n, F f) {
  size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    V a = f(load(x + i)), b = f(load(x + i + W));
    store(y + i, a);
    store(y + i + W, b);
  }
  for (; i + W <= n; i += W) store(y + i, f(load(x + i)));
  if (i < n) {
    alignas(64) float t[W] = {};
    std::memcpy(t, x + i, (n - i) * sizeof(float));
    store(t, f(load(t)));
    std::memcpy(y + i, t, (n - i) * sizeof(float));
  }
}

template <class F>
MLN_INLINE void map2(const float* x, const float* z, float* y, size_t n, F f) {
  size_t i = 0;
  for (; i + W <= n; i += W) store(y + i, f(load(x + i), load(z + i)));
  if (i < n) {
    alignas(64) float t[W] = {}, u[W] = {};
    std::memcpy(t, x + i, (n - i) * sizeof(float));
    std::memcpy(u, z + i, (n - i) * sizeof(float));
    store(t, f(load(t), load(u)));
    std::memcpy(y + i, t, (n - i) * sizeof(float));
  }
}

template <class F>
MLN_INLINE void map3(const float* x, const float* z, const float* w, float* y, size_t n, F f) {
  size_t i = 0;
  for (; i + W <= n; i += W) store(y + i, f(load(x + i), load(z + i), load(w + i)));
  if (i < n) {
    alignas(64) float t[W] = {}, u[W] = {}, v[W] = {};
    std::memcpy(t, x + i, (n - i) * sizeof(float));
    std::memcpy(u, z + i, (n - i) * sizeof(float));
    std::memcpy(v, w + i, (n - i) * sizeof(float));
    store(t, f(load(t), load(u), load(v)));
    std::memcpy(y + i, t, (n - i) * sizeof(float));
  }
}

// ---------------------------------------------------------------------------------------------
// Unary and unaryGrad.

void unary(int op, const float* x, float* y, size_t n, double p1, double p2) {
  const V P = set1((float)p1), Q = set1((float)p2), one = set1(1.0f), z = zero();
  switch (op) {
    case U_LINEAR:
      if (x != y) std::memmove(y, x, n * sizeof(float));
      return;
    case U_NEG: return map1(x, y, n, [](V v) { return neg(v); });
    case U_ABS: return map1(x, y, n, [](V v) { return abs(v); });
    case U_SIGN:
      return map1(x, y, n, [&](V v) { return select(gt(v, z), one, select(lt(v, z), set1(-1.0f), v)); });
    case U_SQUARE: return map1(x, y, n, [](V v) { return mul(v, v); });
    case U_SQRT: return map1(x, y, n, [](V v) { return simd::sqrt(v); });
    case U_RSQRT: return map1(x, y, n, [&](V v) { return div(one, simd::sqrt(v)); });
    case U_RECIPROCAL: return map1(x, y, n, [&](V v) { return div(one, v); });
    case U_EXP: return map1(x, y, n, [](V v) { return v_exp(v); });
    case U_LOG: return map1(x, y, n, [](V v) { return v_log(v); });
    case U_LOG1P: return map1(x, y, n, [](V v) { return v_log1p(v); });
    case U_RELU: return map1(x, y, n, [](V v) { return v_relu(v); });
    case U_RELU6:
      return map1(x, y, n, [&](V v) { return select(lt(v, z), z, select(gt(v, set1(6.0f)), set1(6.0f), v)); });
    case U_LEAKY_RELU: return map1(x, y, n, [&](V v) { return select(gt(v, z), v, mul(P, v)); });
    case U_ELU: return map1(x, y, n, [&](V v) { return select(gt(v, z), v, mul(P, v_expm1(v))); });
    case U_SIGMOID: return map1(x, y, n, [](V v) { return v_sigmoid(v); });
    case U_TANH: return map1(x, y, n, [](V v) { return v_tanh(v); });
    case U_SOFTPLUS: return map1(x, y, n, [](V v) { return v_softplus(v); });
    case U_SOFTSIGN: return map1(x, y, n, [&](V v) { return div(v, add(one, abs(v))); });
    case U_GELU: return map1(x, y, n, [](V v) { return mul(v, v_normal_cdf(v)); });
    case U_SCALE: return map1(x, y, n, [&](V v) { return mul(P, v); });
    case U_ADD_SCALAR: return map1(x, y, n, [&](V v) { return add(v, P); });
    case U_POW_SCALAR:
      if (p1 == 2.0f) return map1(x, y, n, [](V v) { return mul(v, v); });
      if (p1 == 1.0f) {
        if (x != y) std::memmove(y, x, n * sizeof(float));
        return;
      }
      for (size_t i = 0; i < n; i++) y[i] = (float)js_pow(x[i], p1);
      return;
    case U_CLIP: return map1(x, y, n, [&](V v) { return select(lt(v, P), P, select(gt(v, Q), Q, v)); });
    default: return;
  }
}

void unary_grad(int op, const float* x, const float* y, const float* dy, float* dx, size_t n, double p1, double p2) {
  const V P = set1((float)p1), Q = set1((float)p2), one = set1(1.0f), z = zero();
  switch (op) {
    case U_LINEAR:
    case U_ADD_SCALAR:
      if (dy != dx) std::memmove(dx, dy, n * sizeof(float));
      return;
    case U_NEG: return map1(dy, dx, n, [](V g) { return neg(g); });
    case U_ABS:
      return map2(x, dy, dx, n, [&](V v, V g) { return select(gt(v, z), g, select(lt(v, z), neg(g), z)); });
    case U_SIGN: std::memset(dx, 0, n * sizeof(float)); return;
    case U_SQUARE: return map2(x, dy, dx, n, [](V v, V g) { return mul(mul(set1(2.0f), v), g); });
    case U_SQRT: return map2(y, dy, dx, n, [](V v, V g) { return div(mul(set1(0.5f), g), v); });
    case U_RSQRT:
      return map2(y, dy, dx, n, [](V v, V g) { return mul(mul(mul(mul(set1(-0.5f), g), v), v), v); });
    case U_RECIPROCAL: return map2(y, dy, dx, n, [](V v, V g) { return mul(mul(neg(g), v), v); });
    case U_EXP: return map2(y, dy, dx, n, [](V v, V g) { return mul(g, v); });
    case U_LOG: return map2(x, dy, dx, n, [](V v, V g) { return div(g, v); });
    case U_LOG1P: return map2(x, dy, dx, n, [&](V v, V g) { return div(g, add(one, v)); });
    case U_RELU: return map2(x, dy, dx, n, [&](V v, V g) { return select(gt(v, z), g, z); });
    case U_RELU6:
      return map2(x, dy, dx, n, [&](V v, V g) { return select(mand(gt(v, z), lt(v, set1(6.0f))), g, z); });
    case U_LEAKY_RELU: return map2(x, dy, dx, n, [&](V v, V g) { return select(gt(v, z), g, mul(P, g)); });
    case U_ELU:
      return map3(x, y, dy, dx, n, [&](V v, V w, V g) { return select(gt(v, z), g, mul(g, add(w, P))); });
    case U_SIGMOID: return map2(y, dy, dx, n, [&](V v, V g) { return mul(mul(g, v), sub(one, v)); });
    case U_TANH: return map2(y, dy, dx, n, [&](V v, V g) { return mul(g, fnmadd(v, v, one)); });
    case U_SOFTPLUS: return map2(x, dy, dx, n, [](V v, V g) { return mul(g, v_sigmoid(v)); });
    case U_SOFTSIGN:
      return map2(x, dy, dx, n, [&](V v, V g) {
        V d = add(one, abs(v));
        return div(g, mul(d, d));
      });
    case U_GELU: return map2(x, dy, dx, n, [](V v, V g) { return mul(g, v_gelu_grad(v)); });
    case U_SCALE: return map1(dy, dx, n, [&](V g) { return mul(P, g); });
    case U_POW_SCALAR:
      if (p1 == 0.0f) {
        std::memset(dx, 0, n * sizeof(float));
      } else if (p1 == 1.0f) {
        if (dy != dx) std::memmove(dx, dy, n * sizeof(float));
      } else if (p1 == 2.0f) {
        map2(x, dy, dx, n, [](V v, V g) { return mul(mul(g, set1(2.0f)), v); });
      } else {
        for (size_t i = 0; i < n; i++) dx[i] = (float)((double)dy[i] * p1 * js_pow(x[i], p1 - 1));
      }
      return;
    case U_CLIP:
      return map2(x, dy, dx, n, [&](V v, V g) { return select(mand(ge(v, P), le(v, Q)), g, z); });
    default: return;
  }
}

// ---------------------------------------------------------------------------------------------
// Binary with stride-0/1 operands.

template <class F>
MLN_INLINE void bin_loop(const float* a, int sa, const float* b, int sb, float* out, size_t n, F f) {
  if (sa && sb) return map2(a, b, out, n, f);
  if (sa) {
    const V bv = set1(b[0]);
    return map1(a, out, n, [&](V v) { return f(v, bv); });
  }
  if (sb) {
    const V av = set1(a[0]);
    return map1(b, out, n, [&](V v) { return f(av, v); });
  }
  alignas(64) float t[W];
  store(t, f(set1(a[0]), set1(b[0])));
  std::fill(out, out + n, t[0]);
}

void binary(int op, const float* a, int sa, const float* b, int sb, float* out, size_t n) {
  const V one = set1(1.0f), z = zero();
  switch (op) {
    case B_ADD: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return add(x, y); });
    case B_SUB: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return sub(x, y); });
    case B_MUL: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return mul(x, y); });
    case B_DIV: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return div(x, y); });
    case B_MAXIMUM: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return max_nan(x, y); });
    case B_MINIMUM: return bin_loop(a, sa, b, sb, out, n, [](V x, V y) { return min_nan(x, y); });
    case B_SQUARED_DIFFERENCE:
      return bin_loop(a, sa, b, sb, out, n, [](V x, V y) {
        V d = sub(x, y);
        return mul(d, d);
      });
    case B_GREATER: return bin_loop(a, sa, b, sb, out, n, [&](V x, V y) { return select(gt(x, y), one, z); });
    case B_GREATER_EQUAL:
      return bin_loop(a, sa, b, sb, out, n, [&](V x, V y) { return select(ge(x, y), one, z); });
    case B_LESS: return bin_loop(a, sa, b, sb, out, n, [&](V x, V y) { return select(lt(x, y), one, z); });
    case B_EQUAL: return bin_loop(a, sa, b, sb, out, n, [&](V x, V y) { return select(eq(x, y), one, z); });
    case B_POW:
      for (size_t i = 0; i < n; i++) out[i] = (float)js_pow(a[i * sa], b[i * sb]);
      return;
    default: return;
  }
}

void add_inplace(float* dst, const float* src, size_t n) {
  map2(dst, src, dst, n, [](V x, V y) { return add(x, y); });
}

// ---------------------------------------------------------------------------------------------
// Reductions. Sums and products run in double (as the js backend's do), in 16 independent
// lanes so the compiler can vectorise them.

double sum_contig(const float* x, size_t n) {
  double acc[16] = {};
  size_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) acc[l] += (double)x[j + l];
  double s = 0;
  for (; j < n; j++) s += (double)x[j];
  for (int l = 0; l < 16; l++) s += acc[l];
  return s;
}

double prod_contig(const float* x, size_t n) {
  double acc[16];
  for (int l = 0; l < 16; l++) acc[l] = 1.0;
  size_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) acc[l] *= (double)x[j + l];
  double s = 1;
  for (; j < n; j++) s *= (double)x[j];
  for (int l = 0; l < 16; l++) s *= acc[l];
  return s;
}

template <bool IsMax>
float maxmin_contig(const float* x, size_t n) {
  float r = IsMax ? -kInf : kInf;
  size_t j = 0;
  if (n >= (size_t)W) {
    V acc = set1(r);
    for (; j + W <= n; j += W) acc = IsMax ? max_nan(load(x + j), acc) : min_nan(load(x + j), acc);
    alignas(64) float t[W];
    store(t, acc);
    for (int l = 0; l < W; l++) {
      if (t[l] != t[l]) return t[l];
      r = IsMax ? (t[l] > r ? t[l] : r) : (t[l] < r ? t[l] : r);
    }
  }
  for (; j < n; j++) {
    float v = x[j];
    if (v != v) return v;
    r = IsMax ? (v > r ? v : r) : (v < r ? v : r);
  }
  return r;
}

double reduce_partial(int op, const float* x, size_t n) {
  switch (op) {
    case R_SUM:
    case R_MEAN: return sum_contig(x, n);
    case R_PROD: return prod_contig(x, n);
    case R_MAX: return maxmin_contig<true>(x, n);
    case R_MIN: return maxmin_contig<false>(x, n);
    default: return 0;
  }
}

// Scratch rows for the strided reductions; per thread, grown on demand.
double* scratch_doubles(size_t n) {
  thread_local double* buf = nullptr;
  thread_local size_t cap = 0;
  if (n > cap) {
    std::free(buf);
    cap = std::max(n, (size_t)1024);
    buf = static_cast<double*>(std::malloc(cap * sizeof(double)));
    if (!buf) std::abort();  // out of memory: nothing sensible to compute into
  }
  return buf;
}

void reduce(int op, const float* x, long o0, long o1, long axis, long inner, float* out) {
  if (inner == 1) {
    for (long o = o0; o < o1; o++) {
      double r = reduce_partial(op, x + (size_t)o * axis, (size_t)axis);
      out[o] = (float)(op == R_MEAN ? r / (double)axis : r);
    }
    return;
  }
  for (long o = o0; o < o1; o++) {
    const float* xo = x + (size_t)o * axis * inner;
    float* oo = out + (size_t)o * inner;
    if (op == R_MAX || op == R_MIN) {
      const bool mx = op == R_MAX;
      std::fill(oo, oo + inner, mx ? -kInf : kInf);
      for (long j = 0; j < axis; j++) {
        const float* row = xo + (size_t)j * inner;
        if (mx) map2(row, oo, oo, (size_t)inner, [](V v, V acc) { return max_nan(v, acc); });
        else map2(row, oo, oo, (size_t)inner, [](V v, V acc) { return min_nan(v, acc); });
      }
      continue;
    }
    double* acc = scratch_doubles((size_t)inner);
    const bool prod = op == R_PROD;
    std::fill(acc, acc + inner, prod ? 1.0 : 0.0);
    for (long j = 0; j < axis; j++) {
      const float* row = xo + (size_t)j * inner;
      if (prod)
        for (long i = 0; i < inner; i++) acc[i] *= (double)row[i];
      else
        for (long i = 0; i < inner; i++) acc[i] += (double)row[i];
    }
    const double div = op == R_MEAN ? (double)axis : 1.0;
    for (long i = 0; i < inner; i++) oo[i] = (float)(acc[i] / div);
  }
}

// ---------------------------------------------------------------------------------------------
// Softmax family, one row at a time.

float row_max(const float* x, long n) {
  float m = -kInf;
  long j = 0;
  if (n >= W) {
    V acc = set1(-kInf);
    for (; j + W <= n; j += W) acc = max(acc, load(x + j));
    m = hmax(acc);
  }
  for (; j < n; j++) m = x[j] > m ? x[j] : m;
  return m;
}

// out[j] = exp(x[j] - m); returns the sum.
float exp_shift_store(const float* x, float m, float* out, long n) {
  const V mv = set1(m);
  V acc = zero();
  long j = 0;
  for (; j + W <= n; j += W) {
    V e = v_exp(sub(load(x + j), mv));
    store(out + j, e);
    acc = add(acc, e);
  }
  if (j < n) {
    alignas(64) float t[W];
    for (int l = 0; l < W; l++) t[l] = -kInf;
    std::memcpy(t, x + j, (n - j) * sizeof(float));
    V e = v_exp(sub(load(t), mv));
    store(t, e);
    std::memcpy(out + j, t, (n - j) * sizeof(float));
    acc = add(acc, e);
  }
  return hsum(acc);
}

void div_row(float* out, float s, long n) {
  const V sv = set1(s);
  map1(out, out, (size_t)n, [&](V v) { return div(v, sv); });
}

void softmax_rows(int kind, const float* x, long r0, long r1, long cols, float* out) {
  if (kind == 0 && cols < W) {
    // Rows narrower than a vector (a 10-class output): each in one vector padded with -inf,
    // the steps and their rounding those of the loop below (the pads' exponentials are 0).
    long r = r0;
    if constexpr (W == 16) {
      // W rows at once, a vector per column (lane q: row r + q), the row sums added in the tree
      // hsum's _mm512_reduce_add_ps adds a vector's lanes in (lanes i and i + 8, then i + 4,
      // i + 2, i + 1), so every probability is the one-row path's to the bit.
      for (; r + W <= r1; r += W) {
        alignas(64) float t[W][W];
        for (long q = 0; q < W; q++)
          for (long j = 0; j < cols; j++) t[j][q] = x[(size_t)(r + q) * cols + j];
        V m = load(t[0]);
        for (long j = 1; j < cols; j++) m = max(m, load(t[j]));
        V e[W];
        for (long j = 0; j < W; j++) e[j] = v_exp(sub(j < cols ? load(t[j]) : set1(-kInf), m));
        for (int half = W / 2; half >= 1; half /= 2)
          for (int i = 0; i < half; i++) e[i] = add(e[i], e[i + half]);
        // e[0] now holds the sums; the exponentials again for the quotients.
        const V sum = e[0];
        for (long j = 0; j < cols; j++) store(t[j], div(v_exp(sub(load(t[j]), m)), sum));
        for (long q = 0; q < W; q++)
          for (long j = 0; j < cols; j++) out[(size_t)(r + q) * cols + j] = t[j][q];
      }
    }
    alignas(64) float t[W];
    for (int l = 0; l < W; l++) t[l] = -kInf;
    for (; r < r1; r++) {
      std::memcpy(t, x + (size_t)r * cols, cols * sizeof(float));
      const V v = load(t);
      const V e = v_exp(sub(v, set1(hmax(v))));
      alignas(64) float o[W];
      store(o, div(e, set1(hsum(e))));
      std::memcpy(out + (size_t)r * cols, o, cols * sizeof(float));
    }
    return;
  }
  for (long r = r0; r < r1; r++) {
    const float* xr = x + (size_t)r * cols;
    float* orow = out + (size_t)r * cols;
    float m = row_max(xr, cols);
    if (kind == 0) {
      float s = exp_shift_store(xr, m, orow, cols);
      div_row(orow, s, cols);
    } else {
      // The exponentials go to `out` first and are overwritten: no scratch row needed.
      float s = exp_shift_store(xr, m, orow, cols);
      const V mv = set1(m), ls = set1((float)std::log((double)s));
      map1(xr, orow, (size_t)cols, [&](V v) { return sub(sub(v, mv), ls); });
    }
  }
}

float dot_row(const float* a, const float* b, long n) {
  V acc = zero();
  long j = 0;
  for (; j + W <= n; j += W) acc = fmadd(load(a + j), load(b + j), acc);
  float s = hsum(acc);
  for (; j < n; j++) s += a[j] * b[j];
  return s;
}

void softmax_grad_rows(const float* y, const float* dy, long r0, long r1, long cols, float* dx) {
  for (long r = r0; r < r1; r++) {
    const size_t off = (size_t)r * cols;
    const V d = set1(dot_row(dy + off, y + off, cols));
    map2(y + off, dy + off, dx + off, (size_t)cols, [&](V yv, V g) { return mul(yv, sub(g, d)); });
  }
}

void softmax_xent_rows(const float* logits, const float* dense, const int32_t* sparse, long r0, long r1, long cols,
                       float* loss, float* probs) {
  for (long r = r0; r < r1; r++) {
    const size_t off = (size_t)r * cols;
    const float* xr = logits + off;
    float* pr = probs + off;
    float m = row_max(xr, cols);
    float s = exp_shift_store(xr, m, pr, cols);
    div_row(pr, s, cols);
    const double lse = (double)m + std::log((double)s);
    if (sparse) {
      const int32_t label = sparse[r];
      loss[r] = (label >= 0 && label < cols) ? (float)(lse - (double)xr[label]) : kNaN;
    } else {
      const float* t = dense + off;
      double acc = 0;
      // Zero targets are skipped: a -inf logit with no weight costs 0, not 0 * inf.
      for (long j = 0; j < cols; j++)
        if (t[j] != 0.0f) acc += (double)t[j] * (lse - (double)xr[j]);
      loss[r] = (float)acc;
    }
  }
}

void softmax_xent_grad_rows(const float* probs, const float* dense, const int32_t* sparse, long r0, long r1,
                            long cols, const float* scale, float scale_num, float* dlogits) {
  for (long r = r0; r < r1; r++) {
    const size_t off = (size_t)r * cols;
    const float s = scale ? scale[r] : scale_num;
    const V sv = set1(s);
    if (sparse) {
      map1(probs + off, dlogits + off, (size_t)cols, [&](V p) { return mul(sv, p); });
      const int32_t label = sparse[r];
      if (label >= 0 && label < cols) dlogits[off + label] = s * (probs[off + label] - 1.0f);
    } else {
      const float* t = dense + off;
      double st = 0;
      for (long j = 0; j < cols; j++) st += t[j];
      const V stv = set1((float)st);
      map2(probs + off, t, dlogits + off, (size_t)cols, [&](V p, V tv) { return mul(sv, sub(mul(p, stv), tv)); });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Dropout: the counter hash of backend.ts's dropoutUniform, vectorised where 32-bit multiplies are.

MLN_INLINE uint32_t lowbias32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

MLN_INLINE VI v_lowbias32(VI x) {
  x = ixor(x, isrl<16>(x));
  x = imul(x, iset1((int32_t)0x7feb352du));
  x = ixor(x, isrl<15>(x));
  x = imul(x, iset1((int32_t)0x846ca68bu));
  x = ixor(x, isrl<16>(x));
  return x;
}

void dropout(uint32_t seed, uint32_t threshold, float scale, float* mask, size_t i0, size_t i1) {
  const uint32_t base = seed * 0x9e3779b9u;
  size_t i = i0;
  if (kIntMul) {
    const VI vseed = iset1((int32_t)seed), tm1 = iset1((int32_t)threshold - 1);
    const V sv = set1(scale), z = zero();
    for (; i + W <= i1; i += W) {
      VI h = iadd(iset1((int32_t)(base + (uint32_t)i)), iota());
      h = v_lowbias32(h);
      h = v_lowbias32(ixor(h, vseed));
      store(mask + i, select(igt(isrl<8>(h), tm1), sv, z));
    }
  }
  for (; i < i1; i++) {
    uint32_t h = lowbias32(base + (uint32_t)i);
    h = lowbias32(h ^ seed);
    mask[i] = (h >> 8) >= threshold ? scale : 0.0f;
  }
}

// ---------------------------------------------------------------------------------------------
// Direct convolution for few taps (the first layer of an image model: inC = 1 or 3), where
// im2col would copy a handful of floats per pixel. Vectorised over output channels.

// The epilogue on a tile's vector: + bias (padded to whole vectors; null: none), then relu.
MLN_INLINE V conv_epilogue(V a, const float* bp, bool relu) {
  if (bp) a = add(a, load(bp));
  return relu ? v_relu(a) : a;
}

template <int NB>
MLN_INLINE void conv_pixel(const float* x, const float* wp, long ldw, const ConvGeom& g, long n, long oh, long ow,
                           long cb, float* out, long valid, const float* bp, bool relu) {
  V acc[NB];
  for (int v = 0; v < NB; v++) acc[v] = zero();
  const long C = g.inC;
  for (long i = 0; i < g.kH; i++) {
    const long ih = oh * g.strideH - g.padTop + i * g.dilationH;
    if (ih < 0 || ih >= g.inH) continue;
    for (long j = 0; j < g.kW; j++) {
      const long iw = ow * g.strideW - g.padLeft + j * g.dilationW;
      if (iw < 0 || iw >= g.inW) continue;
      const float* xp = x + (((size_t)n * g.inH + ih) * g.inW + iw) * C;
      const float* wt = wp + (size_t)(i * g.kW + j) * C * ldw + cb;
      for (long c = 0; c < C; c++) {
        const V xv = set1(xp[c]);
        for (int v = 0; v < NB; v++) acc[v] = fmadd(xv, load(wt + c * ldw + v * W), acc[v]);
      }
    }
  }
  for (int v = 0; v < NB; v++) acc[v] = conv_epilogue(acc[v], bp ? bp + v * W : nullptr, relu);
  if (valid == NB * W) {
    for (int v = 0; v < NB; v++) store(out + v * W, acc[v]);
  } else {
    alignas(64) float t[NB * W];
    for (int v = 0; v < NB; v++) store(t + v * W, acc[v]);
    std::memcpy(out, t, valid * sizeof(float));
  }
}

// PX horizontally adjacent output pixels whose taps all fall inside the input columns: the
// filter vectors are loaded once for all of them, and PX * NB accumulators hide FMA latency.
// STEP > 0: the input floats between adjacent pixels (strideW * inC) known at compile time, so
// the broadcasts address x with constant offsets instead of PX index registers (a first layer's
// inC = 1, stride 1: 1.6x with 12 pixels x 2 vectors on avx512, whose index registers spilled).
template <int NB, int PX, int STEP = 0>
MLN_INLINE void conv_pixels(const float* x, const float* wp, long ldw, const ConvGeom& g, long n, long oh, long ow,
                            long cb, float* out, long valid, const float* bp, bool relu) {
  V acc[PX][NB];
  for (int q = 0; q < PX; q++)
    for (int v = 0; v < NB; v++) acc[q][v] = zero();
  const long C = STEP == 1 ? 1 : g.inC, step = STEP > 0 ? STEP : g.strideW * C;
  for (long i = 0; i < g.kH; i++) {
    const long ih = oh * g.strideH - g.padTop + i * g.dilationH;
    if (ih < 0 || ih >= g.inH) continue;
    const float* xrow = x + (((size_t)n * g.inH + ih) * g.inW + (ow * g.strideW - g.padLeft)) * C;
    for (long j = 0; j < g.kW; j++) {
      const float* xp = xrow + j * g.dilationW * C;
      const float* wt = wp + (size_t)(i * g.kW + j) * C * ldw + cb;
      for (long c = 0; c < C; c++) {
        V wv[NB];
        for (int v = 0; v < NB; v++) wv[v] = load(wt + c * ldw + v * W);
        for (int q = 0; q < PX; q++) {
          const V xv = set1(xp[q * step + c]);
          for (int v = 0; v < NB; v++) acc[q][v] = fmadd(xv, wv[v], acc[q][v]);
        }
      }
    }
  }
  for (int q = 0; q < PX; q++)
    for (int v = 0; v < NB; v++) acc[q][v] = conv_epilogue(acc[q][v], bp ? bp + v * W : nullptr, relu);
  for (int q = 0; q < PX; q++) {
    float* o = out + q * g.outC;
    if (valid == NB * W) {
      for (int v = 0; v < NB; v++) store(o + v * W, acc[q][v]);
    } else {
      alignas(64) float t[NB * W];
      for (int v = 0; v < NB; v++) store(t + v * W, acc[q][v]);
      std::memcpy(o, t, valid * sizeof(float));
    }
  }
}

// Register tiles: up to kConvAcc accumulators, as PX pixels x NB vectors of output channels.
// 16-register targets keep 12 (avx2, with FMA); SSE2 and wasm (no FMA: a product temporary per
// multiply-add) keep 8, as do scalar builds.
constexpr int kConvAcc = W >= 16 ? 24 : W == 8 ? 12 : 8;
constexpr int kConvMaxV = W >= 16 ? 4 : 2;
constexpr int kConvMaxPX = 12;

// Whether conv_pixels gets its STEP = 1 copies: not in wasm, where the second set of inlined
// tiles made V8's code for every conv about 1.6x slower (the seed CNN's convs in Node 20).
#if defined(__wasm__)
constexpr bool kConvStep1 = false;
#else
constexpr bool kConvStep1 = true;
#endif

// conv_pixels<NB, px> for a run-time px in [1, PX]: instantiates only the sizes that can occur;
// `step1`: one input float between adjacent pixels (inC = 1, stride 1), conv_pixels' STEP = 1.
template <int NB, int PX>
MLN_INLINE void conv_pixels_n(const float* x, const float* wp, long ldw, const ConvGeom& g, long n, long oh, long ow,
                              long cb, float* out, long valid, const float* bp, bool relu, long px, bool step1) {
  if constexpr (PX > 1) {
    if (px < PX) return conv_pixels_n<NB, PX - 1>(x, wp, ldw, g, n, oh, ow, cb, out, valid, bp, relu, px, step1);
  }
  if constexpr (kConvStep1) {
    if (step1) return conv_pixels<NB, PX, 1>(x, wp, ldw, g, n, oh, ow, cb, out, valid, bp, relu);
  }
  conv_pixels<NB, PX>(x, wp, ldw, g, n, oh, ow, cb, out, valid, bp, relu);
}

template <int NB>
constexpr int conv_max_px() {
  return std::min(kConvMaxPX, kConvAcc / NB);
}

// Interior pixels [ow, ow + count) of one output row: per column band, blocks of equal size
// (a row of 13 as 7 + 6, not 12 + 1: a short block leaves the FMA pipes waiting).
MLN_INLINE void conv_interior(const float* x, const float* wp, long ldw, const ConvGeom& g, long n, long oh, long ow,
                              long count, float* yr, const float* bp, bool relu) {
  const bool s1 = kConvStep1 && g.inC == 1 && g.strideW == 1;
  for (long cb = 0; cb < g.outC; cb += kConvMaxV * W) {
    const long valid = std::min<long>(kConvMaxV * W, g.outC - cb);
    const int nb = (int)((valid + W - 1) / W);
    const long most = std::min<long>(kConvMaxPX, kConvAcc / nb);
    const long blocks = (count + most - 1) / most;
    const float* b = bp ? bp + cb : nullptr;
    for (long k = 0, at = 0; k < blocks; k++) {
      const long px = (count * (k + 1)) / blocks - at;
      float* o = yr + at * g.outC + cb;
      switch (nb) {
        case 1: conv_pixels_n<1, conv_max_px<1>()>(x, wp, ldw, g, n, oh, ow + at, cb, o, valid, b, relu, px, s1); break;
        case 2: conv_pixels_n<2, conv_max_px<2>()>(x, wp, ldw, g, n, oh, ow + at, cb, o, valid, b, relu, px, s1); break;
        case 3: {
          constexpr int V3 = kConvMaxV >= 3 ? 3 : 1;
          conv_pixels_n<V3, conv_max_px<V3>()>(x, wp, ldw, g, n, oh, ow + at, cb, o, valid, b, relu, px, s1);
          break;
        }
        default:
          conv_pixels_n<kConvMaxV, conv_max_px<kConvMaxV>()>(x, wp, ldw, g, n, oh, ow + at, cb, o, valid, b, relu, px, s1);
          break;
      }
      at += px;
    }
  }
}

void conv_direct(const float* x, const float* wp, long ldw, const ConvGeom& g, size_t r0, size_t r1, float* y,
                 const float* bp, int relu) {
  long ow = (long)(r0 % g.outW), oh = (long)(r0 / g.outW % g.outH), n = (long)(r0 / g.outW / g.outH);
  // Output columns whose taps all lie inside the input: [ow_lo, ow_hi).
  const long span = (g.kW - 1) * g.dilationW;
  const long ow_lo = std::min(g.outW, (g.padLeft + g.strideW - 1) / g.strideW);
  long ow_hi = g.inW - span + g.padLeft > 0 ? (g.inW - span + g.padLeft - 1) / g.strideW + 1 : 0;
  ow_hi = std::min(ow_hi, g.outW);
  size_t r = r0;
  while (r < r1) {
    float* yr = y + r * g.outC;
    if (ow >= ow_lo && ow < ow_hi) {
      // The run of interior pixels left in this row (and in [r0, r1)).
      const long count = std::min<long>(ow_hi - ow, (long)(r1 - r));
      conv_interior(x, wp, ldw, g, n, oh, ow, count, yr, bp, relu != 0);
      r += count;
      ow += count;
    } else {
      // Edge pixel: per-tap bounds checks.
      for (long cb = 0; cb < g.outC; cb += kConvMaxV * W) {
        const long valid = std::min<long>(kConvMaxV * W, g.outC - cb);
        const float* b = bp ? bp + cb : nullptr;
        switch ((valid + W - 1) / W) {
          case 1: conv_pixel<1>(x, wp, ldw, g, n, oh, ow, cb, yr + cb, valid, b, relu); break;
          case 2: conv_pixel<2>(x, wp, ldw, g, n, oh, ow, cb, yr + cb, valid, b, relu); break;
          case 3: conv_pixel<(kConvMaxV >= 3 ? 3 : 1)>(x, wp, ldw, g, n, oh, ow, cb, yr + cb, valid, b, relu); break;
          default: conv_pixel<kConvMaxV>(x, wp, ldw, g, n, oh, ow, cb, yr + cb, valid, b, relu); break;
        }
      }
      r++;
      ow++;
    }
    if (ow >= g.outW) {
      ow = 0;
      if (++oh == g.outH) oh = 0, n++;
    }
  }
}

// Filter gradient of a 'valid' geometry (no pads; every tap of every output pixel inside the
// input: the caller pads), as an implicit GEMM: dw rows are (tap, channel) pairs, columns the
// output channels, the reduction runs over the output pixels of samples [n0, n1). A register
// tile of RB rows x NB vectors stays live for the whole reduction; dwp (ldw columns) += tile.
constexpr int kFilterAcc = W >= 16 ? 24 : W == 8 ? 12 : 8;
constexpr int kFilterNB = W >= 16 ? 4 : 2;
constexpr int kFilterMaxRB = 12;

// RB accumulator rows: the first RB - DB are dw rows (off[q] from the pixel's input, rows[q] in
// dwp); with DB the last one sums dy itself (the bias gradient) into dbp.
template <int RB, int NB, bool DB, bool MASK>
MLN_INLINE void filter_tile(const float* x, const float* dy, const ConvGeom& g, long n0, long n1, const long* off,
                            long cb, float* dwp, const long* rows, long ldw, const float* ym, float* dbp) {
  constexpr int R = RB - (DB ? 1 : 0);
  V acc[RB][NB];
  for (int q = 0; q < RB; q++)
    for (int v = 0; v < NB; v++) acc[q][v] = zero();
  const long C = g.inC, rowStep = g.strideH * g.inW * C, colStep = g.strideW * C;
  long o[R > 0 ? R : 1];
  for (int q = 0; q < R; q++) o[q] = off[q];
  for (long n = n0; n < n1; n++) {
    const float* xs = x + (size_t)n * g.inH * g.inW * C;
    const size_t y0 = ((size_t)n * g.outH * g.outW) * g.outC + cb;
    const float* gp = dy + y0;
    const float* yp = MASK ? ym + y0 : nullptr;
    for (long oh = 0; oh < g.outH; oh++) {
      const float* xp = xs + oh * rowStep;
      for (long ow = 0; ow < g.outW; ow++, xp += colStep, gp += g.outC) {
        V gv[NB];
        for (int v = 0; v < NB; v++) gv[v] = load(gp + v * W);
        if (MASK) {
          for (int v = 0; v < NB; v++) gv[v] = select(gt(load(yp + v * W), zero()), gv[v], zero());
          yp += g.outC;
        }
        for (int q = 0; q < R; q++) {
          const V xv = set1(xp[o[q]]);
          for (int v = 0; v < NB; v++) acc[q][v] = fmadd(xv, gv[v], acc[q][v]);
        }
        if (DB)
          for (int v = 0; v < NB; v++) acc[RB - 1][v] = add(acc[RB - 1][v], gv[v]);
      }
    }
  }
  for (int q = 0; q < R; q++) {
    float* d = dwp + rows[q] * ldw + cb;
    for (int v = 0; v < NB; v++) store(d + v * W, add(load(d + v * W), acc[q][v]));
  }
  if (DB)
    for (int v = 0; v < NB; v++) store(dbp + cb + v * W, add(load(dbp + cb + v * W), acc[RB - 1][v]));
}

// count: accumulator rows of the tile (dw rows, plus the bias row with db), in [1, RB].
template <int NB, bool DB, bool MASK, int RB = std::min(kFilterMaxRB, kFilterAcc / NB)>
MLN_INLINE void filter_rows(const float* x, const float* dy, const ConvGeom& g, long n0, long n1, const long* off,
                            long cb, float* dwp, const long* rows, long ldw, int count, const float* ym, float* dbp) {
  if constexpr (RB > 1) {
    if (count < RB)
      return filter_rows<NB, DB, MASK, RB - 1>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, count, ym, dbp);
  }
  filter_tile<RB, NB, DB, MASK>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, ym, dbp);
}

template <int NB>
MLN_INLINE void filter_rows_db(const float* x, const float* dy, const ConvGeom& g, long n0, long n1, const long* off,
                               long cb, float* dwp, const long* rows, long ldw, int count, const float* ym,
                               float* dbp, bool with_db) {
  // Variants without the mask or the bias row keep their registers for the tile.
  if (ym) {
    if (with_db) filter_rows<NB, true, true>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, count, ym, dbp);
    else filter_rows<NB, false, true>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, count, ym, dbp);
  } else {
    if (with_db) filter_rows<NB, true, false>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, count, ym, dbp);
    else filter_rows<NB, false, false>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, count, ym, dbp);
  }
}

void conv_valid_filter(const float* x, const float* dy, const ConvGeom& g, long n0, long n1, float* dwp, long ldw,
                       const float* ym, float* dbp) {
  const long C = g.inC, K = g.kH * g.kW * C;
  // Column bands of up to kFilterNB whole vectors; a last partial vector goes scalar below. The
  // first tile of each band also carries the bias row when dbp is given.
  long off[kFilterMaxRB], rows[kFilterMaxRB];
  for (long cb = 0; cb < g.outC;) {
    const long left = g.outC - cb;
    int nb = (int)std::min<long>(kFilterNB, left / W);
    if (nb == 0) break;  // a partial vector: below
    const int RB = std::min(kFilterMaxRB, kFilterAcc / nb);
    for (long r0 = 0, first = 1; r0 < K || (first && dbp); first = 0) {
      const bool with_db = first && dbp;
      const int count = (int)std::min<long>(RB - (with_db ? 1 : 0), K - r0);
      for (int q = 0; q < count; q++) {
        const long r = r0 + q, tap = r / C, c = r % C, i = tap / g.kW, j = tap % g.kW;
        off[q] = (i * g.dilationH * g.inW + j * g.dilationW) * C + c;
        rows[q] = r;
      }
      const int tile = count + (with_db ? 1 : 0);
      switch (nb) {
        case 1: filter_rows_db<1>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, tile, ym, dbp, with_db); break;
        case 2: filter_rows_db<2>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, tile, ym, dbp, with_db); break;
        case 3:
          filter_rows_db<(kFilterNB >= 3 ? 3 : 1)>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, tile, ym, dbp, with_db);
          break;
        default: filter_rows_db<kFilterNB>(x, dy, g, n0, n1, off, cb, dwp, rows, ldw, tile, ym, dbp, with_db); break;
      }
      r0 += count;
    }
    cb += (long)nb * W;
  }
  const long done = g.outC / W * W;
  if (done < g.outC) {
    // Last partial vector of columns: scalar over its few lanes (rare: outC not a multiple of W).
    for (long n = n0; n < n1; n++)
      for (long oh = 0; oh < g.outH; oh++)
        for (long ow = 0; ow < g.outW; ow++) {
          const size_t y0 = (((size_t)n * g.outH + oh) * g.outW + ow) * g.outC;
          const float* xp = x + (((size_t)n * g.inH + oh * g.strideH) * g.inW + ow * g.strideW) * C;
          for (long co = done; co < g.outC; co++) {
            const float gv = ym && !(ym[y0 + co] > 0.0f) ? 0.0f : dy[y0 + co];
            if (dbp) dbp[co] += gv;
            for (long r = 0; r < K; r++) {
              const long tap = r / C, c = r % C, i = tap / g.kW, j = tap % g.kW;
              dwp[r * ldw + co] += xp[(i * g.dilationH * g.inW + j * g.dilationW) * C + c] * gv;
            }
          }
        }
  }
}

// Epilogue backward over rows [r0, r1) of a [rows, cols] output y = act(pre): dpre = dy * act'
// (relu: [y > 0]); with db, db[c] += dpre[r, c] row by row (the caller owns the order of parts).
void epilogue_grad_rows(int act, const float* y, const float* dy, long r0, long r1, long cols, float* dpre,
                        float* db) {
  const bool relu = act == U_RELU;
  const V z = zero();
  for (long r = r0; r < r1; r++) {
    const float* yr = y + r * cols;
    const float* gr = dy + r * cols;
    float* dr = dpre + r * cols;
    long c = 0;
    for (; c + W <= cols; c += W) {
      V g = load(gr + c);
      if (relu) g = select(gt(load(yr + c), z), g, z);
      store(dr + c, g);
      if (db) store(db + c, add(load(db + c), g));
    }
    for (; c < cols; c++) {
      const float g = relu ? (yr[c] > 0.0f ? gr[c] : 0.0f) : gr[c];
      dr[c] = g;
      if (db) db[c] += g;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pooling (NHWC), vectorised over channels; a call covers samples [n0, n1).

// argmax receives am_base + (n * inH + ih) * am_row + iw * C + c for the winner at (n, ih, iw, c):
// the index into x when am_row = inW * C and am_base = 0. AM false: no argmax (inference), the
// same maxima.
template <bool AM>
void max_pool_t(const float* x, const PoolGeom& g, float* y, int32_t* argmax, long n0, long n1, long am_row,
                long am_base) {
  const long C = g.c;
  for (long n = n0; n < n1; n++) {
    for (long oh = 0; oh < g.outH; oh++) {
      const long hs = oh * g.strideH - g.padTop;
      const long h0 = std::max(hs, 0L), h1 = std::min(hs + g.poolH, g.inH);
      for (long ow = 0; ow < g.outW; ow++) {
        const long ws = ow * g.strideW - g.padLeft;
        const long w0 = std::max(ws, 0L), w1 = std::min(ws + g.poolW, g.inW);
        const size_t o = (((size_t)n * g.outH + oh) * g.outW + ow) * C;
        if (h0 >= h1 || w0 >= w1) {
          std::fill(y + o, y + o + C, -kInf);
          if constexpr (AM) std::fill(argmax + o, argmax + o + C, -1);
          continue;
        }
        const size_t first = (((size_t)n * g.inH + h0) * g.inW + w0) * C;
        const long afirst = am_base + (n * g.inH + h0) * am_row + w0 * C;
#if defined(__GNUC__)
        // The next window's rows: the loads here are latency-bound on large inputs.
        for (long ih = h0; ih < h1; ih++) {
          const char* nx = reinterpret_cast<const char*>(x + (((size_t)n * g.inH + ih) * g.inW + w1) * C);
          for (long b = 0; b < g.strideW * C * 4; b += 64) __builtin_prefetch(nx + b);
        }
#endif
        long c = 0;
        if (h1 - h0 == 2 && w1 - w0 == 2) {
          // A whole 2x2 window (the usual pooling), its positions in row-major order, unrolled.
          const size_t p1 = first + C, p2 = first + g.inW * C, p3 = p2 + C;
          const long a1 = afirst + C, a2 = afirst + am_row, a3 = a2 + C;
          for (; c + W <= C; c += W) {
            V best = load(x + first + c);
            VI bi{};
            if constexpr (AM) bi = iadd(iset1((int32_t)(afirst + c)), iota());
            auto step = [&](size_t at, long aidx) {
              const V v = load(x + at + c);
              const M better = mand(eq(best, best), mor(gt(v, best), isnan(v)));
              best = select(better, v, best);
              if constexpr (AM) bi = iselect(better, iadd(iset1((int32_t)(aidx + c)), iota()), bi);
            };
            step(p1, a1);
            step(p2, a2);
            step(p3, a3);
            store(y + o + c, best);
            if constexpr (AM) istore(argmax + o + c, bi);
          }
        }
        for (; c + W <= C; c += W) {
          V best = load(x + first + c);
          VI bi{};
          if constexpr (AM) bi = iadd(iset1((int32_t)(afirst + c)), iota());
          for (long ih = h0; ih < h1; ih++) {
            for (long iw = (ih == h0 ? w0 + 1 : w0); iw < w1; iw++) {
              const size_t idx = (((size_t)n * g.inH + ih) * g.inW + iw) * C + c;
              V v = load(x + idx);
              // As js: strictly greater keeps the first max; a NaN wins and is then kept.
              M better = mand(eq(best, best), mor(gt(v, best), isnan(v)));
              best = select(better, v, best);
              if constexpr (AM) {
                const long aidx = am_base + (n * g.inH + ih) * am_row + iw * C + c;
                bi = iselect(better, iadd(iset1((int32_t)aidx), iota()), bi);
              }
            }
          }
          store(y + o + c, best);
          if constexpr (AM) istore(argmax + o + c, bi);
        }
        for (; c < C; c++) {
          float best = x[first + c];
          int32_t bi = (int32_t)(afirst + c);
          for (long ih = h0; ih < h1; ih++) {
            for (long iw = (ih == h0 ? w0 + 1 : w0); iw < w1; iw++) {
              const size_t idx = (((size_t)n * g.inH + ih) * g.inW + iw) * C + c;
              const float v = x[idx];
              if (best == best && (v > best || v != v)) {
                best = v;
                bi = (int32_t)(am_base + (n * g.inH + ih) * am_row + iw * C + c);
              }
            }
          }
          y[o + c] = best;
          if constexpr (AM) argmax[o + c] = bi;
        }
      }
    }
  }
}

// argmax may be null (no positions kept).
void max_pool(const float* x, const PoolGeom& g, float* y, int32_t* argmax, long n0, long n1, long am_row,
              long am_base) {
  if (argmax) max_pool_t<true>(x, g, y, argmax, n0, n1, am_row, am_base);
  else max_pool_t<false>(x, g, y, argmax, n0, n1, am_row, am_base);
}

// The filter (and bias) gradient of conv + epilogue + max pooling for a first layer, straight
// from the pooled gradient: each pooled output's gradient reaches only the conv output its
// argmax names (one of a window's positions), so dw sums dy * x over those positions alone and
// the conv output's gradient is never formed. For a 'valid' conv with stride 1 and no dilation
// pooled by windows of at most 2x2 that tile without overlap or pads (the caller checks). Each
// lane finds its window position from its argmax and picks its input from the position's four
// candidates. Samples [n0, n1) add into dwp (K rows of ldw) and dbp (ldw). Returns false, having
// added nothing, when an argmax is not a position of its window.
bool conv_pool_filter(const float* x, const float* dy, const float* y, const int32_t* argmax, const ConvGeom& g,
                      const PoolGeom& pg, bool relu, long n0, long n1, float* dwp, long ldw, float* dbp) {
  const long C = g.outC, IC = g.inC, K = g.kH * g.kW * IC;
  const int32_t rowC = (int32_t)(g.outW * C);
  const bool two_rows = pg.poolH == 2, two_cols = pg.poolW == 2;
  const VI row_step = iset1(two_rows ? rowC : 0), col_step = iset1(two_cols ? (int32_t)C : 0);
  const VI row_end = iset1(two_rows ? 2 * rowC : rowC), col_end = iset1(two_cols ? 2 * (int32_t)C : (int32_t)C);
  const VI one = iset1(1);
  V acc[kConvPoolMaxK + 1];
  alignas(64) float dyt[W], yt[W];
  alignas(64) int32_t at[W];
  for (long cb = 0; cb < C; cb += W) {
    const long valid = std::min<long>(W, C - cb);
    for (long t = 0; t <= K; t++) acc[t] = zero();
    for (long n = n0; n < n1; n++) {
      const float* xs = x + (size_t)n * g.inH * g.inW * IC;
      for (long ph = 0; ph < pg.outH; ph++) {
        for (long pw = 0; pw < pg.outW; pw++) {
          const long oh0 = ph * pg.poolH, ow0 = pw * pg.poolW;
          const size_t o = (((size_t)n * pg.outH + ph) * pg.outW + pw) * C + cb;
          const int32_t origin = (int32_t)((((size_t)n * g.outH + oh0) * g.outW + ow0) * C + cb);
          V dv, yv;
          VI av;
          if (valid == W) {
            dv = load(dy + o), yv = load(y + o), av = iload(argmax + o);
          } else {
            // Tail lanes: no gradient, at the window's first position.
            for (long l = 0; l < W; l++) {
              dyt[l] = l < valid ? dy[o + l] : 0.0f;
              yt[l] = l < valid ? y[o + l] : 0.0f;
              at[l] = l < valid ? argmax[o + l] : origin + (int32_t)l;
            }
            dv = load(dyt), yv = load(yt), av = iload(at);
          }
          const V v = relu ? select(gt(yv, zero()), dv, zero()) : dv;
          const VI delta = isub(av, iadd(iset1(origin), iota()));
          // Never true for a window of one row (or column): a larger delta fails the check below.
          const M down = iuge(delta, iset1(two_rows ? rowC : 1 << 30));
          const VI rem = isub(delta, iselect(down, row_step, iset1(0)));
          const M right = iuge(rem, iset1(two_cols ? (int32_t)C : 1 << 30));
          const VI rest = isub(rem, iselect(right, col_step, iset1(0)));
          if (any(mor(mor(iuge(delta, row_end), iuge(rem, col_end)), iuge(rest, one)))) return false;
          acc[K] = add(acc[K], v);
          for (long i = 0; i < g.kH; i++) {
            const float* r0 = xs + ((oh0 + i) * g.inW + ow0) * IC;
            const float* r1 = two_rows ? r0 + g.inW * IC : r0;
            for (long j = 0; j < g.kW; j++) {
              const long dj = two_cols ? IC : 0;
              for (long c = 0; c < IC; c++) {
                const long q = j * IC + c;
                const V top = select(right, set1(r0[q + dj]), set1(r0[q]));
                const V bottom = select(right, set1(r1[q + dj]), set1(r1[q]));
                const long t = (i * g.kW + j) * IC + c;
                acc[t] = fmadd(select(down, bottom, top), v, acc[t]);
              }
            }
          }
        }
      }
    }
    for (long t = 0; t <= K; t++) {
      float* dst = t < K ? dwp + t * ldw + cb : dbp + cb;
      store(dst, add(load(dst), acc[t]));
    }
  }
  return true;
}

// Adds v * the 3x3 filter slice wc (taps [3][3], IC apart) into a 4x4 region of accumulators at
// window position (DH, DW).
template <int DH, int DW>
MLN_INLINE void add_taps3(V (&acc)[16], const float* wc, long IC, V v) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) acc[(DH + i) * 4 + DW + j] = fmadd(v, load(wc + (i * 3 + j) * IC), acc[(DH + i) * 4 + DW + j]);
}

// dx, dw and db of samples [n0, n1) from the pooled gradient (as conv_pool_filter: only the conv
// outputs the windows kept have a gradient), for 3x3 filters and 2x2 windows, inC in whole
// vectors. Each window's argmax are decoded once, without branches, into the list of output
// channels per window position (for dx) and the list of (input patch, v) per output channel
// (for dw); zeros (v = 0) are dropped from both. dx: per window and vector of input channels,
// the window's 4x4 input pixels sum in registers, then add into dx (neighbouring windows share
// pixels). dw: per output channel and pair of input-channel vectors, 18 registers sum v * patch.
// wt is the filter as [outC][3][3][inC]; dwt ([outC][3][3][inC]) and db are added to. Returns
// false, at the first window with an argmax not at one of its positions (dx then unspecified).
bool conv_pool_backward(const float* x, const float* wt, const float* dy, const float* y, const int32_t* argmax,
                        const ConvGeom& g, const PoolGeom& pg, bool relu, long n0, long n1, float* dx, float* dwt,
                        float* db) {
  const long IC = g.inC, C = g.outC, rowC = g.outW * C, inW = g.inW;
  const size_t sample = (size_t)g.inH * inW * IC;
  const size_t windows = (size_t)(n1 - n0) * pg.outH * pg.outW;
  std::vector<int32_t> pos_co(4 * (size_t)C);
  std::vector<float> pos_v(4 * (size_t)C);
  std::vector<int64_t> co_off((size_t)C * windows);  // offset of the patch in x
  std::vector<float> co_v((size_t)C * windows);
  std::vector<size_t> co_count((size_t)C, 0);
  alignas(64) float lane_v[W];
  alignas(64) int32_t lane_p[W];
  for (long n = n0; n < n1; n++) {
    float* dxs = dx + (size_t)n * sample;
    std::memset(dxs, 0, sample * sizeof(float));
    for (long ph = 0; ph < pg.outH; ph++) {
      for (long pw = 0; pw < pg.outW; pw++) {
        const long oh0 = ph * 2, ow0 = pw * 2;
        const size_t o = (((size_t)n * pg.outH + ph) * pg.outW + pw) * C;
        const long origin = ((n * g.outH + oh0) * g.outW + ow0) * C;
        const int64_t patch = (int64_t)(((size_t)n * g.inH + oh0) * inW + ow0) * IC;
        long count[4] = {0, 0, 0, 0};
        // Appends output channel co, at window position p (dh * 2 + dw), to both lists.
        auto push = [&](long co, long p, float v) {
          const long keep = (long)(v != 0.0f);
          pos_co[p * C + count[p]] = (int32_t)co;
          pos_v[p * C + count[p]] = v;
          count[p] += keep;
          const size_t at = (size_t)co * windows + co_count[co];
          co_off[at] = patch + ((p >> 1) * inW + (p & 1)) * IC;
          co_v[at] = v;
          co_count[co] += (size_t)keep;
        };
        long co = 0;
        // W channels at a time: v, the position and its check as vectors, then the appends.
        const VI rowv = iset1((int32_t)rowC), cv = iset1((int32_t)C), none = iset1(0), one = iset1(1);
        const VI two_rows = iset1((int32_t)(2 * rowC)), two_cols = iset1((int32_t)(2 * C));
        for (; co + W <= C; co += W) {
          const V d = load(dy + o + co);
          store(lane_v, relu ? select(gt(load(y + o + co), zero()), d, zero()) : d);
          const VI delta = isub(iload(argmax + o + co), iadd(iset1((int32_t)(origin + co)), iota()));
          const M down = iuge(delta, rowv);
          const VI rem = isub(delta, iselect(down, rowv, none));
          const M right = iuge(rem, cv);
          const VI rest = isub(rem, iselect(right, cv, none));
          if (any(mor(mor(iuge(delta, two_rows), iuge(rem, two_cols)), iuge(rest, one)))) return false;
          istore(lane_p, iadd(iselect(down, iset1(2), none), iselect(right, one, none)));
          for (int l = 0; l < W; l++) push(co + l, lane_p[l], lane_v[l]);
        }
        for (; co < C; co++) {
          const float d = dy[o + co];
          const float v = relu ? (y[o + co] > 0.0f ? d : 0.0f) : d;
          const long delta = (long)argmax[o + co] - origin - co;
          const long dh = (long)(delta >= rowC);
          const long rem = delta - dh * rowC;
          const long dw = (long)(rem >= C);
          if (delta < 0 || delta >= 2 * rowC || rem - dw * C != 0) return false;
          push(co, dh * 2 + dw, v);
        }
        for (long k = 0; k < IC; k += W) {
          V acc[16];
          for (int q = 0; q < 16; q++) acc[q] = zero();
          const float* wk = wt + k;
          for (long e = 0; e < count[0]; e++) add_taps3<0, 0>(acc, wk + (size_t)pos_co[e] * 9 * IC, IC, set1(pos_v[e]));
          for (long e = C; e < C + count[1]; e++)
            add_taps3<0, 1>(acc, wk + (size_t)pos_co[e] * 9 * IC, IC, set1(pos_v[e]));
          for (long e = 2 * C; e < 2 * C + count[2]; e++)
            add_taps3<1, 0>(acc, wk + (size_t)pos_co[e] * 9 * IC, IC, set1(pos_v[e]));
          for (long e = 3 * C; e < 3 * C + count[3]; e++)
            add_taps3<1, 1>(acc, wk + (size_t)pos_co[e] * 9 * IC, IC, set1(pos_v[e]));
          for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
              float* px = dxs + ((oh0 + r) * inW + ow0 + c) * IC + k;
              store(px, add(load(px), acc[r * 4 + c]));
            }
        }
      }
    }
  }
  for (long co = 0; co < C; co++) {
    float* wc = dwt + (size_t)co * 9 * IC;
    const int64_t* offs = co_off.data() + (size_t)co * windows;
    const float* vs = co_v.data() + (size_t)co * windows;
    const size_t m = co_count[co];
    float bsum = 0.0f;
    for (size_t e = 0; e < m; e++) bsum += vs[e];
    db[co] += bsum;
    for (long k = 0; k < IC; k += 2 * W) {
      const bool two = k + W < IC;
      V acc[9][2];
      for (int t = 0; t < 9; t++) acc[t][0] = acc[t][1] = zero();
      for (size_t e = 0; e < m; e++) {
        const float* base = x + offs[e] + k;
        const V vv = set1(vs[e]);
        for (int i = 0; i < 3; i++)
          for (int j = 0; j < 3; j++) {
            const float* px = base + (i * inW + j) * IC;
            acc[i * 3 + j][0] = fmadd(vv, load(px), acc[i * 3 + j][0]);
            if (two) acc[i * 3 + j][1] = fmadd(vv, load(px + W), acc[i * 3 + j][1]);
          }
      }
      for (int t = 0; t < 9; t++) {
        store(wc + t * IC + k, add(load(wc + t * IC + k), acc[t][0]));
        if (two) store(wc + t * IC + k + W, add(load(wc + t * IC + k + W), acc[t][1]));
      }
    }
  }
  return true;
}

// Scattered read-modify-writes into a large dx: prefetch the targets a little ahead so the
// misses overlap.
size_t max_pool_scatter(const float* dy, const int32_t* argmax, size_t n, float* dx, size_t dx_len) {
  constexpr size_t kAhead = 32;
  for (size_t o = 0; o < n; o++) {
#if defined(__GNUC__)
    if (o + kAhead < n) {
      const uint32_t ahead = (uint32_t)argmax[o + kAhead];
      if (ahead < dx_len) __builtin_prefetch(dx + ahead, 1);
    }
#endif
    const int32_t i = argmax[o];
    if (i < 0 || (size_t)i >= dx_len) return o;
    dx[i] += dy[o];
  }
  return n;
}

void avg_pool(const float* x, const PoolGeom& g, float* y, long n0, long n1) {
  const long C = g.c;
  for (long n = n0; n < n1; n++) {
    for (long oh = 0; oh < g.outH; oh++) {
      const long hs = oh * g.strideH - g.padTop;
      const long h0 = std::max(hs, 0L), h1 = std::min(hs + g.poolH, g.inH);
      for (long ow = 0; ow < g.outW; ow++) {
        const long ws = ow * g.strideW - g.padLeft;
        const long w0 = std::max(ws, 0L), w1 = std::min(ws + g.poolW, g.inW);
        float* yo = y + (((size_t)n * g.outH + oh) * g.outW + ow) * C;
        const float count = (float)(std::max(h1 - h0, 0L) * std::max(w1 - w0, 0L));
#if defined(__GNUC__)
        for (long ih = h0; ih < h1; ih++) {
          const char* nx = reinterpret_cast<const char*>(x + (((size_t)n * g.inH + ih) * g.inW + w1) * C);
          for (long b = 0; b < g.strideW * C * 4; b += 64) __builtin_prefetch(nx + b);
        }
#endif
        long c = 0;
        for (; c + W <= C; c += W) {
          V acc = zero();
          for (long ih = h0; ih < h1; ih++)
            for (long iw = w0; iw < w1; iw++) acc = add(acc, load(x + (((size_t)n * g.inH + ih) * g.inW + iw) * C + c));
          store(yo + c, div(acc, set1(count)));
        }
        for (; c < C; c++) {
          float acc = 0;
          for (long ih = h0; ih < h1; ih++)
            for (long iw = w0; iw < w1; iw++) acc += x[(((size_t)n * g.inH + ih) * g.inW + iw) * C + c];
          yo[c] = acc / count;
        }
      }
    }
  }
}

void avg_pool_backward(const float* dy, const PoolGeom& g, float* dx, long n0, long n1) {
  const long C = g.c;
  std::fill(dx + (size_t)n0 * g.inH * g.inW * C, dx + (size_t)n1 * g.inH * g.inW * C, 0.0f);
  for (long n = n0; n < n1; n++) {
    for (long oh = 0; oh < g.outH; oh++) {
      const long hs = oh * g.strideH - g.padTop;
      const long h0 = std::max(hs, 0L), h1 = std::min(hs + g.poolH, g.inH);
      for (long ow = 0; ow < g.outW; ow++) {
        const long ws = ow * g.strideW - g.padLeft;
        const long w0 = std::max(ws, 0L), w1 = std::min(ws + g.poolW, g.inW);
        const long count = std::max(h1 - h0, 0L) * std::max(w1 - w0, 0L);
        if (count == 0) continue;
        const float* go = dy + (((size_t)n * g.outH + oh) * g.outW + ow) * C;
        const V cv = set1((float)count);
        for (long ih = h0; ih < h1; ih++)
          for (long iw = w0; iw < w1; iw++) {
            float* d = dx + (((size_t)n * g.inH + ih) * g.inW + iw) * C;
            map2(go, d, d, (size_t)C, [&](V gv, V dv) { return add(dv, div(gv, cv)); });
          }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
#include "optimizers.inl"

// ---------------------------------------------------------------------------------------------
// GEMM: epilogue, packing, micro-kernels, and the unpacked path for skinny shapes.

void epilogue_row(float* c, const float* acc, long n, float alpha, float beta, const float* bias, int act,
                  float act_param) {
  if (n < W) {
    // Short rows (narrow outputs, edge tiles): a padded vector pass would cost more.
    for (long j = 0; j < n; j++) {
      float v = alpha * acc[j];
      if (beta != 0.0f) v += beta * c[j];
      if (bias) v += bias[j];
      c[j] = v;
    }
    if (act != U_LINEAR) unary(act, c, c, (size_t)n, act_param, 0.0f);
    return;
  }
  const V A = set1(alpha), B = set1(beta);
  if (beta == 0.0f) {
    if (bias) map2(acc, bias, c, (size_t)n, [&](V x, V b) { return fmadd(A, x, b); });
    else map1(acc, c, (size_t)n, [&](V x) { return mul(A, x); });
  } else {
    map2(acc, c, c, (size_t)n, [&](V x, V cv) { return fmadd(A, x, mul(B, cv)); });
    if (bias) map2(c, bias, c, (size_t)n, [](V x, V b) { return add(x, b); });
  }
  if (act != U_LINEAR) unary(act, c, c, (size_t)n, act_param, 0.0f);
}

// Row by row across all the panels, so each source row is read once, in order (a panel at a
// time read B's rows in NR-float pieces, each cache line twice where a piece is half a line).
template <int Wd>
void pack_copy(const float* src, long ld, int valid, long kc, float* dst) {
  const int full = valid / Wd, rest = valid % Wd;
  const long panel = kc * Wd;
  for (long p = 0; p < kc; p++) {
    const float* s = src + p * ld;
    float* d = dst + p * Wd;
    for (int q = 0; q < full; q++, s += Wd, d += panel) {
      if (Wd % W == 0) {
        // Whole vectors (in wasm a memcpy call per piece costs more than the copy).
#pragma GCC unroll 4
        for (int v = 0; v < Wd; v += W) store(d + v, load(s + v));
      } else {
        std::memcpy(d, s, Wd * sizeof(float));
      }
    }
    if (rest) {
      std::memcpy(d, s, rest * sizeof(float));
      std::memset(d + rest, 0, (Wd - rest) * sizeof(float));
    }
  }
}

#if defined(MLN_SIMD_AVX512) || defined(MLN_SIMD_AVX2)
MLN_INLINE void transpose8(__m256 r[8]) {
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

MLN_INLINE void store_n(float* p, __m256 v, int n) {
  if (n == 8) {
    _mm256_storeu_ps(p, v);
    return;
  }
  alignas(32) float t[8];
  _mm256_store_ps(t, v);
  std::memcpy(p, t, n * sizeof(float));
}

// One panel (valid <= Wd) by 8x8 register transposes; lanes beyond `valid` read as zeros.
template <int Wd>
void pack_trans_panel(const float* src, long ld, int valid, long kc, float* dst) {
  long p = 0;
  for (; p + 8 <= kc; p += 8) {
    for (int j0 = 0; j0 < Wd; j0 += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; i++)
        r[i] = j0 + i < valid ? _mm256_loadu_ps(src + (long)(j0 + i) * ld + p) : _mm256_setzero_ps();
      transpose8(r);
      const int cnt = std::min(8, Wd - j0);
      for (int q = 0; q < 8; q++) store_n(dst + (p + q) * Wd + j0, r[q], cnt);
    }
  }
  for (; p < kc; p++)
    for (int j = 0; j < Wd; j++) dst[p * Wd + j] = j < valid ? src[(long)j * ld + p] : 0.0f;
}
#else
// One panel (valid <= Wd).
template <int Wd>
void pack_trans_panel(const float* src, long ld, int valid, long kc, float* dst) {
  constexpr int PB = 16;  // columns per pass: each source row's cache line is read once
  for (long p0 = 0; p0 < kc; p0 += PB) {
    const long pe = std::min(kc, p0 + PB);
    for (int j = 0; j < Wd; j++) {
      if (j < valid) {
        const float* s = src + (long)j * ld;
        for (long p = p0; p < pe; p++) dst[p * Wd + j] = s[p];
      } else {
        for (long p = p0; p < pe; p++) dst[p * Wd + j] = 0.0f;
      }
    }
  }
}
#endif

template <int Wd>
void pack_trans(const float* src, long ld, int valid, long kc, float* dst) {
  for (int q = 0; q < valid; q += Wd)
    pack_trans_panel<Wd>(src + (long)q * ld, ld, std::min(Wd, valid - q), kc, dst + (long)q * kc);
}

// Whether the micro-kernels honour their operand strides (operands read in place) and can
// pack B as they go. Under V8 a stride known at compile time lets every load of a k step share
// one address register; with run-time strides the wasm kernel ran 25-35% slower, so wasm packs
// both operands beforehand.
#if defined(MLN_SIMD_WASM)
constexpr bool kInPlace = false;
#else
constexpr bool kInPlace = true;
#endif

// The register-blocked core: R rows x NV vectors of accumulators, one broadcast of A and NV
// loads of B per k step. B advances sb floats a step (NR packed, n in place). A's rows lanes of
// step p sit at a + p * sa + r (packed: sa = MR; A^T in place: sa = m) or, with kRowsA, at
// a + r * sa + p (A's rows in place, sa = its row length). With kPackB each step's B vectors
// are also stored to bpack + p * NR: the packed panel, made in the shadow of the multiply-adds.
template <int R, bool kRowsA, bool kPackB>
MLN_INLINE void ukernel_steps(long kc, const float* __restrict a, long sa, const float* __restrict b, long sb,
                              float* __restrict bpack, V (&acc)[R][NV]) {
  const long ra = kRowsA ? sa : 1;                  // floats between A's rows
  const long pa = kRowsA ? 1 : kInPlace ? sa : MR;  // floats between A's k steps
  const long pb = kInPlace ? sb : NR;
  // Under V8 an unrolled k loop keeps several steps' operands live and spills the accumulators.
#if defined(MLN_SIMD_WASM)
#pragma clang loop unroll(disable)
#else
#pragma GCC unroll 4
#endif
  for (long p = 0; p < kc; p++) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) bv[v] = load(b + v * W);
    if (kPackB) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) store(bpack + v * W, bv[v]);
      bpack += NR;
    }
#pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
      const V av = load_splat(a + r * ra);
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[r][v] = fmadd(av, bv[v], acc[r][v]);
    }
    a += pa;
    b += pb;
  }
}

// The micro-kernel (MicroKernel in kernels.h). Without kInPlace the operands must be packed:
// sa and sb are ignored, and bpack must be null.
template <int R, bool kRowsA>
void ukernel(long kc, const float* __restrict a, long sa, const float* __restrict b, long sb, float* bpack,
             float* c, long ldc, float alpha, float beta, const float* bias, int relu) {
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; r++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[r][v] = zero();
#if defined(__GNUC__)
#pragma GCC unroll 16
  for (int r = 0; r < R; r++) __builtin_prefetch(c + r * ldc, 1, 3);
#endif
  if (kInPlace && bpack) ukernel_steps<R, kRowsA, kInPlace>(kc, a, sa, b, sb, bpack, acc);
  else ukernel_steps<R, kRowsA, false>(kc, a, sa, b, sb, nullptr, acc);
  const V A = set1(alpha), B = set1(beta);
  V bs[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; v++) bs[v] = bias ? load(bias + v * W) : zero();
#pragma GCC unroll 16
  for (int r = 0; r < R; r++) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) {
      float* cp = c + r * ldc + v * W;
      V x = fmadd(A, acc[r][v], bs[v]);
      if (beta != 0.0f) x = fmadd(B, load(cp), x);
      if (relu) x = v_relu(x);
      store(cp, x);
    }
  }
}

template <int... Rs>
struct UkernelList {
  static void fill(MicroKernel* out, MicroKernel* out_rows) {
    int i = 1;
    ((out[i] = &ukernel<Rs, false>, out_rows[i++] = kInPlace ? &ukernel<Rs, true> : nullptr), ...);
  }
};

template <int N, int... Rs>
struct MakeList : MakeList<N - 1, N, Rs...> {};
template <int... Rs>
struct MakeList<0, Rs...> {
  using type = UkernelList<Rs...>;
};

// out[j] = dot(a, bt + j * k) for j < NB: one load of `a` feeds NB accumulators.
template <int NB>
void dots(const float* a, const float* bt, long k, float* out) {
  V acc[NB];
  for (int j = 0; j < NB; j++) acc[j] = zero();
  long p = 0;
  for (; p + W <= k; p += W) {
    const V av = load(a + p);
    for (int j = 0; j < NB; j++) acc[j] = fmadd(av, load(bt + j * k + p), acc[j]);
  }
  for (int j = 0; j < NB; j++) {
    float s = hsum(acc[j]);
    for (long q = p; q < k; q++) s += a[q] * bt[j * k + q];
    out[j] = s;
  }
}

// Accumulators per pass: all 32 zmm registers allow 16, the 16 of AVX2 / SSE 8.
constexpr int kDotGroup = W >= 16 ? 16 : 8;

void dots_n(const float* a, const float* bt, long k, long n, float* out) {
  long j = 0;
  for (; j + kDotGroup <= n; j += kDotGroup) dots<kDotGroup>(a, bt + j * k, k, out + j);
  if (kDotGroup == 16 && n - j > 8) {
    switch (n - j) {
      case 9: dots<9>(a, bt + j * k, k, out + j); break;
      case 10: dots<10>(a, bt + j * k, k, out + j); break;
      case 11: dots<11>(a, bt + j * k, k, out + j); break;
      case 12: dots<12>(a, bt + j * k, k, out + j); break;
      case 13: dots<13>(a, bt + j * k, k, out + j); break;
      case 14: dots<14>(a, bt + j * k, k, out + j); break;
      case 15: dots<15>(a, bt + j * k, k, out + j); break;
      default: break;
    }
    return;
  }
  if (n - j == 8) {
    dots<8>(a, bt + j * k, k, out + j);
    return;
  }
  switch (n - j) {
    case 1: dots<1>(a, bt + j * k, k, out + j); break;
    case 2: dots<2>(a, bt + j * k, k, out + j); break;
    case 3: dots<3>(a, bt + j * k, k, out + j); break;
    case 4: dots<4>(a, bt + j * k, k, out + j); break;
    case 5: dots<5>(a, bt + j * k, k, out + j); break;
    case 6: dots<6>(a, bt + j * k, k, out + j); break;
    case 7: dots<7>(a, bt + j * k, k, out + j); break;
    default: break;
  }
}

// Unpacked GEMM for rows [i0, i1): for skinny and tiny shapes. With `bt` (op(B)^T as [n, k]
// rows) each output is a dot product; without it, rows of B ([k, n], no transB) are
// accumulated into a row of C (axpy form).
void gemm_small(long i0, long i1, long m, long n, long k, const float* a, bool ta, const float* b, const float* bt,
                float* c, float alpha, float beta, const float* bias, int act, float act_param) {
  float* acc = reinterpret_cast<float*>(scratch_doubles((size_t)(n + k) / 2 + 2));
  float* acol = acc + n;  // a column of A (transA) gathered into a row
  for (long i = i0; i < i1; i++) {
    const float* arow = a + i * k;
    if (ta) {
      for (long p = 0; p < k; p++) acol[p] = a[p * m + i];
      arow = acol;
    }
    if (bt) {
      dots_n(arow, bt, k, n, acc);
    } else {
      std::fill(acc, acc + n, 0.0f);
      for (long p = 0; p < k; p++) {
        const V av = set1(arow[p]);
        map2(b + p * n, acc, acc, (size_t)n, [&](V bv, V cv) { return fmadd(av, bv, cv); });
      }
    }
    epilogue_row(c + i * n, acc, n, alpha, beta, bias, act, act_param);
  }
}

// ---------------------------------------------------------------------------------------------
// The machine's peak, for the benchmark (bench/peak.ts): kPeakChains independent accumulators
// that never leave registers, one FMA each per iteration (a multiply and an add where the ISA has
// no FMA). Twelve chains cover a 4-cycle FMA latency on two pipes with room to spare and still
// fit AVX2's 16 registers beside the two constants. acc * b + c converges to 1: no overflow, no
// denormals. Returns the floating-point operations done (2 per lane per FMA); the sum goes to
// *sink, and b and c are read through volatile, so the compiler can neither drop the loop nor
// fold it (with known constants it proves acc a fixed point and removes it).
constexpr int kPeakChains = 12;

double fma_peak(long iters, float* sink) {
  volatile float vb = 0.9999999f, vc = 1e-7f;
  const V b = set1(vb), c = set1(vc);
  V acc[kPeakChains];
  for (int j = 0; j < kPeakChains; j++) acc[j] = set1(1.0f + 0.001f * (float)j);
  for (long i = 0; i < iters; i++) {
    for (int j = 0; j < kPeakChains; j++) acc[j] = fmadd(acc[j], b, c);
  }
  V s = acc[0];
  for (int j = 1; j < kPeakChains; j++) s = add(s, acc[j]);
  *sink = hsum(s);
  return 2.0 * W * kPeakChains * (double)iters;
}

}  // namespace

const KernelTable* table() {
  static KernelTable t = [] {
    KernelTable k{};
#if defined(MLN_SIMD_AVX512)
    k.name = "avx512";
#elif defined(MLN_SIMD_AVX2)
    k.name = "avx2";
#elif defined(MLN_SIMD_WASM) && defined(__wasm_relaxed_simd__)
    k.name = "relaxed-simd";
#elif defined(MLN_SIMD_WASM)
    k.name = "simd128";
#else
    k.name = "generic";
#endif
    k.mr = MR;
    k.nr = NR;
    k.in_place = kInPlace;
    MakeList<MR>::type::fill(k.ukernel, k.ukernel_rows);
    k.pack_a_copy = &pack_copy<MR>;
    k.pack_a_trans = &pack_trans<MR>;
    k.pack_b_copy = &pack_copy<NR>;
    k.pack_b_trans = &pack_trans<NR>;
    k.epilogue_row = &epilogue_row;
    k.gemm_small = &gemm_small;
    k.unary = &unary;
    k.unary_grad = &unary_grad;
    k.binary = &binary;
    k.add_inplace = &add_inplace;
    k.reduce = &reduce;
    k.reduce_partial = &reduce_partial;
    k.softmax_rows = &softmax_rows;
    k.softmax_grad_rows = &softmax_grad_rows;
    k.softmax_xent_rows = &softmax_xent_rows;
    k.softmax_xent_grad_rows = &softmax_xent_grad_rows;
    k.dropout = &dropout;
    k.conv_direct = &conv_direct;
    k.epilogue_grad_rows = &epilogue_grad_rows;
    k.conv_valid_filter = &conv_valid_filter;
    k.max_pool = &max_pool;
    k.max_pool_scatter = &max_pool_scatter;
    k.conv_pool_filter = &conv_pool_filter;
    k.conv_pool_backward = &conv_pool_backward;
    k.avg_pool = &avg_pool;
    k.avg_pool_backward = &avg_pool_backward;
#define MLN_OPTIMIZER_ENTRY(code, name) k.optimizers[code] = {&name::plan, &name::run};
    MLN_OPTIMIZERS(MLN_OPTIMIZER_ENTRY)
#undef MLN_OPTIMIZER_ENTRY
    k.fma_peak = &fma_peak;
    return k;
  }();
  return &t;
}

}  // namespace MLN_ISA_NS
}  // namespace mln
