// Node-API surface of mnist_lab_native. Arguments are positional (no option objects on hot
// paths) and typed arrays are used in place through napi_get_typedarray_info: no copies.
// Every length is checked here, so a wrong call throws instead of corrupting memory.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include "gemm.h"
#include "kernels.h"
#include "ops.h"
#include "thread-pool.h"

namespace {

using namespace mln;

constexpr size_t kMaxArgs = 16;

// Reads a call's arguments; every getter reports failure by throwing and returning false.
struct Args {
  napi_env env;
  const char* kernel;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  bool ok = true;

  Args(napi_env e, napi_callback_info info, const char* name) : env(e), kernel(name) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) ok = false;
  }

  bool fail_type(const char* fmt, const char* what) {
    char msg[256];
    std::snprintf(msg, sizeof msg, fmt, kernel, what);
    if (ok) napi_throw_type_error(env, nullptr, msg);
    ok = false;
    return false;
  }

  bool fail_range(const char* msg) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "native %s: %s", kernel, msg);
    if (ok) napi_throw_range_error(env, nullptr, buf);
    ok = false;
    return false;
  }

  napi_value arg(size_t i) {
    if (i < argc) return argv[i];
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }

  bool is_nullish(size_t i) {
    napi_valuetype t;
    napi_typeof(env, arg(i), &t);
    return t == napi_null || t == napi_undefined;
  }

  bool typed(size_t i, const char* what, napi_typedarray_type want, void** data, size_t* len,
             napi_typedarray_type* got = nullptr) {
    if (!ok) return false;
    napi_typedarray_type type;
    if (napi_get_typedarray_info(env, arg(i), &type, len, data, nullptr, nullptr) != napi_ok) {
      return fail_type(want == napi_int32_array ? "native %s: %s must be an Int32Array"
                                                : "native %s: %s must be a Float32Array",
                       what);
    }
    if (got) *got = type;
    if (type == want || (got && (type == napi_float32_array || type == napi_int32_array))) return true;
    if (type == napi_float64_array)
      return fail_type(
          "native %s: %s is a Float64Array, but the native backend computes in float32 only "
          "(supportsFloat64 is false; use the 'js' backend for float64)",
          what);
    return fail_type(want == napi_int32_array ? "native %s: %s must be an Int32Array"
                                              : "native %s: %s must be a Float32Array",
                     what);
  }

  // A Float32Array with at least `need` items.
  float* f32(size_t i, const char* what, double need) {
    void* d = nullptr;
    size_t len = 0;
    if (!typed(i, what, napi_float32_array, &d, &len)) return nullptr;
    if ((double)len < need) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s has %zu items, needs %.0f", what, len, need);
      fail_range(msg);
      return nullptr;
    }
    return static_cast<float*>(d);
  }

  int32_t* i32(size_t i, const char* what, double need, size_t* out_len = nullptr) {
    void* d = nullptr;
    size_t len = 0;
    if (!typed(i, what, napi_int32_array, &d, &len)) return nullptr;
    if ((double)len < need) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s has %zu items, needs %.0f", what, len, need);
      fail_range(msg);
      return nullptr;
    }
    if (out_len) *out_len = len;
    return static_cast<int32_t*>(d);
  }

  size_t len_f32(size_t i, const char* what, float** data) {
    void* d = nullptr;
    size_t len = 0;
    if (!typed(i, what, napi_float32_array, &d, &len)) return 0;
    *data = static_cast<float*>(d);
    return len;
  }

  double num(size_t i, double fallback = NAN) {
    if (!ok) return fallback;
    double v;
    if (napi_get_value_double(env, arg(i), &v) != napi_ok) return fallback;
    return v;
  }

  bool flag(size_t i) {
    if (!ok) return false;
    bool b = false;
    if (napi_get_value_bool(env, arg(i), &b) != napi_ok) {
      double v;
      if (napi_get_value_double(env, arg(i), &v) == napi_ok) return v != 0;
      return false;
    }
    return b;
  }

  // A non-negative integer dimension.
  long dim(size_t i, const char* what) {
    double v = num(i);
    if (!ok) return 0;
    if (!(v >= 0) || v != std::floor(v) || v > 1e15) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s must be a non-negative integer, got %g", what, v);
      fail_range(msg);
      return 0;
    }
    return (long)v;
  }
};

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

