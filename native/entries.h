// The kernels' entry points, written once for every host: the Node-API addon (addon.cc) and
// the WebAssembly module (wasm-entry.cc). Each reads its arguments in the order the kernel
// declaration in src/kernels/backend.ts flattens them (src/kernels/marshal.ts), checks every
// length and range, and calls the drivers of ops.h / gemm.h. A host supplies the argument
// reader `A`:
//   bool ok;                                      false after the first failure
//   float* f32(i, what, need)                     Float32Array with >= need items (else throws)
//   int32_t* i32(i, what, need, size_t* len)      Int32Array with >= need items
//   size_t len_f32(i, what, float** data)         any Float32Array, its length
//   bool is_i32(i), is_number(i), is_nullish(i)
//   double num(i, fallback); bool flag(i); uint32_t u32(i); long dim(i, what)
//   bool fail_range(msg)                          throws a RangeError naming the kernel
#pragma once

#include <cmath>
#include <cstdio>

#include "gemm.h"
#include "image.h"
#include "kernels.h"
#include "ops.h"

// Every kernel with an entry point, by the name the TypeScript declaration gives it.
#define MLN_KERNELS(X)                                                                                \
  X(gemm) X(unary) X(unaryGrad) X(binary) X(reduce) X(argmax) X(transpose) X(softmax) X(logSoftmax) \
  X(softmaxGrad) X(softmaxCrossEntropy) X(softmaxCrossEntropyGrad) X(dropoutMask) X(conv2d)         \
  X(conv2dBackwardInput) X(conv2dBackwardFilter) X(epilogueGrad) X(batchNorm) X(batchNormBackward) X(scaleShift) X(maxPool) X(maxPoolBackward) X(conv2dMaxPool) X(maxPoolEpilogueGrad) X(conv2dMaxPoolBackwardFilter) X(conv2dMaxPoolBackward) \
  X(avgPool) X(avgPoolBackward) X(depthwiseConv2d) X(depthwiseConv2dBackwardInput)                  \
  X(depthwiseConv2dBackwardFilter) X(affineTransform) X(applyUpdate)

// Kernels only the Node-API addon has (addon.cc registers them itself): one takes lists, the
// other would make a host that copies its arguments (wasm) copy a whole dataset. Other hosts run
// their composed definitions (COMPOSED_KERNELS in src/kernels/backend.ts).
#define MLN_ADDON_KERNELS(X) X(applyUpdates) X(gatherRows)

