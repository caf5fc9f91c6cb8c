// The projective image warp (TensorFlow's ImageProjectiveTransformV3): coordinates in double,
// exactly as the js reference computes them, so every backend reads the same pixels; only the
// bilinear blend rounds in float.
#include <cmath>

#include "image.h"
#include "thread-pool.h"

namespace mln {
namespace {

// TensorFlow's MapCoordinate (image_ops.h), per fill mode.
inline double map_coordinate(double v, long len, int mode) {
  if (mode == F_CONSTANT) return v;
  if (mode == F_REFLECT) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const double sz2 = 2.0 * len;
        if (v < sz2) v = sz2 * std::trunc(-v / sz2) + v;
        v = v < -len ? v + sz2 : -v - 1;
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const double sz2 = 2.0 * len;
        v -= sz2 * std::trunc(v / sz2);
        if (v >= len) v = sz2 - v - 1;
      }
    }
  } else if (mode == F_WRAP) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else v += len * (std::trunc(-v / (len - 1)) + 1);
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else v -= len * std::trunc(v / (len - 1));
    }
  }
  return v < 0 ? 0 : v > len - 1 ? (double)(len - 1) : v;
}

}  // namespace

void affine_transform(const float* x, const float* transforms, long n, long h, long w, long c, int fill_mode,
                      int interpolation, float fill_value, float* y) {
  const long rows = n * h;
  const int parts = fixed_parts((size_t)rows, 8);
  parallel_for(parts, [&](int t, int) {
    const long r0 = (long)split_point(rows, parts, t), r1 = (long)split_point(rows, parts, t + 1);
    for (long br = r0; br < r1; br++) {
      const long b = br / h, r = br % h;
      const float* img = x + b * h * w * c;
      const float* tf = transforms + b * 8;
      const double a0 = tf[0], a1 = tf[1], a2 = tf[2], b0 = tf[3], b1 = tf[4], b2 = tf[5], c0 = tf[6], c1 = tf[7];
      auto at = [&](long rr, long qq, long ch) -> float {
        return rr >= 0 && rr < h && qq >= 0 && qq < w ? img[(rr * w + qq) * c + ch] : fill_value;
      };
      for (long q = 0; q < w; q++) {
        float* out = y + ((b * h + r) * w + q) * c;
        const double k = c0 * q + c1 * r + 1;
        if (k == 0) {
          for (long ch = 0; ch < c; ch++) out[ch] = fill_value;
          continue;
        }
        const double sx = map_coordinate((a0 * q + a1 * r + a2) / k, w, fill_mode);
        const double sy = map_coordinate((b0 * q + b1 * r + b2) / k, h, fill_mode);
        if (interpolation == I_NEAREST) {
          const long rr = (long)std::round(sy), qq = (long)std::round(sx);
          for (long ch = 0; ch < c; ch++) out[ch] = at(rr, qq, ch);
          continue;
        }
        const double fy = std::floor(sy), fx = std::floor(sx);
        const long y0 = (long)fy, x0 = (long)fx;
        const float wy1 = (float)(sy - fy), wx1 = (float)(sx - fx);
        const float wy0 = (float)(fy + 1 - sy), wx0 = (float)(fx + 1 - sx);
        const bool inside = y0 >= 0 && y0 + 1 < h && x0 >= 0 && x0 + 1 < w;
        if (inside) {
          const float* p00 = img + (y0 * w + x0) * c;
          const float* p01 = p00 + c;
          const float* p10 = p00 + w * c;
          const float* p11 = p10 + c;
          for (long ch = 0; ch < c; ch++)
            out[ch] = wy0 * (wx0 * p00[ch] + wx1 * p01[ch]) + wy1 * (wx0 * p10[ch] + wx1 * p11[ch]);
        } else {
          for (long ch = 0; ch < c; ch++)
            out[ch] = wy0 * (wx0 * at(y0, x0, ch) + wx1 * at(y0, x0 + 1, ch)) +
                      wy1 * (wx0 * at(y0 + 1, x0, ch) + wx1 * at(y0 + 1, x0 + 1, ch));
        }
      }
    }
  });
}

}  // namespace mln