// gemm(m, n, k, a, b, c, transA, transB, alpha, beta, bias | null, act, actParam)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args A(env, info, "gemm");
  GemmArgs g{};
  g.m = A.dim(0, "m");
  g.n = A.dim(1, "n");
  g.k = A.dim(2, "k");
  const double mk = (double)g.m * g.k, kn = (double)g.k * g.n, mn = (double)g.m * g.n;
  g.a = A.f32(3, "a", mk);
  g.b = A.f32(4, "b", kn);
  g.c = A.f32(5, "c", mn);
  g.ta = A.flag(6);
  g.tb = A.flag(7);
  g.alpha = (float)A.num(8, 1.0);
  g.beta = (float)A.num(9, 0.0);
  g.bias = A.is_nullish(10) ? nullptr : A.f32(10, "bias", (double)g.n);
  g.act = (int)A.num(11, 0);
  g.act_param = (float)A.num(12, 0);
  if (!A.ok) return nullptr;
  if (g.act < 0 || g.act >= U_COUNT) {
    A.fail_range("unknown activation");
    return nullptr;
  }
  gemm(g);
  return undefined(env);
}

// unary(op, x, out, p1, p2)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args A(env, info, "unary");
  const int op = (int)A.num(0, -1);
  float* x = nullptr;
  size_t n = A.len_f32(1, "x", &x);
  float* out = A.f32(2, "out", (double)n);
  const double p1 = A.num(3, 0), p2 = A.num(4, 0);
  if (!A.ok) return nullptr;
  if (op < 0 || op >= U_COUNT) {
    A.fail_range("unknown op");
    return nullptr;
  }
  unary(op, x, out, n, p1, p2);
  return undefined(env);
}

// unaryGrad(op, x, y, dy, dx, p1, p2)
napi_value UnaryGrad(napi_env env, napi_callback_info info) {
  Args A(env, info, "unaryGrad");
  const int op = (int)A.num(0, -1);
  float* x = nullptr;
  size_t n = A.len_f32(1, "x", &x);
  float* y = A.f32(2, "y", (double)n);
  float* dy = A.f32(3, "dy", (double)n);
  float* dx = A.f32(4, "dx", (double)n);
  const double p1 = A.num(5, 0), p2 = A.num(6, 0);
  if (!A.ok) return nullptr;
  if (op < 0 || op >= U_COUNT) {
    A.fail_range("unknown op");
    return nullptr;
  }
  unary_grad(op, x, y, dy, dx, n, p1, p2);
  return undefined(env);
}

// Reads [rank, d0, d1, ...] at shapes[*pos]; returns false on a malformed list.
bool read_shape(const int32_t* s, size_t len, size_t* pos, long* dims, int* rank, double* size) {
  if (*pos >= len) return false;
  const int r = s[(*pos)++];
  if (r < 0 || r > 32 || *pos + (size_t)r > len) return false;
  *rank = r;
  *size = 1;
  for (int d = 0; d < r; d++) {
    const int32_t v = s[(*pos)++];
    if (v < 0) return false;
    dims[d] = v;
    *size *= v;
  }
  return true;
}

// binary(op, a, b, out, shapes) with shapes = [aRank, ...aShape, bRank, ...bShape, outRank, ...outShape]
napi_value Binary(napi_env env, napi_callback_info info) {
  Args A(env, info, "binary");
  const int op = (int)A.num(0, -1);
  size_t slen = 0;
  const int32_t* s = A.i32(4, "shapes", 3, &slen);
  if (!A.ok) return nullptr;
  long as[32], bs[32], os[32];
  int ar, br, orank;
  double asz, bsz, osz;
  size_t pos = 0;
  if (!read_shape(s, slen, &pos, as, &ar, &asz) || !read_shape(s, slen, &pos, bs, &br, &bsz) ||
      !read_shape(s, slen, &pos, os, &orank, &osz)) {
    A.fail_range("malformed shapes");
    return nullptr;
  }
  if (const char* err = broadcast_check(as, ar, bs, br, os, orank)) {
    A.fail_range(err);
    return nullptr;
  }
  const float* a = A.f32(1, "a", asz);
  const float* b = A.f32(2, "b", bsz);
  float* out = A.f32(3, "out", osz);
  if (!A.ok) return nullptr;
  if (op < 0 || op >= B_COUNT) {
    A.fail_range("unknown op");
    return nullptr;
  }
  binary(op, a, as, ar, b, bs, br, out, os, orank);
  return undefined(env);
}