namespace mln {
namespace entry {

// Code of an enum argument: the TypeScript side sends the code it read from the exported name
// lists, so anything else is a bug worth a clear error.
template <class A>
int code(A& a, size_t i, int count, const char* what) {
  const double v = a.num(i, -1);
  if (a.ok && !(v >= 0 && v < count && v == std::floor(v))) {
    char msg[120];
    std::snprintf(msg, sizeof msg, "unknown %s code %g", what, v);
    a.fail_range(msg);
    return -1;
  }
  return (int)v;
}

// gemm(m, n, k, a, b, c, transA, transB, alpha, beta, bias | null, activation)
template <class A>
void gemm(A& a) {
  GemmArgs g{};
  g.m = a.dim(0, "m");
  g.n = a.dim(1, "n");
  g.k = a.dim(2, "k");
  const double mk = (double)g.m * g.k, kn = (double)g.k * g.n, mn = (double)g.m * g.n;
  g.a = a.f32(3, "a", mk);
  g.b = a.f32(4, "b", kn);
  g.c = a.f32(5, "c", mn);
  g.ta = a.flag(6);
  g.tb = a.flag(7);
  g.alpha = (float)a.num(8, 1.0);
  g.beta = (float)a.num(9, 0.0);
  g.bias = a.is_nullish(10) ? nullptr : a.f32(10, "bias", (double)g.n);
  static const int kEpilogue[] = {
#define MLN_CODE(code, name) code,
      MLN_EPILOGUES(MLN_CODE)
#undef MLN_CODE
  };
  const int e = code(a, 11, (int)(sizeof kEpilogue / sizeof kEpilogue[0]), "activation");
  if (!a.ok) return;
  g.act = kEpilogue[e];
  g.act_param = 0;
  mln::gemm(g);
}

// unary(op, x, out, param, param2)
template <class A>
void unary(A& a) {
  const int op = code(a, 0, U_COUNT, "unary op");
  float* x = nullptr;
  const size_t n = a.len_f32(1, "x", &x);
  float* out = a.f32(2, "out", (double)n);
  const double p1 = a.num(3, 0), p2 = a.num(4, 0);
  if (!a.ok) return;
  mln::unary(op, x, out, n, p1, p2);
}

// unaryGrad(op, x, y, dy, dx, param, param2)
template <class A>
void unaryGrad(A& a) {
  const int op = code(a, 0, U_COUNT, "unary op");
  float* x = nullptr;
  const size_t n = a.len_f32(1, "x", &x);
  float* y = a.f32(2, "y", (double)n);
  float* dy = a.f32(3, "dy", (double)n);
  float* dx = a.f32(4, "dx", (double)n);
  const double p1 = a.num(5, 0), p2 = a.num(6, 0);
  if (!a.ok) return;
  mln::unary_grad(op, x, y, dy, dx, n, p1, p2);
}

// A shape (Int32Array of non-negative dims, at most 32) and its element count.
template <class A>
bool shape(A& a, size_t i, const char* what, long* dims, int* rank, double* size) {
  size_t len = 0;
  const int32_t* s = a.i32(i, what, 0, &len);
  if (!a.ok) return false;
  if (len > 32) return a.fail_range("shapes have at most 32 dimensions");
  *rank = (int)len;
  *size = 1;
  for (size_t d = 0; d < len; d++) {
    if (s[d] < 0) return a.fail_range("shape dimensions must be non-negative");
    dims[d] = s[d];
    *size *= s[d];
  }
  return true;
}

// binary(op, a, aShape, b, bShape, out, outShape)
template <class A>
void binary(A& a) {
  const int op = code(a, 0, B_COUNT, "binary op");
  long as[32], bs[32], os[32];
  int ar = 0, br = 0, orank = 0;
  double asz = 0, bsz = 0, osz = 0;
  if (!shape(a, 2, "aShape", as, &ar, &asz) || !shape(a, 4, "bShape", bs, &br, &bsz) ||
      !shape(a, 6, "outShape", os, &orank, &osz))
    return;
  if (const char* err = broadcast_check(as, ar, bs, br, os, orank)) {
    a.fail_range(err);
    return;
  }
  const float* x = a.f32(1, "a", asz);
  const float* y = a.f32(3, "b", bsz);
  float* out = a.f32(5, "out", osz);
  if (!a.ok) return;
  mln::binary(op, x, as, ar, y, bs, br, out, os, orank);
}

// reduce(op, x, outer, axis, inner, out)
template <class A>
void reduce(A& a) {
  const int op = code(a, 0, R_COUNT, "reduce op");
  const long outer = a.dim(2, "outer"), axis = a.dim(3, "axis"), inner = a.dim(4, "inner");
  const float* x = a.f32(1, "x", (double)outer * axis * inner);
  float* out = a.f32(5, "out", (double)outer * inner);
  if (!a.ok) return;
  mln::reduce(op, x, outer, axis, inner, out);
}

// argmax(x, outer, axis, inner, out)
template <class A>
void argmax(A& a) {
  const long outer = a.dim(1, "outer"), axis = a.dim(2, "axis"), inner = a.dim(3, "inner");
  const float* x = a.f32(0, "x", (double)outer * axis * inner);
  int32_t* out = a.i32(4, "out", (double)outer * inner, nullptr);
  if (!a.ok) return;
  if (axis == 0 && outer * inner > 0) {
    a.fail_range("the reduced axis is empty");
    return;
  }
  mln::argmax(x, outer, axis, inner, out);
}

// transpose(x, shape, perm, out)
template <class A>
void transpose(A& a) {
  long dims[32], perm[32];
  int rank = 0;
  double size = 0;
  if (!shape(a, 1, "shape", dims, &rank, &size)) return;
  size_t plen = 0;
  const int32_t* p = a.i32(2, "perm", 0, &plen);
  if (!a.ok) return;
  bool seen[32] = {};
  if (plen != (size_t)rank) {
    a.fail_range("perm must be a permutation of the dimensions");
    return;
  }
  for (int d = 0; d < rank; d++) {
    perm[d] = p[d];
    if (perm[d] < 0 || perm[d] >= rank || seen[perm[d]]) {
      a.fail_range("perm must be a permutation of the dimensions");
      return;
    }
    seen[perm[d]] = true;
  }
  const float* x = a.f32(0, "x", size);
  float* out = a.f32(3, "out", size);
  if (!a.ok) return;
  mln::transpose(x, dims, perm, rank, out);
}

// softmax / logSoftmax(x, rows, cols, out)
template <class A>
void softmax_kind(A& a, int kind) {
  const long rows = a.dim(1, "rows"), cols = a.dim(2, "cols");
  const float* x = a.f32(0, "x", (double)rows * cols);
  float* out = a.f32(3, "out", (double)rows * cols);
  if (!a.ok) return;
  mln::softmax(kind, x, rows, cols, out);
}
template <class A>
void softmax(A& a) {
  softmax_kind(a, 0);
}
template <class A>
void logSoftmax(A& a) {
  softmax_kind(a, 1);
}

// softmaxGrad(y, dy, rows, cols, dx)
template <class A>
void softmaxGrad(A& a) {
  const long rows = a.dim(2, "rows"), cols = a.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* y = a.f32(0, "y", sz);
  const float* dy = a.f32(1, "dy", sz);
  float* dx = a.f32(4, "dx", sz);
  if (!a.ok) return;
  mln::softmax_grad(y, dy, rows, cols, dx);
}

// Labels: Float32Array [rows, cols] (dense) or Int32Array [rows] (sparse).
template <class A>
bool labels(A& a, size_t i, long rows, long cols, const float** dense, const int32_t** sparse) {
  if (!a.ok) return false;
  if (a.is_i32(i)) {
    *sparse = a.i32(i, "labels", (double)rows, nullptr);
    *dense = nullptr;
    if (!a.ok) return false;
    for (long r = 0; r < rows; r++) {
      const int32_t l = (*sparse)[r];
      if (l < 0 || l >= cols) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "label %d of row %ld is not in [0, %ld)", l, r, cols);
        return a.fail_range(msg);
      }
    }
  } else {
    *dense = a.f32(i, "labels", (double)rows * cols);
    *sparse = nullptr;
  }
  return a.ok;
}

