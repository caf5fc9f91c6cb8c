// Batch normalization over the last axis of a [rows, cols] array (NHWC activations flattened to
// [n * h * w, c]): statistics per column. The reductions split rows into parts fixed by the
// shape; each part sums in double into its own per-column partial, and the partials are added in
// part order, so results are bit-identical at any thread count. Plain loops (channels innermost
// and contiguous) the compiler vectorises; arguments are validated by entries.h.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ops.h"
#include "thread-pool.h"

namespace mln {
namespace {

// Parts of >= 16K elements: a part's partial row (cols doubles) stays small next to its work.
int bn_parts(long rows, long cols) {
  return fixed_parts((size_t)rows, std::max<size_t>(1, 16384 / (size_t)std::max<long>(1, cols)));
}

// out[c] = sum over parts of partial[t * cols + c], in part order.
void sum_parts(const std::vector<double>& partial, int parts, long cols, double* out) {
  for (long c = 0; c < cols; c++) out[c] = 0;
  for (int t = 0; t < parts; t++)
    for (long c = 0; c < cols; c++) out[c] += partial[(size_t)t * cols + c];
}

}  // namespace

void batch_norm(const float* x, long rows, long cols, double epsilon, const float* gamma, const float* beta,
                float* y, float* mean, float* variance, float* inv_std) {
  if (cols <= 0) return;
  const int parts = bn_parts(rows, cols);
  std::vector<double> partial((size_t)parts * cols), sum((size_t)cols), m((size_t)cols);
  auto range = [&](int t, long* r0, long* r1) {
    *r0 = (long)split_point((size_t)rows, parts, t), *r1 = (long)split_point((size_t)rows, parts, t + 1);
  };
  // Pass 1: the mean.
  parallel_for(parts, [&](int t, int) {
    long r0, r1;
    range(t, &r0, &r1);
    double* acc = partial.data() + (size_t)t * cols;
    for (long c = 0; c < cols; c++) acc[c] = 0;
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      for (long c = 0; c < cols; c++) acc[c] += xr[c];
    }
  });
  sum_parts(partial, parts, cols, sum.data());
  const double count = rows > 0 ? (double)rows : NAN;
  for (long c = 0; c < cols; c++) m[c] = sum[c] / count;
  // Pass 2: the biased variance, as the mean of squared deviations (two-pass, no cancellation).
  parallel_for(parts, [&](int t, int) {
    long r0, r1;
    range(t, &r0, &r1);
    double* acc = partial.data() + (size_t)t * cols;
    for (long c = 0; c < cols; c++) acc[c] = 0;
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      for (long c = 0; c < cols; c++) {
        const double d = xr[c] - m[c];
        acc[c] += d * d;
      }
    }
  });
  sum_parts(partial, parts, cols, sum.data());
  std::vector<float> scale((size_t)cols), shift((size_t)cols);
  for (long c = 0; c < cols; c++) {
    const double var = sum[c] / count;
    const double inv = 1.0 / std::sqrt(var + epsilon);
    mean[c] = (float)m[c];
    variance[c] = (float)var;
    inv_std[c] = (float)inv;
    // y = (x - mean) * scale + beta, scale = gamma * inv_std: centred first, so a mean far
    // from 0 costs no precision.
    scale[c] = (float)((gamma ? (double)gamma[c] : 1.0) * inv);
    shift[c] = beta ? beta[c] : 0.0f;
  }
  // Pass 3: y, split over rows (no reduction).
  const int yparts = fixed_parts((size_t)rows, std::max<size_t>(1, 4096 / (size_t)cols));
  parallel_for(yparts, [&](int t, int) {
    const long r0 = (long)split_point((size_t)rows, yparts, t), r1 = (long)split_point((size_t)rows, yparts, t + 1);
    const float* s = scale.data();
    const float* b = shift.data();
    const float* mu = mean;
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      for (long c = 0; c < cols; c++) yr[c] = (xr[c] - mu[c]) * s[c] + b[c];
    }
  });
}

void batch_norm_backward(const float* x, const float* dy, const float* mean, const float* inv_std,
                         const float* gamma, long rows, long cols, float* dx, float* dgamma, float* dbeta) {
  if (cols <= 0) return;
  const int parts = bn_parts(rows, cols);
  std::vector<double> partial((size_t)parts * 2 * cols), sums((size_t)2 * cols);
  // Pass 1: dbeta = sum dy, dgamma = sum dy * xhat, xhat = (x - mean) * inv_std.
  parallel_for(parts, [&](int t, int) {
    const long r0 = (long)split_point((size_t)rows, parts, t), r1 = (long)split_point((size_t)rows, parts, t + 1);
    double* sb = partial.data() + (size_t)t * 2 * cols;
    double* sg = sb + cols;
    for (long c = 0; c < 2 * cols; c++) sb[c] = 0;
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      const float* gr = dy + r * cols;
      for (long c = 0; c < cols; c++) {
        const float xhat = (xr[c] - mean[c]) * inv_std[c];
        sb[c] += gr[c];
        sg[c] += (double)(gr[c] * xhat);
      }
    }
  });
  sum_parts(partial, parts, 2 * cols, sums.data());
  // dx = gamma * inv_std / N * (N dy - dbeta - xhat dgamma) = a (dy - mb - xhat mg).
  std::vector<float> a((size_t)cols), mb((size_t)cols), mg((size_t)cols);
  const double count = (double)rows;
  for (long c = 0; c < cols; c++) {
    dbeta[c] = (float)sums[c];
    dgamma[c] = (float)sums[cols + c];
    a[c] = (float)((gamma ? (double)gamma[c] : 1.0) * inv_std[c]);
    mb[c] = (float)(sums[c] / count);
    mg[c] = (float)(sums[cols + c] / count);
  }
  const int dparts = fixed_parts((size_t)rows, std::max<size_t>(1, 4096 / (size_t)cols));
  parallel_for(dparts, [&](int t, int) {
    const long r0 = (long)split_point((size_t)rows, dparts, t), r1 = (long)split_point((size_t)rows, dparts, t + 1);
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      const float* gr = dy + r * cols;
      float* dr = dx + r * cols;
      for (long c = 0; c < cols; c++) {
        const float xhat = (xr[c] - mean[c]) * inv_std[c];
        dr[c] = a[c] * (gr[c] - mb[c] - xhat * mg[c]);
      }
    }
  });
}

void scale_shift(const float* x, long rows, long cols, const float* scale, const float* shift, float* y) {
  if (cols <= 0) return;
  const int parts = fixed_parts((size_t)rows, std::max<size_t>(1, 4096 / (size_t)cols));
  parallel_for(parts, [&](int t, int) {
    const long r0 = (long)split_point((size_t)rows, parts, t), r1 = (long)split_point((size_t)rows, parts, t + 1);
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      if (shift)
        for (long c = 0; c < cols; c++) yr[c] = xr[c] * scale[c] + shift[c];
      else
        for (long c = 0; c < cols; c++) yr[c] = xr[c] * scale[c];
    }
  });
}

}  // namespace mln