// reduce(op, x, outer, axis, inner, out)
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args A(env, info, "reduce");
  const int op = (int)A.num(0, -1);
  const long outer = A.dim(2, "outer"), axis = A.dim(3, "axis"), inner = A.dim(4, "inner");
  const float* x = A.f32(1, "x", (double)outer * axis * inner);
  float* out = A.f32(5, "out", (double)outer * inner);
  if (!A.ok) return nullptr;
  if (op < 0 || op >= R_COUNT) {
    A.fail_range("unknown op");
    return nullptr;
  }
  reduce(op, x, outer, axis, inner, out);
  return undefined(env);
}

// argmax(x, outer, axis, inner, out)
napi_value Argmax(napi_env env, napi_callback_info info) {
  Args A(env, info, "argmax");
  const long outer = A.dim(1, "outer"), axis = A.dim(2, "axis"), inner = A.dim(3, "inner");
  const float* x = A.f32(0, "x", (double)outer * axis * inner);
  int32_t* out = A.i32(4, "out", (double)outer * inner);
  if (!A.ok) return nullptr;
  if (axis == 0 && outer * inner > 0) {
    A.fail_range("the reduced axis is empty");
    return nullptr;
  }
  argmax(x, outer, axis, inner, out);
  return undefined(env);
}

// transpose(x, spec, out) with spec = [rank, ...shape, ...perm]
napi_value Transpose(napi_env env, napi_callback_info info) {
  Args A(env, info, "transpose");
  size_t slen = 0;
  const int32_t* s = A.i32(1, "spec", 1, &slen);
  if (!A.ok) return nullptr;
  const int rank = s[0];
  if (rank < 0 || rank > 32 || slen < 1 + 2 * (size_t)rank) {
    A.fail_range("malformed shape/perm");
    return nullptr;
  }
  long shape[32], perm[32];
  bool seen[32] = {};
  double size = 1;
  for (int d = 0; d < rank; d++) {
    shape[d] = s[1 + d];
    perm[d] = s[1 + rank + d];
    if (shape[d] < 0 || perm[d] < 0 || perm[d] >= rank || seen[perm[d]]) {
      A.fail_range("perm must be a permutation of the dimensions");
      return nullptr;
    }
    seen[perm[d]] = true;
    size *= (double)shape[d];
  }
  const float* x = A.f32(0, "x", size);
  float* out = A.f32(2, "out", size);
  if (!A.ok) return nullptr;
  transpose(x, shape, perm, rank, out);
  return undefined(env);
}

// softmax(kind, x, rows, cols, out): kind 0 softmax, 1 log-softmax
napi_value Softmax(napi_env env, napi_callback_info info) {
  Args A(env, info, "softmax");
  const int kind = (int)A.num(0, 0);
  const long rows = A.dim(2, "rows"), cols = A.dim(3, "cols");
  const float* x = A.f32(1, "x", (double)rows * cols);
  float* out = A.f32(4, "out", (double)rows * cols);
  if (!A.ok) return nullptr;
  softmax(kind == 1 ? 1 : 0, x, rows, cols, out);
  return undefined(env);
}

// softmaxGrad(y, dy, rows, cols, dx)
napi_value SoftmaxGrad(napi_env env, napi_callback_info info) {
  Args A(env, info, "softmaxGrad");
  const long rows = A.dim(2, "rows"), cols = A.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* y = A.f32(0, "y", sz);
  const float* dy = A.f32(1, "dy", sz);
  float* dx = A.f32(4, "dx", sz);
  if (!A.ok) return nullptr;
  softmax_grad(y, dy, rows, cols, dx);
  return undefined(env);
}

