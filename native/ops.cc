#include "ops.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "thread-pool.h"

namespace mln {
namespace {

// Runs f(begin, end) over [0, n) in up to num_threads() ranges of at least `grain` items. Only
// for kernels whose every output item is computed alone, so where ranges begin cannot change a
// result; `align` > 1 puts every inner boundary on a multiple of it, for kernels whose SIMD body
// and scalar tail round differently (16 floats cover every ISA's vector).
template <class F>
void ranges(size_t n, size_t grain, F&& f, size_t align = 1) {
  const size_t want = grain ? n / grain : n;
  const int parts = (int)std::min<size_t>((size_t)num_threads(), std::max<size_t>(want, 1));
  if (parts <= 1) {
    f((size_t)0, n);
    return;
  }
  auto at = [&](int t) {
    const size_t p = split_point(n, parts, t);
    return t == parts ? n : std::min(n, p / align * align);
  };
  parallel_for(parts, [&](int t, int) { f(at(t), at(t + 1)); });
}

// Items per thread worth waking a worker for: memory-bound ops need more than transcendental ones.
size_t unary_grain(int op) {
  switch (op) {
    case U_EXP: case U_LOG: case U_LOG1P: case U_ELU: case U_SIGMOID: case U_TANH: case U_SOFTPLUS:
    case U_POW_SCALAR: case U_GELU:
      return 8192;
    default:
      return 65536;
  }
}

}  // namespace

void unary(int op, const float* x, float* y, size_t n, double p1, double p2) {
  const KernelTable& T = kt();
  ranges(n, unary_grain(op), [&](size_t i0, size_t i1) { T.unary(op, x + i0, y + i0, i1 - i0, p1, p2); });
}

void unary_grad(int op, const float* x, const float* y, const float* dy, float* dx, size_t n, double p1,
                double p2) {
  const KernelTable& T = kt();
  ranges(n, op == U_SOFTPLUS || op == U_POW_SCALAR || op == U_GELU ? 8192 : 65536, [&](size_t i0, size_t i1) {
    T.unary_grad(op, x + i0, y + i0, dy + i0, dx + i0, i1 - i0, p1, p2);
  });
}

// ---------------------------------------------------------------------------------------------
// Broadcasting binary: right-align the shapes, drop size-1 output dims, merge dims that stay
// contiguous for both operands, then run the kernel along the innermost merged dim.

const char* broadcast_check(const long* ashape, int arank, const long* bshape, int brank, const long* oshape,
                            int orank) {
  if (arank > orank) return "a has more dimensions than out";
  if (brank > orank) return "b has more dimensions than out";
  for (int d = 0; d < arank; d++) {
    long s = ashape[d], o = oshape[d + orank - arank];
    if (s != o && s != 1) return "a does not broadcast to out";
  }
  for (int d = 0; d < brank; d++) {
    long s = bshape[d], o = oshape[d + orank - brank];
    if (s != o && s != 1) return "b does not broadcast to out";
  }
  return nullptr;
}

void binary(int op, const float* a, const long* ashape, int arank, const float* b, const long* bshape, int brank,
            float* out, const long* oshape, int orank) {
  const KernelTable& T = kt();
  size_t total = 1;
  for (int d = 0; d < orank; d++) total *= (size_t)oshape[d];
  if (total == 0) return;

  // Per output dim: size and the operands' strides (0 where they broadcast). Stack arrays:
  // this runs for every bias add of a training step.
  constexpr int kMaxRank = 32;  // addon.cc rejects more
  long sz[kMaxRank], sa[kMaxRank], sb[kMaxRank];
  long stride_a = 1, stride_b = 1;
  for (int d = orank - 1; d >= 0; d--) {
    sz[d] = oshape[d];
    const int da = d - (orank - arank), db = d - (orank - brank);
    const long ea = da >= 0 ? ashape[da] : 1, eb = db >= 0 ? bshape[db] : 1;
    sa[d] = ea == 1 ? 0 : stride_a;
    sb[d] = eb == 1 ? 0 : stride_b;
    stride_a *= ea;
    stride_b *= eb;
  }
  // Merge, innermost first: dim 0 of msz/msa/msb is the innermost.
  long msz[kMaxRank], msa[kMaxRank], msb[kMaxRank];
  int mr = 0;
  for (int d = orank - 1; d >= 0; d--) {
    if (sz[d] == 1) continue;
    if (mr > 0 && sa[d] == msa[mr - 1] * msz[mr - 1] && sb[d] == msb[mr - 1] * msz[mr - 1]) {
      msz[mr - 1] *= sz[d];
      continue;
    }
    msz[mr] = sz[d];
    msa[mr] = sa[d];
    msb[mr] = sb[d];
    mr++;
  }
  if (mr == 0) {  // every dim is 1
    T.binary(op, a, 1, b, 1, out, 1);
    return;
  }
  const long inner = msz[0];
  const int ia = msa[0] ? 1 : 0, ib = msb[0] ? 1 : 0;
  const int outer_rank = mr - 1;
  const size_t rows = total / (size_t)inner;
  if (rows == 1) {
    const size_t grain = op == B_POW ? 8192 : 65536;
    ranges((size_t)inner, grain, [&](size_t i0, size_t i1) {
      T.binary(op, a + i0 * ia, ia, b + i0 * ib, ib, out + i0, i1 - i0);
    });
    return;
  }
  if (outer_rank == 1 && inner < 64 &&
      ((msa[1] == inner && msb[1] == 0 && ib == 1) || (msb[1] == inner && msa[1] == 0 && ia == 1))) {
    // Short rows against one repeated row (a bias add on [128, 10]): tile the repeated row into
    // a ~512-float pattern so each kernel call covers many rows, not one padded short row.
    const bool rep_b = msb[1] == 0;
    const size_t per = std::max<size_t>(1, 512 / (size_t)inner);
    float pat[512 + 64];
    for (size_t r = 0; r < std::min(per, rows); r++)
      std::memcpy(pat + r * inner, rep_b ? b : a, (size_t)inner * sizeof(float));
    const size_t blocks = (rows + per - 1) / per;
    ranges(blocks, std::max<size_t>(1, 65536 / (per * inner)), [&](size_t k0, size_t k1) {
      for (size_t k = k0; k < k1; k++) {
        const size_t r0 = k * per, cnt = (std::min(rows, r0 + per) - r0) * inner, off = r0 * inner;
        if (rep_b) T.binary(op, a + off, 1, pat, 1, out + off, cnt);
        else T.binary(op, pat, 1, b + off, 1, out + off, cnt);
      }
    });
    return;
  }
  ranges(rows, std::max<size_t>(1, 65536 / (size_t)inner), [&](size_t r0, size_t r1) {
    // Odometer over the outer merged dims (index 1 is the fastest).
    long idx[kMaxRank];
    size_t rem = r0, offa = 0, offb = 0;
    for (int d = 1; d <= outer_rank; d++) {
      idx[d - 1] = (long)(rem % (size_t)msz[d]);
      rem /= (size_t)msz[d];
      offa += (size_t)idx[d - 1] * msa[d];
      offb += (size_t)idx[d - 1] * msb[d];
    }
    for (size_t r = r0; r < r1; r++) {
      T.binary(op, a + offa, ia, b + offb, ib, out + r * inner, (size_t)inner);
      for (int d = 1; d <= outer_rank; d++) {
        offa += msa[d];
        offb += msb[d];
        if (++idx[d - 1] < msz[d]) break;
        idx[d - 1] = 0;
        offa -= (size_t)msa[d] * msz[d];
        offb -= (size_t)msb[d] * msz[d];
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------

void reduce(int op, const float* x, long outer, long axis, long inner, float* out) {
  const KernelTable& T = kt();
  const size_t total = (size_t)outer * axis * inner;
  if (outer == 1 && inner == 1 && total >= 131072) {
    // One long row: partial results over fixed ranges, combined here in order (the ranges
    // never depend on the thread count, so neither does the result).
    const int parts = fixed_parts(total, 65536);
    std::vector<double> part(parts);
    parallel_for(parts, [&](int t, int) {
      size_t i0 = split_point(total, parts, t), i1 = split_point(total, parts, t + 1);
      part[t] = T.reduce_partial(op, x + i0, i1 - i0);
    });
    double r = part[0];
    for (int t = 1; t < parts; t++) {
      const double v = part[t];
      switch (op) {
        case R_SUM: case R_MEAN: r += v; break;
        case R_PROD: r *= v; break;
        case R_MAX: if (!std::isnan(r) && (std::isnan(v) || v > r)) r = v; break;
        case R_MIN: if (!std::isnan(r) && (std::isnan(v) || v < r)) r = v; break;
        default: break;
      }
    }
    out[0] = (float)(op == R_MEAN ? r / (double)axis : r);
    return;
  }
  if (axis == 0) {
    const float v = op == R_SUM ? 0.0f : op == R_PROD ? 1.0f : op == R_MAX ? -INFINITY : op == R_MIN ? INFINITY : NAN;
    std::fill(out, out + (size_t)outer * inner, v);
    return;
  }
  ranges((size_t)outer, std::max<size_t>(1, 65536 / std::max<size_t>(1, (size_t)axis * inner)),
         [&](size_t o0, size_t o1) { T.reduce(op, x, (long)o0, (long)o1, axis, inner, out); });
}

void argmax(const float* x, long outer, long axis, long inner, int32_t* out) {
  for (long o = 0; o < outer; o++) {
    const float* xo = x + (size_t)o * axis * inner;
    int32_t* oo = out + (size_t)o * inner;
    if (axis == 0) {
      std::fill(oo, oo + inner, -1);
      continue;
    }
    if (inner == 1) {
      float best = xo[0];
      int32_t bi = 0;
      for (long j = 1; j < axis && best == best; j++) {
        const float v = xo[j];
        if (v > best || v != v) best = v, bi = (int32_t)j;
      }
      oo[0] = bi;
      continue;
    }
    for (long i = 0; i < inner; i++) oo[i] = 0;
    for (long j = 1; j < axis; j++) {
      const float* row = xo + (size_t)j * inner;
      for (long i = 0; i < inner; i++) {
        const float best = xo[(size_t)oo[i] * inner + i];
        const float v = row[i];
        if (best == best && (v > best || v != v)) oo[i] = (int32_t)j;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transpose: merge dims that stay adjacent, copy rows when the innermost dim is contiguous in x,
// else transpose 16x16 tiles between the output's last dim and the dim holding x's last one.

void transpose(const float* x, const long* shape, const long* perm, int rank, float* out) {
  std::vector<long> xstride(rank);
  long s = 1;
  for (int d = rank - 1; d >= 0; d--) xstride[d] = s, s *= shape[d];
  const size_t total = (size_t)s;
  if (total == 0) return;
  std::vector<long> sz, is;  // output dims: size and stride in x
  for (int d = 0; d < rank; d++) {
    const long e = shape[perm[d]];
    if (e == 1) continue;
    const long st = xstride[perm[d]];
    if (!sz.empty() && is.back() == st * e) {
      sz.back() *= e;
      is.back() = st;
      continue;
    }
    sz.push_back(e);
    is.push_back(st);
  }
  const int r = (int)sz.size();
  if (r <= 1) {
    std::memcpy(out, x, total * sizeof(float));
    return;
  }
  std::vector<long> os(r);  // output strides
  s = 1;
  for (int d = r - 1; d >= 0; d--) os[d] = s, s *= sz[d];
  const int last = r - 1;
  if (is[last] == 1) {
    const long len = sz[last];
    const size_t rows = total / (size_t)len;
    ranges(rows, std::max<size_t>(1, 65536 / (size_t)len), [&](size_t r0, size_t r1) {
      for (size_t row = r0; row < r1; row++) {
        size_t rem = row, off = 0;
        for (int d = last - 1; d >= 0; d--) {
          off += (rem % (size_t)sz[d]) * is[d];
          rem /= (size_t)sz[d];
        }
        std::memcpy(out + row * len, x + off, len * sizeof(float));
      }
    });
    return;
  }
  int q = 0;
  while (q < r && is[q] != 1) q++;
  // The other dims (neither q nor last) form the outer iteration.
  std::vector<int> others;
  for (int d = 0; d < r; d++)
    if (d != q && d != last) others.push_back(d);
  size_t nouter = 1;
  for (int d : others) nouter *= (size_t)sz[d];
  constexpr long B = 16;
  const long nq = sz[q], nl = sz[last];
  const size_t qblocks = (size_t)((nq + B - 1) / B);
  ranges(nouter * qblocks, std::max<size_t>(1, 65536 / (size_t)(B * nl)), [&](size_t t0, size_t t1) {
    for (size_t t = t0; t < t1; t++) {
      size_t o = t / qblocks;
      const long qb = (long)(t % qblocks) * B;
      size_t xoff = 0, ooff = 0;
      for (int k = (int)others.size() - 1; k >= 0; k--) {
        const int d = others[k];
        const size_t i = o % (size_t)sz[d];
        o /= (size_t)sz[d];
        xoff += i * is[d];
        ooff += i * os[d];
      }
      const long qe = std::min(nq, qb + B);
      for (long lb = 0; lb < nl; lb += B) {
        const long le = std::min(nl, lb + B);
        for (long iq = qb; iq < qe; iq++) {
          float* dst = out + ooff + iq * os[q];
          const float* src = x + xoff + iq;
          for (long il = lb; il < le; il++) dst[il] = src[il * is[last]];
        }
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------

void softmax(int kind, const float* x, long rows, long cols, float* out) {
  const KernelTable& T = kt();
  ranges((size_t)rows, std::max<size_t>(1, 16384 / std::max<size_t>(1, (size_t)cols)),
         [&](size_t r0, size_t r1) { T.softmax_rows(kind, x, (long)r0, (long)r1, cols, out); });
}

void softmax_grad(const float* y, const float* dy, long rows, long cols, float* dx) {
  const KernelTable& T = kt();
  ranges((size_t)rows, std::max<size_t>(1, 32768 / std::max<size_t>(1, (size_t)cols)),
         [&](size_t r0, size_t r1) { T.softmax_grad_rows(y, dy, (long)r0, (long)r1, cols, dx); });
}

void softmax_xent(const float* logits, const float* dense, const int32_t* sparse, long rows, long cols, float* loss,
                  float* probs) {
  const KernelTable& T = kt();
  ranges((size_t)rows, std::max<size_t>(1, 16384 / std::max<size_t>(1, (size_t)cols)), [&](size_t r0, size_t r1) {
    T.softmax_xent_rows(logits, dense, sparse, (long)r0, (long)r1, cols, loss, probs);
  });
}

void softmax_xent_grad(const float* probs, const float* dense, const int32_t* sparse, long rows, long cols,
                       const float* scale, float scale_num, float* dlogits) {
  const KernelTable& T = kt();
  ranges((size_t)rows, std::max<size_t>(1, 32768 / std::max<size_t>(1, (size_t)cols)), [&](size_t r0, size_t r1) {
    T.softmax_xent_grad_rows(probs, dense, sparse, (long)r0, (long)r1, cols, scale, scale_num, dlogits);
  });
}

void dropout(double rate, uint32_t seed, float* mask, size_t n) {
  // u = (h >> 8) / 2^24 >= rate  <=>  (h >> 8) >= ceil(rate * 2^24), exactly.
  uint32_t threshold;
  const double t = rate * 16777216.0;
  if (std::isnan(rate) || t > 16777216.0) threshold = 16777217u;
  else if (t <= 0) threshold = 0;
  else threshold = (uint32_t)std::ceil(t);
  const float scale = (float)(1.0 / (1.0 - rate));
  const KernelTable& T = kt();
  ranges(n, 65536, [&](size_t i0, size_t i1) { T.dropout(seed, threshold, scale, mask, i0, i1); });
}

// ---------------------------------------------------------------------------------------------
// Pooling: threaded over samples.

void max_pool(const float* x, const PoolGeom& g, float* y, int32_t* argmax) {
  const KernelTable& T = kt();
  const size_t per = (size_t)g.outH * g.outW * g.c * std::max<long>(1, g.poolH * g.poolW);
  ranges((size_t)g.n, std::max<size_t>(1, 65536 / std::max<size_t>(1, per)),
         [&](size_t n0, size_t n1) { T.max_pool(x, g, y, argmax, (long)n0, (long)n1, g.inW * g.c, 0); });
}

size_t max_pool_backward(const float* dy, const int32_t* argmax, size_t n, float* dx, size_t dx_len) {
  // The scatter stays serial (any output may point anywhere); clearing dx is the bulk of the traffic.
  ranges(dx_len, 262144, [&](size_t i0, size_t i1) { std::memset(dx + i0, 0, (i1 - i0) * sizeof(float)); });
  return kt().max_pool_scatter(dy, argmax, n, dx, dx_len);
}

// Threaded over fixed sample ranges (each clears and fills its own samples of dpre, and sums its
// own db partial, added in range order). Max pooling's argmax never leaves its sample; any that
// does sends the whole call through the serial scatter, whose order decides overlapping writes.
size_t max_pool_epilogue_grad(int act, const float* y, const float* dy, const int32_t* argmax, const PoolGeom& g,
                              float* dpre, float* db) {
  const size_t per_out = (size_t)g.outH * g.outW * g.c, per_in = (size_t)g.inH * g.inW * g.c;
  const size_t pooled = (size_t)g.n * per_out;
  const long C = g.c;
  const bool relu = act == U_RELU;
  if (C == 0) return pooled;
  const int parts = fixed_parts((size_t)g.n, 1);
  std::vector<float> partial((size_t)parts * C, 0.0f);
  std::vector<size_t> stray((size_t)parts, SIZE_MAX);
  parallel_for(parts, [&](int p, int) {
    const size_t n0 = split_point(g.n, parts, p), n1 = split_point(g.n, parts, p + 1);
    std::memset(dpre + n0 * per_in, 0, (n1 - n0) * per_in * sizeof(float));
    float* acc = partial.data() + (size_t)p * C;
    std::vector<float> v((size_t)C);
    for (size_t s = n0; s < n1; s++) {
      const size_t lo = s * per_in;
      for (size_t o = s * per_out; o < (s + 1) * per_out; o += C) {
        // The epilogue's backward and the bias sums over a pixel's channels (vectorisable), then
        // the scatter.
        for (long c = 0; c < C; c++) {
          v[c] = relu ? (y[o + c] > 0.0f ? dy[o + c] : 0.0f) : dy[o + c];
          acc[c] += v[c];
        }
        for (long c = 0; c < C; c++) {
          const size_t i = (size_t)(int64_t)argmax[o + c] - lo;
          if (i >= per_in) {
            stray[p] = o + c;
            return;
          }
          dpre[lo + i] += v[c];
        }
      }
    }
  });
  bool inside = true;
  for (size_t s : stray) inside = inside && s == SIZE_MAX;
  if (!inside) {
    std::vector<float> d(pooled);
    epilogue_grad(act, y, dy, (long)(pooled / C), C, d.data(), db);
    return max_pool_backward(d.data(), argmax, pooled, dpre, (size_t)g.n * per_in);
  }
  if (db) {
    std::memcpy(db, partial.data(), C * sizeof(float));
    const KernelTable& T = kt();
    for (int p = 1; p < parts; p++) T.add_inplace(db, partial.data() + (size_t)p * C, (size_t)C);
  }
  return pooled;
}

void avg_pool(const float* x, const PoolGeom& g, float* y) {
  const KernelTable& T = kt();
  const size_t per = (size_t)g.outH * g.outW * g.c * std::max<long>(1, g.poolH * g.poolW);
  ranges((size_t)g.n, std::max<size_t>(1, 65536 / std::max<size_t>(1, per)),
         [&](size_t n0, size_t n1) { T.avg_pool(x, g, y, (long)n0, (long)n1); });
}

void avg_pool_backward(const float* dy, const PoolGeom& g, float* dx) {
  const KernelTable& T = kt();
  const size_t per = (size_t)g.outH * g.outW * g.c * std::max<long>(1, g.poolH * g.poolW);
  ranges((size_t)g.n, std::max<size_t>(1, 65536 / std::max<size_t>(1, per)),
         [&](size_t n0, size_t n1) { T.avg_pool_backward(dy, g, dx, (long)n0, (long)n1); });
}

// ---------------------------------------------------------------------------------------------

namespace {

void update_range(const KernelTable& T, int kind, float* p, const float* g, float* s0, float* s1, float* s2,
                  const double* k, size_t i0, size_t i1) {
  if (kind < 0 || kind >= O_COUNT) return;
  float* const s[3] = {s0, s1, s2};
  T.optimizers[kind].run(p, g, s, i0, i1, k);
}

// Optimizer items per thread worth waking a worker for.
constexpr size_t kUpdateGrain = 32768;
// Vector body and scalar tail round differently: inner boundaries on multiples of this (every
// ISA's vector width divides it), so scalar tails happen only at the very end of a parameter.
constexpr size_t kUpdateAlign = 16;

}  // namespace

void apply_update(int kind, float* p, const float* g, size_t n, float* s0, float* s1, float* s2, const double* h) {
  const KernelTable& T = kt();
  ranges(n, kUpdateGrain, [&](size_t i0, size_t i1) { update_range(T, kind, p, g, s0, s1, s2, h, i0, i1); },
         kUpdateAlign);
}

void gather_rows(const float* x, size_t row, const int32_t* idx, size_t count, float* out) {
  // Rows come from anywhere in a dataset far larger than the caches: split so each thread
  // streams at least ~64 KB.
  // Each row a miss to memory: while one is copied, the one after next is already requested.
  constexpr size_t kAhead = 2;
  ranges(count, std::max<size_t>(1, 16384 / std::max<size_t>(row, 1)), [&](size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; i++) {
#if defined(__GNUC__)
      if (i + kAhead < i1) {
        const char* next = reinterpret_cast<const char*>(x + (size_t)idx[i + kAhead] * row);
        for (size_t b = 0; b < row * sizeof(float); b += 64) __builtin_prefetch(next + b);
      }
#endif
      std::memcpy(out + i * row, x + (size_t)idx[i] * row, row * sizeof(float));
    }
  });
}

void apply_updates(int kind, const UpdateTarget* t, size_t count) {
  const KernelTable& T = kt();
  size_t total = 0;
  for (size_t j = 0; j < count; j++) total += t[j].n;
  const int parts = (int)std::min<size_t>((size_t)num_threads(), std::max<size_t>(total / kUpdateGrain, 1));
  // Part q covers the concatenation of all parameters from at(q) to at(q + 1), each boundary
  // rounded down to an aligned offset inside the parameter it falls in.
  struct Pos {
    size_t target, offset;
  };
  auto at = [&](int q) -> Pos {
    if (q >= parts) return {count, 0};
    size_t rest = split_point(total, parts, q);
    size_t j = 0;
    while (j < count && rest >= t[j].n) rest -= t[j++].n;
    return {j, rest / kUpdateAlign * kUpdateAlign};
  };
  auto run = [&](int q) {
    const Pos a = at(q), b = at(q + 1);
    for (size_t j = a.target; j < count && j <= b.target; j++) {
      const size_t i0 = j == a.target ? a.offset : 0;
      const size_t i1 = j == b.target ? b.offset : t[j].n;
      if (i1 > i0) update_range(T, kind, t[j].p, t[j].g, t[j].s[0], t[j].s[1], t[j].s[2], t[j].k, i0, i1);
    }
  };
  if (parts <= 1) {
    run(0);
    return;
  }
  parallel_for(parts, [&](int q, int) { run(q); });
}

}  // namespace mln