// softmaxCrossEntropy(logits, labels, rows, cols, loss, probs)
template <class A>
void softmaxCrossEntropy(A& a) {
  const long rows = a.dim(2, "rows"), cols = a.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* logits = a.f32(0, "logits", sz);
  const float* dense = nullptr;
  const int32_t* sparse = nullptr;
  labels(a, 1, rows, cols, &dense, &sparse);
  float* loss = a.f32(4, "loss", (double)rows);
  float* probs = a.f32(5, "probs", sz);
  if (!a.ok) return;
  mln::softmax_xent(logits, dense, sparse, rows, cols, loss, probs);
}

// softmaxCrossEntropyGrad(probs, labels, rows, cols, scale (Float32Array | number), dlogits)
template <class A>
void softmaxCrossEntropyGrad(A& a) {
  const long rows = a.dim(2, "rows"), cols = a.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* probs = a.f32(0, "probs", sz);
  const float* dense = nullptr;
  const int32_t* sparse = nullptr;
  labels(a, 1, rows, cols, &dense, &sparse);
  const float* scale = nullptr;
  float scale_num = 1.0f;
  if (a.ok && a.is_number(4)) scale_num = (float)a.num(4);
  else scale = a.f32(4, "scale", (double)rows);
  float* dlogits = a.f32(5, "dlogits", sz);
  if (!a.ok) return;
  mln::softmax_xent_grad(probs, dense, sparse, rows, cols, scale, scale_num, dlogits);
}

// dropoutMask(rate, seed (uint32), mask)
template <class A>
void dropoutMask(A& a) {
  const double rate = a.num(0);
  if (a.ok && !(rate >= 0 && rate <= 1)) {
    char msg[120];
    std::snprintf(msg, sizeof msg, "rate must be in [0, 1], got %g", rate);
    a.fail_range(msg);
    return;
  }
  const uint32_t seed = a.u32(1);
  float* mask = nullptr;
  const size_t n = a.len_f32(2, "mask", &mask);
  if (!a.ok) return;
  mln::dropout(rate, seed, mask, n);
}