// Labels: Float32Array [rows, cols] (dense) or Int32Array [rows] (sparse).
bool labels(Args& A, size_t i, long rows, long cols, const float** dense, const int32_t** sparse) {
  void* d = nullptr;
  size_t len = 0;
  napi_typedarray_type type = napi_float32_array;
  if (!A.typed(i, "labels", napi_float32_array, &d, &len, &type)) return false;
  if (type == napi_int32_array) {
    if ((double)len < (double)rows) return A.fail_range("labels (Int32Array) has fewer items than rows");
    *sparse = static_cast<const int32_t*>(d);
    *dense = nullptr;
    for (long r = 0; r < rows; r++) {
      const int32_t l = (*sparse)[r];
      if (l < 0 || l >= cols) {
        char msg[160];
        std::snprintf(msg, sizeof msg, "label %d of row %ld is not in [0, %ld)", l, r, cols);
        return A.fail_range(msg);
      }
    }
  } else {
    if ((double)len < (double)rows * cols) return A.fail_range("labels (Float32Array) has fewer than rows*cols items");
    *dense = static_cast<const float*>(d);
    *sparse = nullptr;
  }
  return true;
}

// softmaxCrossEntropy(logits, labels, rows, cols, loss, probs)
napi_value SoftmaxXent(napi_env env, napi_callback_info info) {
  Args A(env, info, "softmaxCrossEntropy");
  const long rows = A.dim(2, "rows"), cols = A.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* logits = A.f32(0, "logits", sz);
  const float* dense = nullptr;
  const int32_t* sparse = nullptr;
  if (A.ok) labels(A, 1, rows, cols, &dense, &sparse);
  float* loss = A.f32(4, "loss", (double)rows);
  float* probs = A.f32(5, "probs", sz);
  if (!A.ok) return nullptr;
  softmax_xent(logits, dense, sparse, rows, cols, loss, probs);
  return undefined(env);
}

// softmaxCrossEntropyGrad(probs, labels, rows, cols, scale (Float32Array | number), dlogits)
napi_value SoftmaxXentGrad(napi_env env, napi_callback_info info) {
  Args A(env, info, "softmaxCrossEntropyGrad");
  const long rows = A.dim(2, "rows"), cols = A.dim(3, "cols");
  const double sz = (double)rows * cols;
  const float* probs = A.f32(0, "probs", sz);
  const float* dense = nullptr;
  const int32_t* sparse = nullptr;
  if (A.ok) labels(A, 1, rows, cols, &dense, &sparse);
  const float* scale = nullptr;
  float scale_num = 1.0f;
  napi_valuetype t = napi_undefined;
  if (A.ok) napi_typeof(env, A.arg(4), &t);
  if (t == napi_number) scale_num = (float)A.num(4);
  else scale = A.f32(4, "scale", (double)rows);
  float* dlogits = A.f32(5, "dlogits", sz);
  if (!A.ok) return nullptr;
  softmax_xent_grad(probs, dense, sparse, rows, cols, scale, scale_num, dlogits);
  return undefined(env);
}

// dropoutMask(rate, seed (uint32), mask)
napi_value DropoutMask(napi_env env, napi_callback_info info) {
  Args A(env, info, "dropoutMask");
  const double rate = A.num(0);
  if (A.ok && !(rate >= 0 && rate <= 1)) {
    char msg[120];
    std::snprintf(msg, sizeof msg, "rate must be in [0, 1], got %g", rate);
    A.fail_range(msg);
    return nullptr;
  }
  uint32_t seed = 0;
  if (A.ok) napi_get_value_uint32(env, A.arg(1), &seed);
  float* mask = nullptr;
  size_t n = A.len_f32(2, "mask", &mask);
  if (!A.ok) return nullptr;
  dropout(rate, seed, mask, n);
  return undefined(env);
}

// Conv geometry: Int32Array [n, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW,
// dilationH, dilationW, padTop, padLeft].
bool conv_geom(Args& A, size_t i, ConvGeom* g) {
  const int32_t* s = A.i32(i, "geometry", 15);
  if (!A.ok) return false;
  long v[15];
  for (int j = 0; j < 15; j++) v[j] = s[j];
  *g = ConvGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int j = 0; j < 13; j++)
    if (v[j] < 0) return A.fail_range("geometry sizes must be non-negative");
  if (g->kH < 1 || g->kW < 1 || g->strideH < 1 || g->strideW < 1 || g->dilationH < 1 || g->dilationW < 1)
    return A.fail_range("kernel size, strides and dilations must be >= 1");
  return true;
}

