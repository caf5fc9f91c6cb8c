// conv2d (NHWC input, [kH, kW, inC, outC] filter) as im2col + the packed GEMM, in chunks of
// output pixels so the column buffer stays cache-sized. Chunks run on separate threads (each
// with a single-threaded GEMM); a single chunk uses the threaded GEMM instead. 1x1 convs are a
// GEMM on x itself; convs with few taps (first layers, inC = 1 or 3) use direct kernels.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "ops.h"
#include "thread-pool.h"

namespace mln {
namespace {

struct Buffer {
  float* p = nullptr;
  size_t cap = 0;
  float* get(size_t n) {
    if (n > cap) {
      std::free(p);
      cap = n;
      p = static_cast<float*>(std::malloc(cap * sizeof(float)));
      if (!p) std::abort();  // out of memory: nothing sensible to compute into
    }
    return p;
  }
};
thread_local Buffer t_col;

// Column buffer budget per chunk, in floats (1 MB).
constexpr size_t kColFloats = 256 * 1024;

inline void copy_floats(float* dst, const float* src, long n) {
  if (n < 8)
    for (long i = 0; i < n; i++) dst[i] = src[i];
  else
    std::memcpy(dst, src, n * sizeof(float));
}

bool pointwise(const ConvGeom& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.outH == g.inH && g.outW == g.inW;
}

// Output pixel r as (n, oh, ow), advanced by one without dividing.
struct Pixel {
  long n, oh, ow;
  Pixel(const ConvGeom& g, size_t r) {
    ow = (long)(r % g.outW);
    const size_t t = r / g.outW;
    oh = (long)(t % g.outH);
    n = (long)(t / g.outH);
  }
  void next(const ConvGeom& g) {
    if (++ow == g.outW) {
      ow = 0;
      if (++oh == g.outH) oh = 0, n++;
    }
  }
};

// Rows [r0, r1) of the [n * outH * outW, kH * kW * inC] patch matrix.
void im2col(const float* x, const ConvGeom& g, size_t r0, size_t r1, float* col) {
  const long C = g.inC, rowlen = g.kW * C;
  float* dst = col;
  Pixel px(g, r0);
  for (size_t r = r0; r < r1; r++, px.next(g)) {
    const long iw0 = px.ow * g.strideW - g.padLeft;
    const bool row_inside = iw0 >= 0 && iw0 + (g.kW - 1) * g.dilationW < g.inW;
    for (long i = 0; i < g.kH; i++) {
      const long ih = px.oh * g.strideH - g.padTop + i * g.dilationH;
      if (ih < 0 || ih >= g.inH) {
        std::memset(dst, 0, rowlen * sizeof(float));
        dst += rowlen;
        continue;
      }
      const float* xrow = x + ((size_t)px.n * g.inH + ih) * g.inW * C;
      if (row_inside && g.dilationW == 1) {
        copy_floats(dst, xrow + iw0 * C, rowlen);
        dst += rowlen;
        continue;
      }
      for (long j = 0; j < g.kW; j++, dst += C) {
        const long iw = iw0 + j * g.dilationW;
        if (iw < 0 || iw >= g.inW) std::memset(dst, 0, C * sizeof(float));
        else copy_floats(dst, xrow + iw * C, C);
      }
    }
  }
}

// dx += the patch rows [r0, r1) scattered back to their pixels.
void col2im_add(const float* col, const ConvGeom& g, size_t r0, size_t r1, float* dx) {
  const KernelTable& T = kt();
  const long C = g.inC;
  const float* src = col;
  Pixel px(g, r0);
  for (size_t r = r0; r < r1; r++, px.next(g)) {
    const long iw0 = px.ow * g.strideW - g.padLeft;
    for (long i = 0; i < g.kH; i++) {
      const long ih = px.oh * g.strideH - g.padTop + i * g.dilationH;
      if (ih < 0 || ih >= g.inH) {
        src += g.kW * C;
        continue;
      }
      float* drow = dx + ((size_t)px.n * g.inH + ih) * g.inW * C;
      for (long j = 0; j < g.kW; j++, src += C) {
        const long iw = iw0 + j * g.dilationW;
        if (iw < 0 || iw >= g.inW) continue;
        float* d = drow + iw * C;
        if (C < 8)
          for (long c = 0; c < C; c++) d[c] += src[c];
        else
          T.add_inplace(d, src, (size_t)C);
      }
    }
  }
}

GemmArgs plain(long m, long n, long k, const float* a, bool ta, const float* b, bool tb, float* c, float beta) {
  GemmArgs a_{};
  a_.m = m, a_.n = n, a_.k = k, a_.a = a, a_.ta = ta, a_.b = b, a_.tb = tb, a_.c = c;
  a_.alpha = 1.0f, a_.beta = beta, a_.bias = nullptr, a_.act = U_LINEAR, a_.act_param = 0;
  return a_;
}

// Output pixels per chunk: enough for an efficient GEMM, few enough for the column budget, and
// up to kFixedParts chunks for the threads to share. From the shape alone: a chunk's rows decide
// its GEMM's path and its partial sums, so they must not depend on the thread count.
size_t chunk_rows(size_t pixels, long K) {
  const size_t budget = std::max<size_t>(64, kColFloats / (size_t)std::max<long>(K, 1));
  const size_t share = (pixels + kFixedParts - 1) / kFixedParts;
  return std::max<size_t>(1, std::min(budget, std::max<size_t>(share, 64)));
}

// Most bytes of per-group dw partials in the filter gradient (groups cost memory, not speed).
constexpr size_t kPartialBytes = 64u << 20;

// The direct kernels hold a tile of output pixels x output channels in registers and read the
// filter packed with its columns padded: faster than im2col + GEMM at any depth, and no column
// buffer (measured at the seed CNN's 13x13x32 -> 64: 230 vs 160 GFLOP/s on avx512, 2.4 vs
// 2.9 ms on avx2).
bool direct_forward(const ConvGeom& g) { return g.outC <= 512; }

thread_local Buffer t_pad, t_partial;

// Samples [n0, n1) of x re-laid with rows [-top, H - top) and columns [-left, W - left) of the
// original (zeros outside it) into dst [n1 - n0, H, W, C].
void pad_samples(const float* x, long inH, long inW, long C, long n0, long n1, long top, long left, long H, long Wd,
                 float* dst) {
  for (long n = n0; n < n1; n++)
    for (long h = 0; h < H; h++) {
      float* d = dst + (((size_t)(n - n0) * H + h) * Wd) * C;
      const long ih = h - top;
      if (ih < 0 || ih >= inH) {
        std::memset(d, 0, (size_t)Wd * C * sizeof(float));
        continue;
      }
      const long w0 = std::max(0L, left), w1 = std::min(Wd, inW + left);  // columns with data
      if (w0 > 0) std::memset(d, 0, (size_t)w0 * C * sizeof(float));
      if (w1 > w0) std::memcpy(d + w0 * C, x + (((size_t)n * inH + ih) * inW + (w0 - left)) * C,
                               (size_t)(w1 - w0) * C * sizeof(float));
      if (w1 < Wd) std::memset(d + std::max(w0, w1) * C, 0, (size_t)(Wd - std::max(w0, w1)) * C * sizeof(float));
    }
}

// Samples per part of the batch-split kernels, from the batch alone (at most kFixedParts parts).
long samples_per_part(long n) { return std::max<long>(1, (n + kFixedParts - 1) / kFixedParts); }

// Columns of w (or dw) padded to a whole number of vectors (16 covers every ISA's width).
long padded_cols(long outC) { return (outC + 15) / 16 * 16; }

thread_local Buffer t_wpad, t_bpad;

// w [K, outC] with its columns padded to ldw (zeros), as the direct kernels read filters.
const float* padded_filter(const float* w, long K, long outC, long ldw) {
  float* wp = t_wpad.get((size_t)K * ldw);
  for (long t = 0; t < K; t++) {
    std::memcpy(wp + t * ldw, w + t * outC, outC * sizeof(float));
    std::memset(wp + t * ldw + outC, 0, (ldw - outC) * sizeof(float));
  }
  return wp;
}

const float* padded_bias(const float* bias, long outC, long ldw) {
  float* bp = t_bpad.get((size_t)ldw);
  std::memcpy(bp, bias, outC * sizeof(float));
  std::memset(bp + outC, 0, (ldw - outC) * sizeof(float));
  return bp;
}

thread_local Buffer t_band, t_pre;

// wasm (no FMA, 4 lanes): im2col + the GEMM beats the register-tiled filter kernel on deep
// inputs (the seed's conv2: 7.0 vs 11.5 ms per batch in node), so it keeps that path there.
#if defined(__wasm__)
constexpr bool kFilterGemm = true;
#else
constexpr bool kFilterGemm = false;
#endif

// dw by im2col + GEMM over chunks of pixels; groups of chunks fixed by the shape sum in order
// into their own copy of dw, added in group order (the same sums at any thread count).
void filter_im2col(const float* x, const float* dy, const ConvGeom& g, float* dw) {
  const size_t P = (size_t)g.n * g.outH * g.outW;
  const long K = g.kH * g.kW * g.inC;
  const size_t wsize = (size_t)K * g.outC;
  const size_t rows = chunk_rows(P, K);
  const int tasks = (int)((P + rows - 1) / rows);
  const int groups = std::min(
      tasks, (int)std::max<size_t>(1, std::min<size_t>(kFixedParts, kPartialBytes / (wsize * sizeof(float)))));
  std::vector<float> partial((size_t)(groups - 1) * wsize);
  parallel_for(groups, [&](int grp, int) {
    float* out = grp == 0 ? dw : partial.data() + (size_t)(grp - 1) * wsize;
    const int t0 = (int)split_point(tasks, groups, grp), t1 = (int)split_point(tasks, groups, grp + 1);
    for (int t = t0; t < t1; t++) {
      const size_t r0 = (size_t)t * rows, r1 = std::min(P, r0 + rows);
      float* col = t_col.get((r1 - r0) * (size_t)K);
      im2col(x, g, r0, r1, col);
      gemm(plain(K, g.outC, (long)(r1 - r0), col, true, dy + r0 * g.outC, false, out, t == t0 ? 0.0f : 1.0f));
    }
  });
  const KernelTable& T = kt();
  for (int grp = 1; grp < groups; grp++) T.add_inplace(dw, partial.data() + (size_t)(grp - 1) * wsize, wsize);
}

}  // namespace

void conv2d(const float* x, const float* w, const ConvGeom& g, float* y, const float* bias, int act) {
  const size_t P = (size_t)g.n * g.outH * g.outW;
  const long K = g.kH * g.kW * g.inC;
  if (P == 0 || g.outC == 0) return;
  // The GEMM's epilogue adds the bias and applies the activation while the tile is in registers.
  auto fused = [&](GemmArgs a) {
    a.bias = bias, a.act = act;
    return a;
  };
  if (pointwise(g)) {
    gemm(fused(plain((long)P, g.outC, g.inC, x, false, w, false, y, 0.0f)));
    return;
  }
  const KernelTable& T = kt();
  if (direct_forward(g)) {
    const long ldw = padded_cols(g.outC);
    const float* wp = padded_filter(w, K, g.outC, ldw);
    const size_t grain = std::max<size_t>(64, 32768 / (size_t)std::max<long>(1, K * g.outC / 16));
    const int parts = fixed_parts(P, grain);  // block vs edge pixels depend on where parts begin
    const float* bp = bias ? padded_bias(bias, g.outC, ldw) : nullptr;
    const long Wd = (g.outW - 1) * g.strideW + (g.kW - 1) * g.dilationW + 1;
    if (g.padLeft > 0 || Wd - g.padLeft > g.inW) {
      // Columns outside the input ('same' padding): copied padded per sample range, so every
      // pixel takes the tiled path (rows outside are skipped by the kernel itself).
      const long spp = samples_per_part(g.n);
      const int ranges = (int)((g.n + spp - 1) / spp);
      const size_t per = (size_t)g.outH * g.outW;
      parallel_for(ranges, [&](int t, int) {
        const long n0 = t * spp, n1 = std::min<long>(g.n, n0 + spp);
        float* xp = t_pad.get((size_t)(n1 - n0) * g.inH * Wd * g.inC);
        pad_samples(x, g.inH, g.inW, g.inC, n0, n1, 0, g.padLeft, g.inH, Wd, xp);
        ConvGeom v = g;
        v.n = n1 - n0, v.inW = Wd, v.padLeft = 0;
        T.conv_direct(xp, wp, ldw, v, 0, (size_t)v.n * per, y + (size_t)n0 * per * g.outC, bp, act == U_RELU);
      });
      return;
    }
    parallel_for(parts, [&](int t, int) {
      T.conv_direct(x, wp, ldw, g, split_point(P, parts, t), split_point(P, parts, t + 1), y, bp, act == U_RELU);
    });
    return;
  }
  const size_t rows = chunk_rows(P, K);
  const int tasks = (int)((P + rows - 1) / rows);
  parallel_for(tasks, [&](int t, int) {
    const size_t r0 = (size_t)t * rows, r1 = std::min(P, r0 + rows);
    float* col = t_col.get((r1 - r0) * (size_t)K);
    im2col(x, g, r0, r1, col);
    gemm(fused(plain((long)(r1 - r0), g.outC, K, col, false, w, false, y + r0 * g.outC, 0.0f)));
  });
}

// Each task computes the band of conv output rows under one row of pooling windows, for the
// columns the windows read, into a small buffer, and pools it: the conv output never reaches
// memory. Where every output column's taps lie inside the input (no column padding), each pixel
// takes the direct kernel's interior path, summed exactly as conv2d sums it; other geometries run
// conv2d, then max_pool. argmax may be null (inference).
void conv2d_max_pool(const float* x, const float* w, const ConvGeom& g, const PoolGeom& pg, float* y,
                     int32_t* argmax, const float* bias, int act) {
  const size_t pooled_rows = (size_t)pg.n * pg.outH;
  if (pooled_rows == 0 || pg.outW == 0 || pg.c == 0) return;
  const long Wd = (g.outW - 1) * g.strideW + (g.kW - 1) * g.dilationW + 1;
  if (!direct_forward(g) || pointwise(g) || g.padLeft != 0 || Wd > g.inW) {
    float* pre = t_pre.get((size_t)g.n * g.outH * g.outW * g.outC);
    conv2d(x, w, g, pre, bias, act);
    max_pool(pre, pg, y, argmax);
    return;
  }
  const KernelTable& T = kt();
  const long K = g.kH * g.kW * g.inC, C = g.outC;
  const long ldw = padded_cols(C);
  const float* wp = padded_filter(w, K, C, ldw);
  const float* bp = bias ? padded_bias(bias, C, ldw) : nullptr;
  // Conv columns the windows read: up to the end of the last window.
  const long cols = std::min(g.outW, (pg.outW - 1) * pg.strideW - pg.padLeft + pg.poolW);
  const size_t band_row = (size_t)cols * C, conv_row = (size_t)g.outW * C;
  const int parts = fixed_parts(pooled_rows, 4);
  parallel_for(parts, [&](int p, int) {
    for (size_t r = split_point(pooled_rows, parts, p); r < split_point(pooled_rows, parts, p + 1); r++) {
      const long n = (long)(r / pg.outH), ph = (long)(r % pg.outH);
      const long hs = ph * pg.strideH - pg.padTop;
      const long r0 = std::max(hs, 0L), r1 = std::min(hs + pg.poolH, g.outH);  // r0 < r1: checked windows
      ConvGeom v = g;
      v.n = 1, v.outH = r1 - r0, v.outW = cols;
      const float* xs = x + (size_t)n * g.inH * g.inW * g.inC;
      const long first = r0 * g.strideH - g.padTop;  // the band's first input row
      if (first >= 0) {
        xs += (size_t)first * g.inW * g.inC;
        v.inH = g.inH - first, v.padTop = 0;
      } else {
        v.padTop = -first;
      }
      float* band = t_band.get((size_t)(r1 - r0) * band_row);
      T.conv_direct(xs, wp, ldw, v, 0, (size_t)(r1 - r0) * cols, band, bp, act == U_RELU);
      const PoolGeom q{1, r1 - r0, cols, C, 1, pg.outW, pg.poolH, pg.poolW, pg.strideH, pg.strideW, r0 - hs,
                       pg.padLeft};
      const size_t o = r * pg.outW * C;
      // argmax as positions in the conv output: its row stride, from the band's first row.
      T.max_pool(band, q, y + o, argmax ? argmax + o : nullptr, 0, 1, (long)conv_row,
                 (long)(((size_t)n * g.outH + r0) * conv_row));
    }
  });
}

// The general path of the conv + pool backward kernels: the conv output's gradient (in a buffer
// kept across calls) and db, formed by max_pool_epilogue_grad, whose result it returns.
static size_t pooled_dpre(int act, const float* y, const float* dy, const int32_t* argmax, const ConvGeom& g,
                          const PoolGeom& pg, float* db, float** dpre) {
  *dpre = t_pre.get((size_t)g.n * g.outH * g.outW * g.outC);
  return max_pool_epilogue_grad(act, y, dy, argmax, pg, *dpre, db);
}

// The geometry the kernels reading the pooled gradient directly take: a 'valid' conv with stride
// 1 and no dilation, pooled by windows of at most 2x2 that tile it without overlap or pads.
static bool pooled_windows_fit(const ConvGeom& g, const PoolGeom& pg) {
  return g.n > 0 && g.outC > 0 && g.strideH == 1 && g.strideW == 1 && g.dilationH == 1 && g.dilationW == 1 &&
         g.padTop == 0 && g.padLeft == 0 && g.outH + g.kH - 1 <= g.inH && g.outW + g.kW - 1 <= g.inW &&
         pg.poolH <= 2 && pg.poolW <= 2 && pg.strideH == pg.poolH && pg.strideW == pg.poolW && pg.padTop == 0 &&
         pg.padLeft == 0 && pg.outH * pg.poolH <= pg.inH && pg.outW * pg.poolW <= pg.inW;
}

// Fixed sample ranges, each summing into its own dw + db partial (added in range order: the same
// sums at any thread count), on the kernel that reads the pooled gradient directly; geometries it
// does not take, or an argmax outside its window, go through the conv output's gradient instead.
size_t conv2d_max_pool_backward_filter(const float* x, const float* dy, const float* y, const int32_t* argmax,
                                       const ConvGeom& g, const PoolGeom& pg, int act, float* dw, float* db) {
  const long K = g.kH * g.kW * g.inC, C = g.outC;
  const size_t pooled = (size_t)pg.n * pg.outH * pg.outW * pg.c;
  if (pooled_windows_fit(g, pg) && K <= kConvPoolMaxK) {
    const KernelTable& T = kt();
    const long ldw = padded_cols(C);
    const size_t psize = (size_t)(K + 1) * ldw;
    const long spp = samples_per_part(g.n);
    const int ranges = (int)((g.n + spp - 1) / spp);
    float* partial = t_partial.get((size_t)ranges * psize);
    std::vector<char> stray((size_t)ranges, 0);
    parallel_for(ranges, [&](int t, int) {
      float* out = partial + (size_t)t * psize;
      std::memset(out, 0, psize * sizeof(float));
      const long n0 = t * spp, n1 = std::min<long>(g.n, n0 + spp);
      stray[t] = !T.conv_pool_filter(x, dy, y, argmax, g, pg, act == U_RELU, n0, n1, out, ldw, out + K * ldw);
    });
    if (std::find(stray.begin(), stray.end(), 1) == stray.end()) {
      for (int t = 1; t < ranges; t++) T.add_inplace(partial, partial + (size_t)t * psize, psize);
      for (long r = 0; r < K; r++) std::memcpy(dw + r * C, partial + r * ldw, C * sizeof(float));
      if (db) std::memcpy(db, partial + K * ldw, C * sizeof(float));
      return pooled;
    }
  }
  float* dpre = nullptr;
  const size_t bad = pooled_dpre(act, y, dy, argmax, g, pg, db, &dpre);
  if (bad < pooled) return bad;
  conv2d_backward_filter(x, dpre, g, dw);
  return pooled;
}

// dx, dw and db of conv2d_max_pool from its pooled gradient. For the geometry conv_pool_filter
// takes and inC in whole vectors, only the conv outputs the windows kept are visited (a quarter
// for 2x2 windows): fixed sample ranges each write their samples of dx and sum their own dw
// (as [outC][kH][kW][inC]) and db partials, added in range order. Otherwise, or for an argmax
// outside its window, through the conv output's gradient and the dense kernels.
size_t conv2d_max_pool_backward(const float* x, const float* w, const float* dy, const float* y, const int32_t* argmax,
                                const ConvGeom& g, const PoolGeom& pg, int act, float* dx, float* dw, float* db) {
  const long IC = g.inC, C = g.outC, taps = g.kH * g.kW, K = taps * IC;
  const size_t pooled = (size_t)pg.n * pg.outH * pg.outW * pg.c;
  if (pooled_windows_fit(g, pg) && pg.poolH == 2 && pg.poolW == 2 && g.kH == 3 && g.kW == 3 && IC % 16 == 0 &&
      IC > 0) {
    const KernelTable& T = kt();
    float* wt = t_wpad.get((size_t)K * C);
    const int slices = fixed_parts((size_t)C, 8);  // output channels per task, for the transposes
    parallel_for(slices, [&](int p, int) {
      for (long co = (long)split_point(C, slices, p); co < (long)split_point(C, slices, p + 1); co++)
        for (long r = 0; r < K; r++) wt[(size_t)co * K + r] = w[(size_t)r * C + co];
    });
    const long spp = samples_per_part(g.n);
    const int ranges = (int)((g.n + spp - 1) / spp);
    const size_t psize = (size_t)K * C + C;
    float* partial = t_partial.get((size_t)ranges * psize);
    std::vector<char> stray((size_t)ranges, 0);
    const bool relu = act == U_RELU;
    parallel_for(ranges, [&](int t, int) {
      const long n0 = t * spp, n1 = std::min<long>(g.n, n0 + spp);
      float* out = partial + (size_t)t * psize;
      std::memset(out, 0, psize * sizeof(float));
      stray[t] = !T.conv_pool_backward(x, wt, dy, y, argmax, g, pg, relu, n0, n1, dx, out, out + (size_t)K * C);
    });
    if (std::find(stray.begin(), stray.end(), 1) == stray.end()) {
      // The partials added in range order and transposed back, output channels split over tasks.
      parallel_for(slices, [&](int p, int) {
        const size_t c0 = split_point(C, slices, p), c1 = split_point(C, slices, p + 1);
        float* acc = partial + c0 * K;
        for (int t = 1; t < ranges; t++) T.add_inplace(acc, partial + (size_t)t * psize + c0 * K, (c1 - c0) * K);
        for (size_t co = c0; co < c1; co++)
          for (long r = 0; r < K; r++) dw[(size_t)r * C + co] = partial[co * K + r];
      });
      if (db) {
        float* bsum = partial + (size_t)K * C;
        for (int t = 1; t < ranges; t++) T.add_inplace(bsum, partial + (size_t)t * psize + (size_t)K * C, (size_t)C);
        std::memcpy(db, bsum, C * sizeof(float));
      }
      return pooled;
    }
  }
  float* dpre = nullptr;
  const size_t bad = pooled_dpre(act, y, dy, argmax, g, pg, db, &dpre);
  if (bad < pooled) return bad;
  conv2d_backward_input(dpre, w, g, dx);
  conv2d_backward_filter(x, dpre, g, dw);
  return pooled;
}

void epilogue_grad(int act, const float* y, const float* dy, long rows, long cols, float* dpre, float* db) {
  const KernelTable& T = kt();
  if (rows <= 0 || cols <= 0) {
    if (db && cols > 0) std::memset(db, 0, cols * sizeof(float));
    return;
  }
  // Parts fixed by the shape; each sums its rows into its own db partial, added in part order.
  const int parts = fixed_parts((size_t)rows, std::max<size_t>(16, 16384 / (size_t)cols));
  float* partial = db ? t_col.get((size_t)parts * cols) : nullptr;
  if (partial) std::memset(partial, 0, (size_t)parts * cols * sizeof(float));
  parallel_for(parts, [&](int t, int) {
    T.epilogue_grad_rows(act, y, dy, (long)split_point(rows, parts, t), (long)split_point(rows, parts, t + 1), cols,
                         dpre, partial ? partial + (size_t)t * cols : nullptr);
  });
  if (!db) return;
  std::memcpy(db, partial, cols * sizeof(float));
  for (int t = 1; t < parts; t++) T.add_inplace(db, partial + (size_t)t * cols, (size_t)cols);
}

void conv2d_backward_filter(const float* x, const float* dy, const ConvGeom& g, float* dw, const float* y, int act,
                            float* db) {
  const size_t P = (size_t)g.n * g.outH * g.outW;
  const long K = g.kH * g.kW * g.inC;
  const size_t wsize = (size_t)K * g.outC;
  const float* mask = act == U_RELU ? y : nullptr;
  if (P == 0 || g.outC == 0) {
    std::memset(dw, 0, wsize * sizeof(float));
    if (db) std::memset(db, 0, g.outC * sizeof(float));
    return;
  }
  // The GEMM paths take dy through the epilogue's backward first, when there is one.
  std::vector<float> pre;
  auto dpre = [&]() -> const float* {
    if (!mask && !db) return dy;
    pre.resize(P * g.outC);
    epilogue_grad(act, y ? y : dy, dy, (long)P, g.outC, pre.data(), db);
    return pre.data();
  };
  if (pointwise(g)) {
    gemm(plain(g.inC, g.outC, (long)P, x, true, dpre(), false, dw, 0.0f));
    return;
  }
  if (kFilterGemm && K > 32) {
    filter_im2col(x, dpre(), g, dw);
    return;
  }
  // Fixed sample ranges, each summed into its own padded dw partial (ranges in order, then the
  // partials in range order: the same sums at any thread count). A range whose geometry needs
  // pads is copied padded first, so the kernel sees only in-bounds taps.
  const KernelTable& T = kt();
  const long ldw = padded_cols(g.outC);
  // Each partial: K dw rows, then one bias row when db is wanted.
  const size_t psize = (size_t)(K + (db ? 1 : 0)) * ldw;
  const long spp = samples_per_part(g.n);
  const int ranges = (int)((g.n + spp - 1) / spp);
  const int parts = (int)std::max<size_t>(1, std::min<size_t>((size_t)ranges, kPartialBytes / (psize * sizeof(float))));
  const long H = (g.outH - 1) * g.strideH + (g.kH - 1) * g.dilationH + 1;
  const long Wd = (g.outW - 1) * g.strideW + (g.kW - 1) * g.dilationW + 1;
  const bool copy = g.padTop != 0 || g.padLeft != 0 || H > g.inH || Wd > g.inW;
  // A buffer kept across calls (a fresh one costs its page faults every call); each part clears
  // its own slice.
  float* partial = t_partial.get((size_t)parts * psize);
  parallel_for(parts, [&](int p, int) {
    float* out = partial + (size_t)p * psize;
    std::memset(out, 0, psize * sizeof(float));
    const int t0 = (int)split_point(ranges, parts, p), t1 = (int)split_point(ranges, parts, p + 1);
    for (int t = t0; t < t1; t++) {
      const long n0 = t * spp, n1 = std::min<long>(g.n, n0 + spp);
      const size_t y0 = (size_t)n0 * g.outH * g.outW * g.outC;
      const float* dyr = dy + y0;
      const float* mr = mask ? mask + y0 : nullptr;
      float* dbp = db ? out + (size_t)K * ldw : nullptr;
      if (!copy) {
        ConvGeom v = g;
        v.n = n1 - n0;
        T.conv_valid_filter(x + (size_t)n0 * g.inH * g.inW * g.inC, dyr, v, 0, v.n, out, ldw, mr, dbp);
        continue;
      }
      float* xp = t_pad.get((size_t)(n1 - n0) * H * Wd * g.inC);
      pad_samples(x, g.inH, g.inW, g.inC, n0, n1, g.padTop, g.padLeft, H, Wd, xp);
      ConvGeom v = g;
      v.n = n1 - n0, v.inH = H, v.inW = Wd, v.padTop = 0, v.padLeft = 0;
      T.conv_valid_filter(xp, dyr, v, 0, v.n, out, ldw, mr, dbp);
    }
  });
  // The partials added in part order, over slices of dw rows in parallel.
  const long prows = (long)(psize / ldw);
  const int slices = fixed_parts((size_t)prows, 16);
  parallel_for(slices, [&](int t, int) {
    const size_t r0 = split_point(prows, slices, t), r1 = split_point(prows, slices, t + 1);
    float* acc = partial + r0 * ldw;
    for (int p = 1; p < parts; p++) T.add_inplace(acc, partial + (size_t)p * psize + r0 * ldw, (r1 - r0) * ldw);
    for (size_t r = r0; r < r1; r++) {
      float* dst = (long)r < K ? dw + r * g.outC : db;
      std::memcpy(dst, partial + r * ldw, g.outC * sizeof(float));
    }
  });
}

void conv2d_backward_input(const float* dy, const float* w, const ConvGeom& g, float* dx) {
  const size_t per_sample = (size_t)g.outH * g.outW;
  const size_t in_sample = (size_t)g.inH * g.inW * g.inC;
  const long K = g.kH * g.kW * g.inC;
  if (in_sample == 0 || g.n == 0) return;
  if (per_sample == 0 || g.outC == 0) {
    std::memset(dx, 0, (size_t)g.n * in_sample * sizeof(float));
    return;
  }
  if (pointwise(g)) {
    gemm(plain((long)(g.n * per_sample), g.inC, g.outC, dy, false, w, true, dx, 0.0f));
    return;
  }
  if (g.strideH == 1 && g.strideW == 1 && g.inC <= 512) {
    // dx is the 'full' convolution of dy with the filter flipped in space and transposed in
    // channels: the forward direct kernel over dy padded so every tap is in bounds.
    const KernelTable& T = kt();
    const long ldw = padded_cols(g.inC);
    float* wf = t_wpad.get((size_t)g.kH * g.kW * g.outC * ldw);
    for (long i = 0; i < g.kH; i++)
      for (long j = 0; j < g.kW; j++) {
        const float* src = w + ((g.kH - 1 - i) * g.kW + (g.kW - 1 - j)) * g.inC * g.outC;
        float* dst = wf + (i * g.kW + j) * g.outC * ldw;
        for (long co = 0; co < g.outC; co++) {
          for (long c = 0; c < g.inC; c++) dst[co * ldw + c] = src[c * g.outC + co];
          for (long c = g.inC; c < ldw; c++) dst[co * ldw + c] = 0.0f;
        }
      }
    // Only the columns are padded in memory: the kernel skips taps on rows outside dy (zeros),
    // which at the seed's 11x11 -> 13x13 saves 6 of 39 tap rows.
    const long top = (g.kH - 1) * g.dilationH - g.padTop, left = (g.kW - 1) * g.dilationW - g.padLeft;
    const long Wd = g.inW + (g.kW - 1) * g.dilationW;
    const long spp = samples_per_part(g.n);
    const int parts = (int)((g.n + spp - 1) / spp);
    parallel_for(parts, [&](int p, int) {
      const long n0 = p * spp, n1 = std::min<long>(g.n, n0 + spp);
      float* yp = t_pad.get((size_t)(n1 - n0) * g.outH * Wd * g.outC);
      pad_samples(dy, g.outH, g.outW, g.outC, n0, n1, 0, left, g.outH, Wd, yp);
      const ConvGeom v{n1 - n0, g.outH, Wd, g.outC, g.inH, g.inW, g.inC, g.kH, g.kW, 1, 1, g.dilationH, g.dilationW, top,
                       0};
      T.conv_direct(yp, wf, ldw, v, 0, (size_t)v.n * g.inH * g.inW, dx + (size_t)n0 * in_sample, nullptr, 0);
    });
    return;
  }
  // Chunks hold whole samples so no two threads scatter into the same pixels.
  const size_t budget = std::max<size_t>(64, kColFloats / (size_t)std::max<long>(K, 1));
  size_t spc = budget / per_sample;  // samples per chunk
  if (spc == 0) {
    // One sample exceeds the budget: walk its pixel chunks in order, GEMM threaded.
    std::memset(dx, 0, (size_t)g.n * in_sample * sizeof(float));
    const size_t P = (size_t)g.n * per_sample;
    float* col = t_col.get(budget * (size_t)K);
    for (size_t r0 = 0; r0 < P; r0 += budget) {
      const size_t r1 = std::min(P, r0 + budget);
      gemm(plain((long)(r1 - r0), K, g.outC, dy + r0 * g.outC, false, w, true, col, 0.0f));
      col2im_add(col, g, r0, r1, dx);
    }
    return;
  }
  // Chunk sizes set the GEMM shapes, so they come from the batch alone (never the thread count).
  spc = std::min(spc, std::max<size_t>(1, ((size_t)g.n + kFixedParts - 1) / kFixedParts));
  const int tasks = (int)(((size_t)g.n + spc - 1) / spc);
  parallel_for(tasks, [&](int t, int) {
    const size_t n0 = (size_t)t * spc, n1 = std::min((size_t)g.n, n0 + spc);
    const size_t r0 = n0 * per_sample, r1 = n1 * per_sample;
    std::memset(dx + n0 * in_sample, 0, (n1 - n0) * in_sample * sizeof(float));
    float* col = t_col.get((r1 - r0) * (size_t)K);
    gemm(plain((long)(r1 - r0), K, g.outC, dy + r0 * g.outC, false, w, true, col, 0.0f));
    col2im_add(col, g, r0, r1, dx);
  });
}

}  // namespace mln