// Conv geometry: Int32Array [n, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW,
// dilationH, dilationW, padTop, padLeft] (the field order of ConvGeometry's declaration).
template <class A>
bool conv_geom(A& a, size_t i, ConvGeom* g) {
  const int32_t* s = a.i32(i, "geometry", 15, nullptr);
  if (!a.ok) return false;
  long v[15];
  for (int j = 0; j < 15; j++) v[j] = s[j];
  *g = ConvGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int j = 0; j < 13; j++)
    if (v[j] < 0) return a.fail_range("geometry sizes must be non-negative");
  if (g->kH < 1 || g->kW < 1 || g->strideH < 1 || g->strideW < 1 || g->dilationH < 1 || g->dilationW < 1)
    return a.fail_range("kernel size, strides and dilations must be >= 1");
  return true;
}

inline double conv_x(const ConvGeom& g) { return (double)g.n * g.inH * g.inW * g.inC; }
inline double conv_y(const ConvGeom& g) { return (double)g.n * g.outH * g.outW * g.outC; }
inline double conv_w(const ConvGeom& g) { return (double)g.kH * g.kW * g.inC * g.outC; }

// Code of an epilogue activation argument, as a UnaryOp (-1 after a failure).
template <class A>
int epilogue(A& a, size_t i) {
  static const int kEpilogue[] = {
#define MLN_CODE(code, name) code,
      MLN_EPILOGUES(MLN_CODE)
#undef MLN_CODE
  };
  const int e = code(a, i, (int)(sizeof kEpilogue / sizeof kEpilogue[0]), "activation");
  return a.ok ? kEpilogue[e] : -1;
}