// conv2d(which, a, b, geometry, out): which 0 forward (x, w -> y), 1 backward input
// (dy, w -> dx), 2 backward filter (x, dy -> dw).
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Args A(env, info, "conv2d");
  const int which = (int)A.num(0, 0);
  ConvGeom g{};
  if (!conv_geom(A, 3, &g)) return nullptr;
  const double xs = (double)g.n * g.inH * g.inW * g.inC, ys = (double)g.n * g.outH * g.outW * g.outC;
  const double ws = (double)g.kH * g.kW * g.inC * g.outC;
  if (which == 0) {
    const float* x = A.f32(1, "x", xs);
    const float* w = A.f32(2, "w", ws);
    float* y = A.f32(4, "y", ys);
    if (!A.ok) return nullptr;
    conv2d(x, w, g, y);
  } else if (which == 1) {
    const float* dy = A.f32(1, "dy", ys);
    const float* w = A.f32(2, "w", ws);
    float* dx = A.f32(4, "dx", xs);
    if (!A.ok) return nullptr;
    conv2d_backward_input(dy, w, g, dx);
  } else {
    const float* x = A.f32(1, "x", xs);
    const float* dy = A.f32(2, "dy", ys);
    float* dw = A.f32(4, "dw", ws);
    if (!A.ok) return nullptr;
    conv2d_backward_filter(x, dy, g, dw);
  }
  return undefined(env);
}

// Pool geometry: Int32Array [n, inH, inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft].
bool pool_geom(Args& A, size_t i, PoolGeom* g) {
  const int32_t* s = A.i32(i, "geometry", 12);
  if (!A.ok) return false;
  long v[12];
  for (int j = 0; j < 12; j++) v[j] = s[j];
  *g = PoolGeom{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  for (int j = 0; j < 10; j++)
    if (v[j] < 0) return A.fail_range("geometry sizes must be non-negative");
  if (g->poolH < 1 || g->poolW < 1 || g->strideH < 1 || g->strideW < 1)
    return A.fail_range("pool sizes and strides must be >= 1");
  // Only the first and last windows along an axis can miss the input entirely.
  if (g->outH > 0 && (g->poolH - 1 - g->padTop < 0 || (g->outH - 1) * g->strideH - g->padTop >= g->inH))
    return A.fail_range("a pooling window lies entirely outside the input rows");
  if (g->outW > 0 && (g->poolW - 1 - g->padLeft < 0 || (g->outW - 1) * g->strideW - g->padLeft >= g->inW))
    return A.fail_range("a pooling window lies entirely outside the input columns");
  return true;
}

// pool(which, x | dy, geometry, y | dx, argmax?): which 0 max, 1 avg, 2 avg backward
napi_value Pool(napi_env env, napi_callback_info info) {
  Args A(env, info, "pool");
  const int which = (int)A.num(0, 0);
  PoolGeom g{};
  if (!pool_geom(A, 2, &g)) return nullptr;
  const double xs = (double)g.n * g.inH * g.inW * g.c, ys = (double)g.n * g.outH * g.outW * g.c;
  if (which == 0) {
    const float* x = A.f32(1, "x", xs);
    float* y = A.f32(3, "y", ys);
    int32_t* am = A.i32(4, "argmax", ys);
    if (!A.ok) return nullptr;
    max_pool(x, g, y, am);
  } else if (which == 1) {
    const float* x = A.f32(1, "x", xs);
    float* y = A.f32(3, "y", ys);
    if (!A.ok) return nullptr;
    avg_pool(x, g, y);
  } else {
    const float* dy = A.f32(1, "dy", ys);
    float* dx = A.f32(3, "dx", xs);
    if (!A.ok) return nullptr;
    avg_pool_backward(dy, g, dx);
  }
  return undefined(env);
}

// maxPoolBackward(dy, argmax, dx)
napi_value MaxPoolBackward(napi_env env, napi_callback_info info) {
  Args A(env, info, "maxPoolBackward");
  size_t n = 0;
  const int32_t* am = A.i32(1, "argmax", 0, &n);
  const float* dy = A.f32(0, "dy", (double)n);
  float* dx = nullptr;
  size_t dxn = A.len_f32(2, "dx", &dx);
  if (!A.ok) return nullptr;
  // Like js, a bad index throws after the entries before it were applied.
  const size_t bad = max_pool_backward(dy, am, n, dx, dxn);
  if (bad < n) {
    char msg[160];
    std::snprintf(msg, sizeof msg, "argmax[%zu] = %d is outside dx", bad, am[bad]);
    A.fail_range(msg);
    return nullptr;
  }
  return undefined(env);
}

// applyUpdate(kind, param, grad, s0 | null, s1 | null, s2 | null, h0, h1, h2, h3)
napi_value ApplyUpdate(napi_env env, napi_callback_info info) {
  Args A(env, info, "applyUpdate");
  const int kind = (int)A.num(0, -1);
  float* p = nullptr;
  size_t n = A.len_f32(1, "param", &p);
  const float* g = A.f32(2, "grad", (double)n);
  float* s[3] = {nullptr, nullptr, nullptr};
  const char* names[3] = {"slot 0", "slot 1", "slot 2"};
  for (int i = 0; i < 3; i++)
    if (!A.is_nullish(3 + i)) s[i] = A.f32(3 + i, names[i], (double)n);
  double h[4];
  for (int i = 0; i < 4; i++) h[i] = A.num(6 + i, 0);
  if (!A.ok) return nullptr;
  bool slots_ok = true;
  switch (kind) {
    case O_SGD: slots_ok = h[1] == 0 || s[0]; break;
    case O_RMSPROP: slots_ok = s[0] != nullptr; break;
    case O_ADAM: slots_ok = s[0] && s[1]; break;
    case O_ADAGRAD: slots_ok = s[0] != nullptr; break;
    case O_ADADELTA: slots_ok = s[0] && s[1]; break;
    default: A.fail_range("unknown optimizer kind"); return nullptr;
  }
  if (!slots_ok) {
    A.fail_range("missing optimizer slot arrays");
    return nullptr;
  }
  if (kind == O_SGD && h[1] == 0) s[0] = nullptr;
  apply_update(kind, p, g, n, s[0], s[1], s[2], h);
  return undefined(env);
}

napi_value GetNumThreads(napi_env env, napi_callback_info) { return number(env, num_threads()); }

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  Args A(env, info, "setNumThreads");
  double n = A.num(0, 1);
  if (!(n >= 1)) n = 1;
  set_num_threads((int)std::fmin(n, 256));
  return undefined(env);
}

