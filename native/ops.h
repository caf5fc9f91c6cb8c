// Drivers behind the Node-API surface: argument-free of N-API, threaded over ranges, calling
// the active kernel table. Inputs are validated by addon.cc before they get here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels.h"

namespace mln {

void unary(int op, const float* x, float* y, size_t n, double p1, double p2);
void unary_grad(int op, const float* x, const float* y, const float* dy, float* dx, size_t n, double p1,
                double p2);
// Shapes are already checked to broadcast (see broadcast_check).
void binary(int op, const float* a, const long* ashape, int arank, const float* b, const long* bshape, int brank,
            float* out, const long* oshape, int orank);
// Returns null when a and b broadcast to out, else a message.
const char* broadcast_check(const long* ashape, int arank, const long* bshape, int brank, const long* oshape,
                            int orank);
void reduce(int op, const float* x, long outer, long axis, long inner, float* out);
void argmax(const float* x, long outer, long axis, long inner, int32_t* out);
void transpose(const float* x, const long* shape, const long* perm, int rank, float* out);
void softmax(int kind, const float* x, long rows, long cols, float* out);
void softmax_grad(const float* y, const float* dy, long rows, long cols, float* dx);
void softmax_xent(const float* logits, const float* dense, const int32_t* sparse, long rows, long cols, float* loss,
                  float* probs);
void softmax_xent_grad(const float* probs, const float* dense, const int32_t* sparse, long rows, long cols,
                       const float* scale, float scale_num, float* dlogits);
void dropout(double rate, uint32_t seed, float* mask, size_t n);
// y = act(conv + bias); bias may be null, act is U_LINEAR or U_RELU.
void conv2d(const float* x, const float* w, const ConvGeom& g, float* y, const float* bias = nullptr,
            int act = U_LINEAR);
// dpre = dy * act'(y), db = column sums of dpre (db may be null), over [rows, cols].
void epilogue_grad(int act, const float* y, const float* dy, long rows, long cols, float* dpre, float* db);
// Batch norm over the columns of [rows, cols] (training): per-column mean, biased variance and
// inv_std = 1 / sqrt(variance + epsilon); y = (x - mean) * gamma * inv_std + beta. gamma and beta
// may be null (1 and 0).
void batch_norm(const float* x, long rows, long cols, double epsilon, const float* gamma, const float* beta,
                float* y, float* mean, float* variance, float* inv_std);
// Its backward: dbeta = sum dy, dgamma = sum dy * xhat per column, and
// dx = gamma * inv_std / rows * (rows * dy - dbeta - xhat * dgamma); gamma may be null.
void batch_norm_backward(const float* x, const float* dy, const float* mean, const float* inv_std,
                         const float* gamma, long rows, long cols, float* dx, float* dgamma, float* dbeta);
// y = x * scale + shift per column of [rows, cols] (batch norm in inference); shift may be null.
void scale_shift(const float* x, long rows, long cols, const float* scale, const float* shift, float* y);
void conv2d_backward_input(const float* dy, const float* w, const ConvGeom& g, float* dx);
// With y (relu: dy masked by [y > 0]) and db (column sums of the masked dy), both optional.
void conv2d_backward_filter(const float* x, const float* dy, const ConvGeom& g, float* dw, const float* y = nullptr,
                            int act = U_LINEAR, float* db = nullptr);
// argmax may be null (the maxima alone).
void max_pool(const float* x, const PoolGeom& g, float* y, int32_t* argmax);
// y, argmax = max_pool(act(conv + bias)) (pg pools the conv output; argmax indexes it, or is null).
void conv2d_max_pool(const float* x, const float* w, const ConvGeom& g, const PoolGeom& pg, float* y,
                     int32_t* argmax, const float* bias, int act);
// dpre = 0, then dpre[argmax[o]] += dy[o] * act'(y[o]); db (may be null) = those terms summed per
// channel. Returns the position of the first argmax outside dpre (pg.n x inH x inW x c items),
// or the number of pooled outputs when all are inside.
// dw (and db, may be null) of conv2d_max_pool from its pooled gradient, for a conv whose input
// needs no gradient; returns as max_pool_epilogue_grad does.
size_t conv2d_max_pool_backward_filter(const float* x, const float* dy, const float* y, const int32_t* argmax,
                                       const ConvGeom& g, const PoolGeom& pg, int act, float* dw, float* db);
// dx, dw and db (may be null) of conv2d_max_pool from its pooled gradient; returns as
// max_pool_epilogue_grad does.
size_t conv2d_max_pool_backward(const float* x, const float* w, const float* dy, const float* y, const int32_t* argmax,
                                const ConvGeom& g, const PoolGeom& pg, int act, float* dx, float* dw, float* db);
size_t max_pool_epilogue_grad(int act, const float* y, const float* dy, const int32_t* argmax, const PoolGeom& pg,
                              float* dpre, float* db);
// Returns the position of the first argmax outside dx (n when all are inside).
size_t max_pool_backward(const float* dy, const int32_t* argmax, size_t n, float* dx, size_t dx_len);
void avg_pool(const float* x, const PoolGeom& g, float* y);
void avg_pool_backward(const float* dy, const PoolGeom& g, float* dx);

// s0..s2: slot arrays (null when absent); h: the constants the optimizer's plan formed (kernels.h).
void apply_update(int kind, float* p, const float* g, size_t n, float* s0, float* s1, float* s2, const double* h);

// One parameter of a multi-parameter update: its arrays and the kernel's constants (as `h` above).
struct UpdateTarget {
  float* p;
  const float* g;
  size_t n;
  float* s[3];
  double k[kOptimizerConsts];
};
// The same step over every target, split over the pool as one job (each element exactly as
// apply_update computes it, at any thread count).
void apply_updates(int kind, const UpdateTarget* t, size_t count);

// out[i, :] = x[idx[i], :] for rows of `row` floats (indices already checked).
void gather_rows(const float* x, size_t row, const int32_t* idx, size_t count, float* out);

}  // namespace mln