// conv2d(x, w, geometry, y, bias | null, activation)
template <class A>
void conv2d(A& a) {
  ConvGeom g{};
  if (!conv_geom(a, 2, &g)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* w = a.f32(1, "w", conv_w(g));
  float* y = a.f32(3, "y", conv_y(g));
  const float* bias = a.is_nullish(4) ? nullptr : a.f32(4, "bias", (double)g.outC);
  const int act = epilogue(a, 5);
  if (!a.ok) return;
  mln::conv2d(x, w, g, y, bias, act);
}

// epilogueGrad(activation, y, dy, rows, cols, dpre, db | null)
template <class A>
void epilogueGrad(A& a) {
  const int act = epilogue(a, 0);
  const long rows = a.dim(3, "rows"), cols = a.dim(4, "cols");
  const double n = (double)rows * cols;
  const float* y = a.f32(1, "y", n);
  const float* dy = a.f32(2, "dy", n);
  float* dpre = a.f32(5, "dpre", n);
  float* db = a.is_nullish(6) ? nullptr : a.f32(6, "db", (double)cols);
  if (!a.ok) return;
  mln::epilogue_grad(act, y, dy, rows, cols, dpre, db);
}

// batchNorm(x, rows, cols, epsilon, y, mean, variance, invStd, gamma | null, beta | null)
template <class A>
void batchNorm(A& a) {
  const long rows = a.dim(1, "rows"), cols = a.dim(2, "cols");
  const double n = (double)rows * cols;
  const double epsilon = a.num(3);
  if (a.ok && !(epsilon >= 0)) {
    a.fail_range("epsilon must be >= 0");
    return;
  }
  const float* x = a.f32(0, "x", n);
  float* y = a.f32(4, "y", n);
  float* mean = a.f32(5, "mean", (double)cols);
  float* variance = a.f32(6, "variance", (double)cols);
  float* inv_std = a.f32(7, "invStd", (double)cols);
  const float* gamma = a.is_nullish(8) ? nullptr : a.f32(8, "gamma", (double)cols);
  const float* beta = a.is_nullish(9) ? nullptr : a.f32(9, "beta", (double)cols);
  if (!a.ok) return;
  mln::batch_norm(x, rows, cols, epsilon, gamma, beta, y, mean, variance, inv_std);
}

// batchNormBackward(x, dy, mean, invStd, rows, cols, dx, dgamma, dbeta, gamma | null)
template <class A>
void batchNormBackward(A& a) {
  const long rows = a.dim(4, "rows"), cols = a.dim(5, "cols");
  const double n = (double)rows * cols;
  const float* x = a.f32(0, "x", n);
  const float* dy = a.f32(1, "dy", n);
  const float* mean = a.f32(2, "mean", (double)cols);
  const float* inv_std = a.f32(3, "invStd", (double)cols);
  float* dx = a.f32(6, "dx", n);
  float* dgamma = a.f32(7, "dgamma", (double)cols);
  float* dbeta = a.f32(8, "dbeta", (double)cols);
  const float* gamma = a.is_nullish(9) ? nullptr : a.f32(9, "gamma", (double)cols);
  if (!a.ok) return;
  mln::batch_norm_backward(x, dy, mean, inv_std, gamma, rows, cols, dx, dgamma, dbeta);
}

// scaleShift(x, rows, cols, scale, y, shift | null)
template <class A>
void scaleShift(A& a) {
  const long rows = a.dim(1, "rows"), cols = a.dim(2, "cols");
  const double n = (double)rows * cols;
  const float* x = a.f32(0, "x", n);
  const float* scale = a.f32(3, "scale", (double)cols);
  float* y = a.f32(4, "y", n);
  const float* shift = a.is_nullish(5) ? nullptr : a.f32(5, "shift", (double)cols);
  if (!a.ok) return;
  mln::scale_shift(x, rows, cols, scale, shift, y);
}

// conv2dBackwardInput(dy, w, geometry, dx)
template <class A>
void conv2dBackwardInput(A& a) {
  ConvGeom g{};
  if (!conv_geom(a, 2, &g)) return;
  const float* dy = a.f32(0, "dy", conv_y(g));
  const float* w = a.f32(1, "w", conv_w(g));
  float* dx = a.f32(3, "dx", conv_x(g));
  if (!a.ok) return;
  mln::conv2d_backward_input(dy, w, g, dx);
}

// conv2dBackwardFilter(x, dy, geometry, dw, y | null, activation, db | null)
template <class A>
void conv2dBackwardFilter(A& a) {
  ConvGeom g{};
  if (!conv_geom(a, 2, &g)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* dy = a.f32(1, "dy", conv_y(g));
  float* dw = a.f32(3, "dw", conv_w(g));
  const float* y = a.is_nullish(4) ? nullptr : a.f32(4, "y", conv_y(g));
  const int act = epilogue(a, 5);
  float* db = a.is_nullish(6) ? nullptr : a.f32(6, "db", (double)g.outC);
  if (!a.ok) return;
  if (act != U_LINEAR && !y) {
    a.fail_range("the activation's backward needs the output y");
    return;
  }
  mln::conv2d_backward_filter(x, dy, g, dw, act == U_LINEAR ? nullptr : y, act, db);
}

// Pool geometry: Int32Array [n, inH, inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft].
template <class A>
bool pool_geom(A& a, size_t i, PoolGeom* g) {
  const int32_t* s = a.i32(i, "geometry", 12, nullptr);
  if (!a.ok) return false;
  long v[12];
  for (int j = 0; j < 12; j++) v[j] = s[j];
  *g = PoolGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  for (int j = 0; j < 10; j++)
    if (v[j] < 0) return a.fail_range("geometry sizes must be non-negative");
  if (g->poolH < 1 || g->poolW < 1 || g->strideH < 1 || g->strideW < 1)
    return a.fail_range("pool sizes and strides must be >= 1");
  // Only the first and last windows along an axis can miss the input entirely.
  if (g->outH > 0 && (g->poolH - 1 - g->padTop < 0 || (g->outH - 1) * g->strideH - g->padTop >= g->inH))
    return a.fail_range("a pooling window lies entirely outside the input rows");
  if (g->outW > 0 && (g->poolW - 1 - g->padLeft < 0 || (g->outW - 1) * g->strideW - g->padLeft >= g->inW))
    return a.fail_range("a pooling window lies entirely outside the input columns");
  return true;
}

inline double pool_x(const PoolGeom& g) { return (double)g.n * g.inH * g.inW * g.c; }
inline double pool_y(const PoolGeom& g) { return (double)g.n * g.outH * g.outW * g.c; }

// maxPool(x, geometry, y, argmax)
template <class A>
void maxPool(A& a) {
  PoolGeom g{};
  if (!pool_geom(a, 1, &g)) return;
  const float* x = a.f32(0, "x", pool_x(g));
  float* y = a.f32(2, "y", pool_y(g));
  int32_t* am = a.i32(3, "argmax", pool_y(g), nullptr);
  if (!a.ok) return;
  mln::max_pool(x, g, y, am);
}

// A max-pool gradient's report of the first argmax entry it could not apply (bad < n): a
// RangeError naming the entry, its value and the array it points outside of.
template <class A>
void check_argmax(A& a, size_t bad, size_t n, const int32_t* am, const char* target) {
  if (bad >= n) return;
  char msg[160];
  std::snprintf(msg, sizeof msg, "argmax[%zu] = %d is outside %s", bad, am[bad], target);
  a.fail_range(msg);
}

// conv2dMaxPool's two geometries, at arguments ci (conv) and pi (pool): the pooling must take the
// conv output.
template <class A>
bool conv_pool_geoms(A& a, size_t ci, size_t pi, ConvGeom* g, PoolGeom* p) {
  if (!conv_geom(a, ci, g) || !pool_geom(a, pi, p)) return false;
  if (p->n != g->n || p->inH != g->outH || p->inW != g->outW || p->c != g->outC)
    return a.fail_range("the pooling geometry does not take the conv output");
  return true;
}

// conv2dMaxPool(x, w, conv, pool, y, argmax | null, bias | null, activation)
template <class A>
void conv2dMaxPool(A& a) {
  ConvGeom g{};
  PoolGeom p{};
  if (!conv_pool_geoms(a, 2, 3, &g, &p)) return;
  if (conv_y(g) > 2147483647.0) {
    a.fail_range("the conv output has more items than argmax can index");
    return;
  }
  const float* x = a.f32(0, "x", conv_x(g));
  const float* w = a.f32(1, "w", conv_w(g));
  float* y = a.f32(4, "y", pool_y(p));
  int32_t* am = a.is_nullish(5) ? nullptr : a.i32(5, "argmax", pool_y(p), nullptr);
  const float* bias = a.is_nullish(6) ? nullptr : a.f32(6, "bias", (double)g.outC);
  const int act = epilogue(a, 7);
  if (!a.ok) return;
  mln::conv2d_max_pool(x, w, g, p, y, am, bias, act);
}

// maxPoolEpilogueGrad(activation, y, dy, argmax, pool, dpre, db | null)
template <class A>
void maxPoolEpilogueGrad(A& a) {
  const int act = epilogue(a, 0);
  PoolGeom p{};
  if (!a.ok || !pool_geom(a, 4, &p)) return;
  const float* y = a.f32(1, "y", pool_y(p));
  const float* dy = a.f32(2, "dy", pool_y(p));
  const int32_t* am = a.i32(3, "argmax", pool_y(p), nullptr);
  float* dpre = a.f32(5, "dpre", pool_x(p));
  float* db = a.is_nullish(6) ? nullptr : a.f32(6, "db", (double)p.c);
  if (!a.ok) return;
  const size_t n = (size_t)pool_y(p);
  const size_t bad = mln::max_pool_epilogue_grad(act, y, dy, am, p, dpre, db);
  check_argmax(a, bad, n, am, "dpre");
}

// conv2dMaxPoolBackwardFilter(x, dy, y, argmax, conv, pool, activation, dw, db | null)
template <class A>
void conv2dMaxPoolBackwardFilter(A& a) {
  ConvGeom g{};
  PoolGeom p{};
  if (!conv_pool_geoms(a, 4, 5, &g, &p)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* dy = a.f32(1, "dy", pool_y(p));
  const float* y = a.f32(2, "y", pool_y(p));
  const int32_t* am = a.i32(3, "argmax", pool_y(p), nullptr);
  const int act = epilogue(a, 6);
  float* dw = a.f32(7, "dw", conv_w(g));
  float* db = a.is_nullish(8) ? nullptr : a.f32(8, "db", (double)g.outC);
  if (!a.ok) return;
  const size_t n = (size_t)pool_y(p);
  const size_t bad = mln::conv2d_max_pool_backward_filter(x, dy, y, am, g, p, act, dw, db);
  check_argmax(a, bad, n, am, "the conv output");
}

// conv2dMaxPoolBackward(x, w, dy, y, argmax, conv, pool, activation, dx, dw, db | null)
template <class A>
void conv2dMaxPoolBackward(A& a) {
  ConvGeom g{};
  PoolGeom p{};
  if (!conv_pool_geoms(a, 5, 6, &g, &p)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* w = a.f32(1, "w", conv_w(g));
  const float* dy = a.f32(2, "dy", pool_y(p));
  const float* y = a.f32(3, "y", pool_y(p));
  const int32_t* am = a.i32(4, "argmax", pool_y(p), nullptr);
  const int act = epilogue(a, 7);
  float* dx = a.f32(8, "dx", conv_x(g));
  float* dw = a.f32(9, "dw", conv_w(g));
  float* db = a.is_nullish(10) ? nullptr : a.f32(10, "db", (double)g.outC);
  if (!a.ok) return;
  const size_t n = (size_t)pool_y(p);
  const size_t bad = mln::conv2d_max_pool_backward(x, w, dy, y, am, g, p, act, dx, dw, db);
  check_argmax(a, bad, n, am, "the conv output");
}

// avgPool(x, geometry, y)
template <class A>
void avgPool(A& a) {
  PoolGeom g{};
  if (!pool_geom(a, 1, &g)) return;
  const float* x = a.f32(0, "x", pool_x(g));
  float* y = a.f32(2, "y", pool_y(g));
  if (!a.ok) return;
  mln::avg_pool(x, g, y);
}

// avgPoolBackward(dy, geometry, dx)
template <class A>
void avgPoolBackward(A& a) {
  PoolGeom g{};
  if (!pool_geom(a, 1, &g)) return;
  const float* dy = a.f32(0, "dy", pool_y(g));
  float* dx = a.f32(2, "dx", pool_x(g));
  if (!a.ok) return;
  mln::avg_pool_backward(dy, g, dx);
}

// maxPoolBackward(dy, argmax, dx)
template <class A>
void maxPoolBackward(A& a) {
  size_t n = 0;
  const int32_t* am = a.i32(1, "argmax", 0, &n);
  const float* dy = a.f32(0, "dy", (double)n);
  float* dx = nullptr;
  const size_t dxn = a.len_f32(2, "dx", &dx);
  if (!a.ok) return;
  // Like js, a bad index throws after the entries before it were applied.
  const size_t bad = mln::max_pool_backward(dy, am, n, dx, dxn);
  check_argmax(a, bad, n, am, "dx");
}

// Depthwise geometry: a conv geometry whose outC is a multiple of inC (the channel multiplier).
template <class A>
bool depthwise_geom(A& a, size_t i, ConvGeom* g) {
  if (!conv_geom(a, i, g)) return false;
  if (g->inC < 1 || g->outC % g->inC != 0) return a.fail_range("depthwise outC must be a positive multiple of inC");
  return true;
}
inline double depthwise_w(const ConvGeom& g) { return (double)g.kH * g.kW * g.outC; }

// depthwiseConv2d(x, w, geometry, y)
template <class A>
void depthwiseConv2d(A& a) {
  ConvGeom g{};
  if (!depthwise_geom(a, 2, &g)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* w = a.f32(1, "w", depthwise_w(g));
  float* y = a.f32(3, "y", conv_y(g));
  if (!a.ok) return;
  mln::depthwise_conv2d(x, w, g, y);
}

// depthwiseConv2dBackwardInput(dy, w, geometry, dx)
template <class A>
void depthwiseConv2dBackwardInput(A& a) {
  ConvGeom g{};
  if (!depthwise_geom(a, 2, &g)) return;
  const float* dy = a.f32(0, "dy", conv_y(g));
  const float* w = a.f32(1, "w", depthwise_w(g));
  float* dx = a.f32(3, "dx", conv_x(g));
  if (!a.ok) return;
  mln::depthwise_conv2d_backward_input(dy, w, g, dx);
}

// depthwiseConv2dBackwardFilter(x, dy, geometry, dw)
template <class A>
void depthwiseConv2dBackwardFilter(A& a) {
  ConvGeom g{};
  if (!depthwise_geom(a, 2, &g)) return;
  const float* x = a.f32(0, "x", conv_x(g));
  const float* dy = a.f32(1, "dy", conv_y(g));
  float* dw = a.f32(3, "dw", depthwise_w(g));
  if (!a.ok) return;
  mln::depthwise_conv2d_backward_filter(x, dy, g, dw);
}

// affineTransform(x, transforms, n, height, width, channels, fillMode, interpolation, fillValue, y)
template <class A>
void affineTransform(A& a) {
  const long n = a.dim(2, "n"), h = a.dim(3, "height"), w = a.dim(4, "width"), c = a.dim(5, "channels");
  const int fill = code(a, 6, F_COUNT, "fill mode");
  const int interp = code(a, 7, I_COUNT, "interpolation");
  const double fill_value = a.num(8);
  const double size = (double)n * h * w * c;
  const float* x = a.f32(0, "x", size);
  const float* t = a.f32(1, "transforms", (double)n * 8);
  float* y = a.f32(9, "y", size);
  if (!a.ok) return;
  mln::affine_transform(x, t, n, h, w, c, fill, interp, (float)fill_value, y);
}

// applyUpdate(kind, h0..h5, param, grad, slot0 | null, slot1 | null, slot2 | null). h holds the
// optimizer's fields in OPTIMIZER_FIELDS order (src/kernels/optimizer-kernels.ts); slots come in
// the declared order, optional ones left out. Reads and checks one update of one parameter into
// `t` (the kernel's constants in t->k, formed by its plan); false after a failure.
// applyUpdates (addon.cc) reads each parameter of its lists through this too.
template <class A>
bool update_target(A& a, int* kind_out, UpdateTarget* t) {
  const int kind = code(a, 0, O_COUNT, "optimizer");
  double h[6];
  for (int i = 0; i < 6; i++) h[i] = a.num(1 + i, 0);
  float* p = nullptr;
  const size_t n = a.len_f32(7, "param", &p);
  const float* g = a.f32(8, "grad", (double)n);
  float* s[3] = {nullptr, nullptr, nullptr};
  int given = 0;
  const char* names[3] = {"slot 0", "slot 1", "slot 2"};
  for (int i = 0; i < 3; i++)
    if (!a.is_nullish(9 + i)) {
      s[i] = a.f32(9 + i, names[i], (double)n);
      given = i + 1;
    }
  if (!a.ok) return false;
  char msg[96];
  for (double& k : t->k) k = 0;
  const int want = kt().optimizers[kind].plan(h, t->k, msg, sizeof msg);
  if (want < 0) {
    a.fail_range(msg);
    return false;
  }
  if (given != want) {
    std::snprintf(msg, sizeof msg, "expected %d slot arrays, got %d", want, given);
    a.fail_range(msg);
    return false;
  }
  *kind_out = kind;
  t->p = p, t->g = g, t->n = n;
  for (int i = 0; i < 3; i++) t->s[i] = i < want ? s[i] : nullptr;
  return true;
}

// gatherRows(x, row, indices, out): out[i, :] = x[indices[i], :]. Not in MLN_KERNELS: a host
// that copies its arguments (wasm) would copy the whole dataset, so only the addon has it.
template <class A>
void gatherRows(A& a) {
  float* x = nullptr;
  const size_t len = a.len_f32(0, "x", &x);
  const long row = a.dim(1, "row");
  size_t count = 0;
  const int32_t* idx = a.i32(2, "indices", 0, &count);
  float* out = a.f32(3, "out", (double)count * row);
  if (!a.ok) return;
  const size_t rows = row > 0 ? len / (size_t)row : 0;
  for (size_t i = 0; i < count; i++) {
    if (idx[i] < 0 || (size_t)idx[i] >= rows) {
      char msg[120];
      std::snprintf(msg, sizeof msg, "indices[%zu] = %d is not a row of x (%zu rows)", i, idx[i], rows);
      a.fail_range(msg);
      return;
    }
  }
  mln::gather_rows(x, (size_t)row, idx, count, out);
}

template <class A>
void applyUpdate(A& a) {
  int kind = 0;
  UpdateTarget t{};
  if (update_target(a, &kind, &t)) mln::apply_update(kind, t.p, t.g, t.n, t.s[0], t.s[1], t.s[2], t.k);
}

}  // namespace entry
}  // namespace mln