napi_value SetIsa(napi_env env, napi_callback_info info) {
  Args A(env, info, "setIsa");
  char name[32] = {};
  size_t len = 0;
  napi_value r;
  if (napi_get_value_string_utf8(env, A.arg(0), name, sizeof name, &len) != napi_ok) {
    napi_get_boolean(env, false, &r);
    return r;
  }
  napi_get_boolean(env, set_isa(name), &r);
  return r;
}

napi_value SetGemmBlocking(napi_env env, napi_callback_info info) {
  Args A(env, info, "setGemmBlocking");
  gemm_set_blocking((long)A.num(0, 0), (long)A.num(1, 0));
  return undefined(env);
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value o, v;
  napi_create_object(env, &o);
  const KernelTable& T = kt();
  napi_create_string_utf8(env, T.name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "isa", v);
  napi_set_named_property(env, o, "threads", number(env, num_threads()));
  napi_create_string_utf8(env, supported_isas(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "supported", v);
  napi_set_named_property(env, o, "mr", number(env, T.mr));
  napi_set_named_property(env, o, "nr", number(env, T.nr));
  return o;
}

// The thread pool's workers run code in this library for the life of the process. Node may
// unload an addon when the last environment using it (say, the only worker_thread) exits, so
// pin the library in memory once it is loaded.
void pin_library() {
  static bool pinned = false;
  if (pinned) return;
  pinned = true;
#if defined(_WIN32)
  HMODULE self;
  GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     reinterpret_cast<LPCSTR>(&pin_library), &self);
#else
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&pin_library), &info) && info.dli_fname)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE);  // one extra reference, never released
#endif
}

}  // namespace

NAPI_MODULE_INIT() {
  pin_library();
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unaryGrad", nullptr, UnaryGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, Reduce, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"argmax", nullptr, Argmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, Transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmax", nullptr, Softmax, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxGrad", nullptr, SoftmaxGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropy", nullptr, SoftmaxXent, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxCrossEntropyGrad", nullptr, SoftmaxXentGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dropoutMask", nullptr, DropoutMask, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pool", nullptr, Pool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolBackward", nullptr, MaxPoolBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"applyUpdate", nullptr, ApplyUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setIsa", nullptr, SetIsa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setGemmBlocking", nullptr, SetGemmBlocking, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
