// Depthwise convolution (NHWC, filter [kH, kW, inC, mult]) as direct loops: each pass is
// kH * kW * outC multiply-adds per pixel, small next to the pointwise conv that follows it in a
// separable block, so the loops stay plain (the channel loops innermost and contiguous, for the
// compiler to vectorise). Work splits over rows of the written array, never over a reduction,
// so results are identical at any thread count.
#include <vector>

#include "image.h"
#include "thread-pool.h"

namespace mln {

void depthwise_conv2d(const float* x, const float* w, const ConvGeom& g, float* y) {
  const long mult = g.outC / g.inC, rows = g.n * g.outH;
  const int parts = fixed_parts((size_t)rows, 4);
  parallel_for(parts, [&](int t, int) {
    const long r0 = (long)split_point(rows, parts, t), r1 = (long)split_point(rows, parts, t + 1);
    for (long br = r0; br < r1; br++) {
      const long b = br / g.outH, oh = br % g.outH;
      const float* img = x + b * g.inH * g.inW * g.inC;
      for (long ow = 0; ow < g.outW; ow++) {
        float* out = y + ((b * g.outH + oh) * g.outW + ow) * g.outC;
        for (long c = 0; c < g.outC; c++) out[c] = 0;
        for (long i = 0; i < g.kH; i++) {
          const long ih = oh * g.strideH - g.padTop + i * g.dilationH;
          if (ih < 0 || ih >= g.inH) continue;
          for (long j = 0; j < g.kW; j++) {
            const long iw = ow * g.strideW - g.padLeft + j * g.dilationW;
            if (iw < 0 || iw >= g.inW) continue;
            const float* px = img + (ih * g.inW + iw) * g.inC;
            const float* tap = w + (i * g.kW + j) * g.outC;
            if (mult == 1) {
              for (long c = 0; c < g.outC; c++) out[c] += px[c] * tap[c];
            } else {
              for (long ci = 0; ci < g.inC; ci++)
                for (long m = 0; m < mult; m++) out[ci * mult + m] += px[ci] * tap[ci * mult + m];
            }
          }
        }
      }
    }
  });
}

// Gathered per input pixel: the taps (i, j) whose output pixel reads it.
void depthwise_conv2d_backward_input(const float* dy, const float* w, const ConvGeom& g, float* dx) {
  const long mult = g.outC / g.inC, rows = g.n * g.inH;
  const int parts = fixed_parts((size_t)rows, 4);
  parallel_for(parts, [&](int t, int) {
    const long r0 = (long)split_point(rows, parts, t), r1 = (long)split_point(rows, parts, t + 1);
    for (long br = r0; br < r1; br++) {
      const long b = br / g.inH, ih = br % g.inH;
      const float* grad = dy + b * g.outH * g.outW * g.outC;
      for (long iw = 0; iw < g.inW; iw++) {
        float* out = dx + ((b * g.inH + ih) * g.inW + iw) * g.inC;
        for (long c = 0; c < g.inC; c++) out[c] = 0;
        for (long i = 0; i < g.kH; i++) {
          const long hs = ih + g.padTop - i * g.dilationH;
          if (hs < 0 || hs % g.strideH != 0) continue;
          const long oh = hs / g.strideH;
          if (oh >= g.outH) continue;
          for (long j = 0; j < g.kW; j++) {
            const long ws = iw + g.padLeft - j * g.dilationW;
            if (ws < 0 || ws % g.strideW != 0) continue;
            const long ow = ws / g.strideW;
            if (ow >= g.outW) continue;
            const float* pg = grad + (oh * g.outW + ow) * g.outC;
            const float* tap = w + (i * g.kW + j) * g.outC;
            if (mult == 1) {
              for (long c = 0; c < g.inC; c++) out[c] += pg[c] * tap[c];
            } else {
              for (long ci = 0; ci < g.inC; ci++) {
                float s = 0;
                for (long m = 0; m < mult; m++) s += pg[ci * mult + m] * tap[ci * mult + m];
                out[ci] += s;
              }
            }
          }
        }
      }
    }
  });
}

// One task per filter tap (i, j): its outC weights sum over every output pixel in double.
void depthwise_conv2d_backward_filter(const float* x, const float* dy, const ConvGeom& g, float* dw) {
  const long mult = g.outC / g.inC, taps = g.kH * g.kW;
  parallel_for((int)taps, [&](int tap, int) {
    const long i = tap / g.kW, j = tap % g.kW;
    std::vector<double> acc(g.outC, 0.0);
    std::vector<float> row(g.outC);
    for (long b = 0; b < g.n; b++) {
      const float* img = x + b * g.inH * g.inW * g.inC;
      const float* grad = dy + b * g.outH * g.outW * g.outC;
      for (long oh = 0; oh < g.outH; oh++) {
        const long ih = oh * g.strideH - g.padTop + i * g.dilationH;
        if (ih < 0 || ih >= g.inH) continue;
        // One output row's partial sums in float, then into the double totals.
        for (long c = 0; c < g.outC; c++) row[c] = 0;
        for (long ow = 0; ow < g.outW; ow++) {
          const long iw = ow * g.strideW - g.padLeft + j * g.dilationW;
          if (iw < 0 || iw >= g.inW) continue;
          const float* px = img + (ih * g.inW + iw) * g.inC;
          const float* pg = grad + (oh * g.outW + ow) * g.outC;
          if (mult == 1) {
            for (long c = 0; c < g.outC; c++) row[c] += px[c] * pg[c];
          } else {
            for (long ci = 0; ci < g.inC; ci++)
              for (long m = 0; m < mult; m++) row[ci * mult + m] += px[ci] * pg[ci * mult + m];
          }
        }
        for (long c = 0; c < g.outC; c++) acc[c] += row[c];
      }
    }
    float* out = dw + tap * g.outC;
    for (long c = 0; c < g.outC; c++) out[c] = (float)acc[c];
  });
}

}  // namespace mln
